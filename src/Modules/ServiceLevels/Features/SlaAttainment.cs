using System.Globalization;
using Certus.Data;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>One row of the attainment report: the resolution clocks that stopped in the period for one group.</summary>
/// <param name="Key">Service id, customer id or priority, as text.</param>
/// <param name="Label">What the row is called: service code and name, customer name, P1-P5.</param>
/// <param name="Met">Clocks that stopped within their target.</param>
/// <param name="Breached">Clocks that stopped after their target.</param>
/// <param name="AttainmentPercent">Met as a share of all; null when there are none.</param>
/// <param name="MeanMinutes">Mean resolution in business minutes.</param>
/// <param name="P90Minutes">90th percentile resolution in business minutes (nearest rank).</param>
public sealed record AttainmentRow(string Key, string Label, int Met, int Breached, double? AttainmentPercent, double? MeanMinutes, double? P90Minutes);

/// <summary>The report: totals and one row per group.</summary>
public sealed record AttainmentReport(DateTimeOffset From, DateTimeOffset To, string GroupBy, AttainmentRow Total, IReadOnlyList<AttainmentRow> Rows);

/// <summary>
/// SLA attainment (ISO 20000-1:2018 8.3.3, 9.1; manual §5.2.3 "performance against service level targets"): resolution
/// clocks of customer SLAs that stopped in the period, met or breached, with the business time they took.
/// Cancelled incidents are out of the figures. A customer sees only their own.
/// </summary>
public sealed class SlaAttainment(Database database, ICurrentUser caller, IDirectory directory, Texts<Strings> text)
{
    public static readonly IReadOnlyList<string> Groupings = ["service", "customer", "priority"];

    public async Task<Outcome<AttainmentReport>> HandleAsync(DateTimeOffset? from, DateTimeOffset? to, string? groupBy, string culture, CancellationToken ct = default)
    {
        var errors = text.Errors();
        if (from is null)
        {
            errors.Add("from", "Validation.Required");
        }
        if (to is null)
        {
            errors.Add("to", "Validation.Required");
        }
        if (from is not null && to is not null && to <= from)
        {
            errors.AddMessage("to", text["Report.ToAfterFrom"]);
        }
        var grouping = groupBy ?? "service";
        if (!Groupings.Contains(grouping, StringComparer.Ordinal))
        {
            errors.Add("groupBy", "Validation.OneOf", string.Join(", ", Groupings));
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<(Guid OrganisationId, Guid? ServiceId, int Priority, double ElapsedMinutes, DateTimeOffset? BreachedAt)>(new CommandDefinition(
            $"""
            SELECT c.organisation_id, c.service_id, c.priority, c.elapsed_minutes, c.breached_at
            FROM sla_clocks c JOIN sla_agreements a ON a.id = c.agreement_id
            WHERE a.kind = 'sla' AND c.metric = 'resolution' AND c.state = 'stopped' AND c.stopped_at >= @from AND c.stopped_at < @to
              AND {OrganisationScope.Filter(caller, "c.organisation_id")}
            """, new { from, to, scopeOrg = OrganisationScope.Parameter(caller) }, cancellationToken: ct))).ToList();

        Func<(Guid OrganisationId, Guid? ServiceId, int Priority, double ElapsedMinutes, DateTimeOffset? BreachedAt), string> keyOf = grouping switch
        {
            "customer" => r => r.OrganisationId.ToString("D"),
            "priority" => r => r.Priority.ToString(CultureInfo.InvariantCulture),
            _ => r => r.ServiceId?.ToString("D") ?? "",
        };
        var labels = await LabelsAsync(connection, grouping, rows.Select(keyOf).Distinct(StringComparer.Ordinal).ToList(), culture, ct);
        var grouped = rows.GroupBy(keyOf, StringComparer.Ordinal)
            .Select(g => Row(g.Key, labels.TryGetValue(g.Key, out var label) ? label : g.Key, g.Select(r => (r.ElapsedMinutes, r.BreachedAt is not null)).ToList()))
            .OrderBy(r => r.Label, StringComparer.CurrentCulture)
            .ToList();
        var total = Row("total", text["Report.Total"], rows.Select(r => (r.ElapsedMinutes, r.BreachedAt is not null)).ToList());
        return new AttainmentReport(from!.Value, to!.Value, grouping, total, grouped);
    }

    private static AttainmentRow Row(string key, string label, List<(double Minutes, bool Breached)> clocks)
    {
        if (clocks.Count == 0)
        {
            return new AttainmentRow(key, label, 0, 0, null, null, null);
        }
        var breached = clocks.Count(c => c.Breached);
        var sorted = clocks.Select(c => c.Minutes).Order().ToList();
        var p90 = sorted[(int)Math.Ceiling(0.9 * sorted.Count) - 1];
        return new AttainmentRow(key, label, clocks.Count - breached, breached, Math.Round(100.0 * (clocks.Count - breached) / clocks.Count, 1),
            Math.Round(sorted.Average(), 1), Math.Round(p90, 1));
    }

    private async Task<Dictionary<string, string>> LabelsAsync(System.Data.Common.DbConnection connection, string grouping, List<string> keys, string culture, CancellationToken ct)
    {
        switch (grouping)
        {
            case "priority":
                return keys.ToDictionary(k => k, k => "P" + k, StringComparer.Ordinal);
            case "customer":
                var organisations = await directory.FindOrganisationsAsync(keys.Select(Guid.Parse), ct);
                return keys.ToDictionary(k => k, k => organisations.TryGetValue(Guid.Parse(k), out var o) ? o.Name : k, StringComparer.Ordinal);
            default:
                var ids = keys.Where(k => k.Length > 0).Select(Guid.Parse).ToArray();
                var services = ids.Length == 0 ? [] : (await connection.QueryAsync<(Guid Id, string Code, string NameEn, string NameZh)>(new CommandDefinition(
                    $"SELECT id, code, name_en, name_zh FROM sla_services WHERE {database.Dialect.In("id", "ids")}", new { ids }, cancellationToken: ct))).ToList();
                var labels = services.ToDictionary(s => s.Id.ToString("D"), s => $"{s.Code} · {(culture.StartsWith("zh", StringComparison.Ordinal) ? s.NameZh : s.NameEn)}", StringComparer.Ordinal);
                labels[""] = text["Report.NoService"];
                return labels;
        }
    }
}
