using System.Globalization;
using System.Text.Json;
using Certus.Configuration.Domain;
using Certus.Data;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Dapper;
using Certus.Kernel.Tables;

namespace Certus.Configuration.Features;

/// <summary>Where the export and import options live in configuration.</summary>
public sealed class ConfigurationOptions
{
    public const string Section = "Certus:Configuration";

    /// <summary>Largest CSV or XLSX accepted for import or audit (413 beyond); 100,000 CIs take about 20 MB as CSV.</summary>
    public long MaxImportBytes { get; set; } = 64 * 1024 * 1024;
}

/// <summary>
/// Exports CIs in exactly the format import reads (headers in English or Chinese, owner by e-mail, group and
/// customers by name, references by identifier), so an export imports back as "unchanged".
/// </summary>
public sealed class ExportCis(Database database, ICurrentUser caller, IDirectory directory)
{
    public sealed record Query(string? Class = null, string? Status = null);

    /// <summary>The CI sheet, and the relationships between exported CIs as a second sheet (XLSX only).</summary>
    public async Task<IReadOnlyList<TableOut>> HandleAsync(Query query, bool chinese, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var model = await ClassModel.LoadAsync(connection, null, ct);
        var conditions = new List<string>();
        Guid[] classes = [];
        if (model.Find(query.Class) is { } filter)
        {
            classes = [.. model.Subtree(filter.Id)];
            conditions.Add(database.Dialect.In("i.class_id", "classes"));
        }
        else if (!string.IsNullOrWhiteSpace(query.Class))
        {
            conditions.Add("1 = 0");
        }
        var status = ConfigurationNames.ParseStatus(query.Status)?.Key();
        if (status is not null)
        {
            conditions.Add("i.status = @status");
        }
        if (caller.VisibleOrganisationId is not null)
        {
            conditions.Add("EXISTS (SELECT 1 FROM cmdb_item_customers c WHERE c.ci_id = i.id AND c.organisation_id = @customer)");
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var cis = (await connection.QueryAsync<CiView>(new CommandDefinition(
            $"SELECT {CiView.Columns} FROM cmdb_items i {where} ORDER BY i.identifier",
            new { classes, status, customer = caller.VisibleOrganisationId }, cancellationToken: ct))).ToList();
        var customerLinks = (await connection.QueryAsync<(Guid CiId, Guid OrganisationId)>(new CommandDefinition(
            "SELECT ci_id, organisation_id FROM cmdb_item_customers", cancellationToken: ct))).ToLookup(l => l.CiId, l => l.OrganisationId);
        var identifiers = (await connection.QueryAsync<(Guid Id, string Identifier)>(new CommandDefinition(
            "SELECT id, identifier FROM cmdb_items", cancellationToken: ct))).ToDictionary(r => r.Id, r => r.Identifier);
        var users = await directory.FindUsersAsync(cis.Where(c => c.OwnerId is not null).Select(c => c.OwnerId!.Value).Distinct(), ct);
        var groups = await directory.FindGroupsAsync(cis.Where(c => c.SupportGroupId is not null).Select(c => c.SupportGroupId!.Value).Distinct(), ct);
        var organisations = await directory.FindOrganisationsAsync(customerLinks.SelectMany(l => l).Distinct(), ct);

        // Attribute columns: those of the exported classes, in class then position order.
        var attributes = cis.Select(c => c.ClassId).Distinct().Select(model.Find).OfType<ClassView>().OrderBy(c => c.Key, StringComparer.Ordinal)
            .SelectMany(c => c.AllAttributes).Select(a => a.Key).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var headers = CiColumns.Fields.Select(f => CiColumns.Header(f.Key, chinese))
            .Concat(attributes.Select(a => CiColumns.Header(CiColumns.AttributePrefix + a, chinese))).ToList();
        var rows = new List<IReadOnlyList<TableCell>>(cis.Count);
        foreach (var ci in cis)
        {
            var cls = model.Find(ci.ClassId);
            var visibleCustomers = customerLinks[ci.Id].Where(o => caller.VisibleOrganisationId is not { } own || o == own);
            var row = new List<TableCell>
            {
                ci.Identifier, cls?.Key ?? "", ci.Name, ci.Status,
                ci.OwnerId is { } o && users.TryGetValue(o, out var u) ? u.Email : "",
                ci.SupportGroupId is { } g && groups.TryGetValue(g, out var group) ? group.Name : "",
                ci.Location, ci.VersionLabel, ci.Criticality, ci.Description, ci.ServiceCode ?? "",
                string.Join(";", visibleCustomers.Select(c => organisations.TryGetValue(c, out var org) ? org.Name : c.ToString("D")).Order(StringComparer.Ordinal)),
            };
            foreach (var key in attributes)
            {
                var definition = cls?.AllAttributes.FirstOrDefault(a => string.Equals(a.Key, key, StringComparison.OrdinalIgnoreCase));
                row.Add(ci.Attributes.TryGetValue(key, out var value) && definition is not null ? Show(value, definition, identifiers) : "");
            }
            rows.Add(row);
        }
        var sheets = new List<TableOut> { new(CiColumns.SheetName(CiColumns.CiSheet, chinese), headers, rows) };

        var exported = cis.Select(c => c.Id).ToHashSet();
        var edges = (await connection.QueryAsync<(Guid Source, string Type, Guid Target)>(new CommandDefinition(
            "SELECT source_id, type_key, target_id FROM cmdb_relationships ORDER BY type_key", cancellationToken: ct)))
            .Where(e => exported.Contains(e.Source) && exported.Contains(e.Target))
            .Select(e => (IReadOnlyList<TableCell>)[identifiers[e.Source], e.Type, identifiers[e.Target]])
            .ToList();
        sheets.Add(new TableOut(CiColumns.SheetName(CiColumns.RelationshipSheet, chinese),
            [.. CiColumns.RelationshipFields.Select(f => CiColumns.Header(f.Key, chinese))], edges));
        return sheets;
    }

    private static TableCell Show(JsonElement value, AttributeView definition, Dictionary<Guid, string> identifiers) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDecimal().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.String when ConfigurationNames.ParseAttributeType(definition.Type) == AttributeType.Reference
            && Guid.TryParse(value.GetString(), out var id) && identifiers.TryGetValue(id, out var identifier) => identifier,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };
}
