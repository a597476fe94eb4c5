using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Certus.Configuration.Contracts;
using Certus.Configuration.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;
using Certus.Kernel.Tables;

namespace Certus.Configuration.Features;

/// <summary>One problem of an import row: the sheet, the row as the file numbers it, the column and the message.</summary>
public sealed record ImportRowError(string Sheet, int Row, string Field, string Column, string Message);

/// <summary>What an import did, or on a dry run or a refused import, would have done, and every row's errors.</summary>
public sealed class ImportReport
{
    public bool DryRun { get; init; }
    public bool Written { get; init; }
    public int Rows { get; init; }
    public int Created { get; init; }
    public int Updated { get; init; }
    public int Unchanged { get; init; }
    public int Relationships { get; init; }
    public IReadOnlyList<ImportRowError> Errors { get; init; } = [];
}

/// <summary>A file uploaded for import or audit: its name (which says CSV or XLSX) and its bytes.</summary>
public sealed record UploadedFile(string FileName, byte[] Content);

/// <summary>
/// Imports CIs (and relationships between them) from CSV or XLSX in the export format (manual §8.1.3; issue 5 part
/// 8). Every row runs the checks <see cref="ConfigurationItems.RegisterAsync"/> runs, against lookups loaded once;
/// a dry run reports every row's errors and writes nothing, and a real import writes all rows in one transaction or,
/// when any row is wrong, nothing. A row with a known <c>identifier</c> updates that CI (columns left out of the file
/// keep their values; status changes only through the lifecycle); a row without one registers a new CI.
/// </summary>
public sealed class ImportCis(
    Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, ConfigurationItems items, Texts<Strings> text, TimeProvider clock)
{
    private const char Separator = '\u001f';

    /// <summary>The rows of a file, read and mapped to columns; null with the failure when the file cannot be used at all.</summary>
    internal sealed record ParsedFile(TableSheet Cis, IReadOnlyDictionary<int, string> Columns, TableSheet? Relationships, IReadOnlyDictionary<int, string> RelationshipColumns);

    public async Task<Outcome<ImportReport>> HandleAsync(
        UploadedFile file, UploadedFile? relationships, bool dryRun, string? changeRef, string? reason, CancellationToken ct = default)
    {
        var fileErrors = new List<ImportRowError>();
        var parsed = Parse(file, relationships, fileErrors);
        if (parsed is null)
        {
            return Unusable(fileErrors);
        }
        if (fileErrors.Count > 0)
        {
            return new ImportReport { DryRun = dryRun, Rows = parsed.Cis.Rows.Count, Errors = fileErrors };
        }
        changeRef = ConfigurationItems.Blank(changeRef);
        var sheet = parsed.Cis;
        var cells = sheet.Rows.Select(r => Cells(r, parsed.Columns)).ToList();

        // Lookups, once: staff by e-mail, provider groups and customer organisations by name, the CIs being updated.
        var staff = (await directory.StaffAsync(Roles.Staff, ct)).GroupBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        var groups = (await directory.ProviderGroupsAsync(ct)).GroupBy(g => g.Name.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        var customers = (await directory.OrganisationsAsync(ct)).Where(o => o.Kind == OrganisationKind.Customer)
            .GroupBy(o => o.Name.Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        var identifiers = cells.Select(c => Value(c, CiColumns.Identifier)?.ToUpperInvariant()).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        Dictionary<string, CiView> existing;
        ClassModel preModel;
        await using (var connection = await database.OpenAsync(ct))
        {
            preModel = await ClassModel.LoadAsync(connection, null, ct);
            existing = await LoadByIdentifierAsync(connection, null, preModel, identifiers, ct);
        }

        var errors = text.Errors();
        var requests = new ConfigurationItems.Request[cells.Count];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < cells.Count; i++)
        {
            requests[i] = ToRequest(sheet.Rows[i].Number, cells[i], existing, seen, staff, groups, customers, preModel, changeRef, reason, errors);
        }
        var rules = await items.RulesForAsync(requests, ct);

        async Task<Outcome<ImportReport>> Work(DbConnection connection, DbTransaction tx)
        {
            var model = await ClassModel.LoadAsync(connection, tx, ct);
            var check = rules(model);
            // What was read before the transaction must still be so: a CI edited meanwhile is reported, not overwritten.
            var current = await LoadByIdentifierAsync(connection, tx, model, identifiers, ct);
            var references = new List<(JsonObject, AttributeValues.PendingReference)>();
            var prepared = new PreparedCi?[cells.Count];
            for (var i = 0; i < cells.Count; i++)
            {
                var row = sheet.Rows[i].Number;
                var prefix = $"{row}{Separator}";
                var identifier = Value(cells[i], CiColumns.Identifier)?.ToUpperInvariant();
                CiView? ci = null;
                if (identifier is not null && existing.TryGetValue(identifier, out var before))
                {
                    if (!current.TryGetValue(identifier, out ci) || ci.Version != before.Version)
                    {
                        errors.AddMessage($"{prefix}{CiColumns.Identifier}", text["Import.ChangedMeanwhile", identifier]);
                        continue;
                    }
                    if (ConfigurationNames.ParseStatus(ci.Status) is { } s && CiLifecycle.IsFinal(s))
                    {
                        errors.AddMessage($"{prefix}{CiColumns.Identifier}", text["Ci.Final", ci.Identifier, ci.Status]);
                        continue;
                    }
                }
                prepared[i] = check.Check(requests[i], ci, errors, prefix, references);
            }
            await AttributeValues.ResolveAsync(connection, tx, database, model, references, errors, text, ct);

            // Sort rows into new CIs, changed CIs and unchanged ones.
            var created = new List<int>();
            var updated = new List<(int Row, CiView Current, IReadOnlyList<AuditChange> Changes)>();
            var unchanged = 0;
            for (var i = 0; i < cells.Count; i++)
            {
                if (prepared[i] is not { } p)
                {
                    continue;
                }
                var identifier = Value(cells[i], CiColumns.Identifier)?.ToUpperInvariant();
                if (identifier is not null && current.TryGetValue(identifier, out var ci))
                {
                    var changes = ConfigurationItems.ChangesOf(ci, p, model);
                    if (changes.Count == 0)
                    {
                        unchanged++;
                    }
                    else
                    {
                        updated.Add((i, ci, changes));
                    }
                }
                else
                {
                    created.Add(i);
                }
            }

            // Change control (manual §8.1.4): registering CIs in use, and changing CIs in use, need an authorised change.
            var registersControlled = created.Where(i => CiLifecycle.IsControlled(prepared[i]!.Status)).ToList();
            if (registersControlled.Count > 0
                && await items.CheckControlAsync(connection, tx, new ChangeControlRequest(changeRef, [], "register"), ct) is { } refused)
            {
                foreach (var i in registersControlled)
                {
                    errors.AddMessage($"{sheet.Rows[i].Number}{Separator}changeRef", refused.Refusal!);
                }
            }
            var changesControlled = updated.Where(u => u.Current.Controlled).ToList();
            if (changesControlled.Count > 0
                && await items.CheckControlAsync(connection, tx, new ChangeControlRequest(changeRef, [.. changesControlled.Select(u => u.Current.Id)], "update"), ct)
                    is { } refusedUpdate)
            {
                foreach (var u in changesControlled)
                {
                    errors.AddMessage($"{sheet.Rows[u.Row].Number}{Separator}changeRef", refusedUpdate.Refusal!);
                }
            }

            // Relationships, against the CMDB and the CIs of this file.
            var newIds = created.ToDictionary(i => i, _ => Guid.CreateVersion7());
            var edges = parsed.Relationships is { } relSheet
                ? await CheckRelationshipsAsync(connection, tx, model, relSheet, parsed.RelationshipColumns, cells, prepared, newIds, current, changeRef, errors, ct)
                : [];

            var report = ToRowErrors(errors, parsed);
            if (report.Count > 0 || dryRun)
            {
                return new ImportReport
                {
                    DryRun = dryRun, Rows = cells.Count, Created = created.Count, Updated = updated.Count, Unchanged = unchanged, Relationships = edges.Count,
                    Errors = report,
                };
            }

            // Identifiers: one call per class prefix.
            var newCis = new List<ConfigurationItems.NewCi>(created.Count);
            foreach (var byPrefix in created.GroupBy(i => prepared[i]!.Class.IdentifierPrefix, StringComparer.Ordinal))
            {
                var rows = byPrefix.ToList();
                var taken = await ConfigurationItems.NextIdentifiersAsync(connection, tx, byPrefix.Key, rows.Count, ct);
                newCis.AddRange(rows.Select((i, n) => new ConfigurationItems.NewCi(newIds[i], taken[n], prepared[i]!)));
            }
            await items.InsertManyAsync(connection, tx, newCis, changeRef, reason, ct);
            foreach (var (row, ci, changes) in updated)
            {
                if (!await items.WriteUpdateAsync(connection, tx, ci, prepared[row]!, changes, changeRef, reason, ct))
                {
                    throw new DBConcurrencyException($"{ci.Identifier} changed during the import");
                }
            }
            await WriteRelationshipsAsync(connection, tx, edges, changeRef, reason, ct);
            return new ImportReport
            {
                DryRun = false, Written = true, Rows = cells.Count, Created = created.Count, Updated = updated.Count, Unchanged = unchanged,
                Relationships = edges.Count,
            };
        }

        // A dry run reads in a transaction of its own and never holds the write lock; a real import is one write.
        if (dryRun)
        {
            return await database.ReadAsync(Work, ct);
        }
        try
        {
            return await database.WriteAsync(Work, ct);
        }
        catch (DBConcurrencyException)
        {
            // A CI changed between the check and the write (another instance on PostgreSQL): nothing was written.
            return new Failure(FailureKind.PreconditionFailed, text["Import.ChangedDuringImport"]);
        }
    }

    /// <summary>Reads the file and maps its headers; header problems are reported on row 1, as the file numbers it.</summary>
    internal ParsedFile? Parse(UploadedFile file, UploadedFile? relationships, List<ImportRowError> errors)
    {
        if (Read(file, CiColumns.CiSheet, errors) is not { } sheets)
        {
            return null;
        }
        var cis = sheets.FirstOrDefault(s => CiColumns.IsSheet(s.Name, CiColumns.CiSheet)) ?? sheets.FirstOrDefault();
        if (cis is null)
        {
            errors.Add(new ImportRowError(CiColumns.CiSheet, 0, "file", "", text["Import.NoRows"]));
            return null;
        }
        var relSheet = sheets.FirstOrDefault(s => CiColumns.IsSheet(s.Name, CiColumns.RelationshipSheet));
        if (relationships is not null)
        {
            if (Read(relationships, CiColumns.RelationshipSheet, errors) is not { } more)
            {
                return null;
            }
            relSheet = more.FirstOrDefault(s => CiColumns.IsSheet(s.Name, CiColumns.RelationshipSheet)) ?? more.FirstOrDefault();
        }
        var columns = MapHeaders(cis, CiColumns.Canonical, [CiColumns.Class, CiColumns.Name], errors);
        var relColumns = relSheet is null ? new Dictionary<int, string>()
            : MapHeaders(relSheet, CiColumns.CanonicalRelationship, [CiColumns.Source, CiColumns.Type, CiColumns.Target], errors);
        if (cis.Rows.Count == 0 && (relSheet?.Rows.Count ?? 0) == 0)
        {
            errors.Add(new ImportRowError(cis.Name, 1, "file", "", text["Import.NoRows"]));
        }
        return new ParsedFile(cis, columns, relSheet, relColumns);
    }

    private List<TableSheet>? Read(UploadedFile file, string csvSheet, List<ImportRowError> errors)
    {
        if (TableFiles.FormatOf(file.FileName) is not { } format)
        {
            errors.Add(new ImportRowError(csvSheet, 0, "file", "", text["Import.Type"]));
            return null;
        }
        try
        {
            return [.. TableFiles.Read(format, file.Content, csvSheet)];
        }
        catch (InvalidDataException e)
        {
            errors.Add(new ImportRowError(csvSheet, 0, "file", "", text["Import.Unreadable", e.Message]));
            return null;
        }
    }

    private Dictionary<int, string> MapHeaders(TableSheet sheet, Func<string, string?> canonical, string[] required, List<ImportRowError> errors)
    {
        var columns = new Dictionary<int, string>();
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < sheet.Headers.Count; i++)
        {
            var header = sheet.Headers[i];
            if (string.IsNullOrWhiteSpace(header))
            {
                continue;
            }
            if (canonical(header) is not { } key)
            {
                errors.Add(new ImportRowError(sheet.Name, 1, header, header, text["Import.UnknownColumn", header]));
            }
            else if (!taken.Add(key))
            {
                errors.Add(new ImportRowError(sheet.Name, 1, key, header, text["Import.DuplicateColumn", header]));
            }
            else
            {
                columns[i] = key;
            }
        }
        foreach (var key in required.Where(k => !taken.Contains(k)))
        {
            errors.Add(new ImportRowError(sheet.Name, 1, key, "", text["Import.MissingColumn", key, CiColumns.Header(key, chinese: true)]));
        }
        return columns;
    }

    /// <summary>A row's cells by column; a column missing from the file is absent, a blank cell is an empty string.</summary>
    internal static Dictionary<string, string> Cells(TableRow row, IReadOnlyDictionary<int, string> columns)
    {
        var cells = new Dictionary<string, string>(columns.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (index, key) in columns)
        {
            cells[key] = index < row.Cells.Count ? row.Cells[index].Trim() : "";
        }
        return cells;
    }

    internal static string? Value(Dictionary<string, string> cells, string key) =>
        cells.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

    private ConfigurationItems.Request ToRequest(
        int row, Dictionary<string, string> cells, Dictionary<string, CiView> existing, Dictionary<string, int> seen, Dictionary<string, Guid> staff,
        Dictionary<string, Guid> groups, Dictionary<string, Guid> customers, ClassModel model, string? changeRef, string? reason, FieldErrors errors)
    {
        var prefix = $"{row}{Separator}";
        CiView? current = null;
        if (Value(cells, CiColumns.Identifier)?.ToUpperInvariant() is { } identifier)
        {
            if (seen.TryGetValue(identifier, out var first))
            {
                errors.AddMessage($"{prefix}{CiColumns.Identifier}", text["Import.DuplicateIdentifier", identifier, first]);
            }
            else
            {
                seen[identifier] = row;
            }
            if (!existing.TryGetValue(identifier, out current))
            {
                errors.AddMessage($"{prefix}{CiColumns.Identifier}", text["Import.UnknownIdentifier", identifier]);
            }
        }
        // A column left out of the file keeps the CI's value; a blank cell clears it.
        string? Field(string key, string? kept) => cells.TryGetValue(key, out var v) ? (v.Length == 0 ? null : v) : kept;

        if (current is not null && Value(cells, CiColumns.Status) is { } status
            && ConfigurationNames.ParseStatus(status) is var parsedStatus && parsedStatus?.Key() != current.Status)
        {
            errors.AddMessage($"{prefix}{CiColumns.Status}", text["Import.StatusOnUpdate", current.Identifier, current.Status]);
        }

        Guid? owner = current?.OwnerId;
        if (cells.ContainsKey(CiColumns.Owner))
        {
            owner = null;
            if (Value(cells, CiColumns.Owner) is { } email)
            {
                if (staff.TryGetValue(email, out var id))
                {
                    owner = id;
                }
                else
                {
                    errors.AddMessage($"{prefix}{CiColumns.Owner}", text["Import.UnknownOwner", email]);
                }
            }
        }
        Guid? group = current?.SupportGroupId;
        if (cells.ContainsKey(CiColumns.SupportGroup))
        {
            group = null;
            if (Value(cells, CiColumns.SupportGroup) is { } groupName)
            {
                if (groups.TryGetValue(groupName, out var id))
                {
                    group = id;
                }
                else
                {
                    errors.AddMessage($"{prefix}{CiColumns.SupportGroup}", text["Import.UnknownGroup", groupName]);
                }
            }
        }
        IReadOnlyList<Guid> customerIds = current?.CustomerIds ?? [];
        if (cells.ContainsKey(CiColumns.Customers))
        {
            var list = new List<Guid>();
            foreach (var customerName in (Value(cells, CiColumns.Customers) ?? "").Split([';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (customers.TryGetValue(customerName, out var id))
                {
                    list.Add(id);
                }
                else
                {
                    errors.AddMessage($"{prefix}{CiColumns.Customers}", text["Import.UnknownCustomer", customerName]);
                }
            }
            customerIds = list;
        }

        var cls = current is not null ? model.Find(current.ClassId) : model.Find(Value(cells, CiColumns.Class));
        var attributes = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        if (current is not null)
        {
            foreach (var (key, value) in current.Attributes)
            {
                attributes[key] = value;
            }
        }
        foreach (var (column, value) in cells)
        {
            if (!column.StartsWith(CiColumns.AttributePrefix, StringComparison.Ordinal))
            {
                continue;
            }
            var key = column[CiColumns.AttributePrefix.Length..];
            if (value.Length == 0)
            {
                attributes.Remove(key);
                continue;
            }
            var definition = cls?.AllAttributes.FirstOrDefault(a => string.Equals(a.Key, key, StringComparison.OrdinalIgnoreCase));
            attributes[key] = JsonSerializer.SerializeToElement(SpreadsheetDate(definition, value));
        }

        return new ConfigurationItems.Request(
            Name: Field(CiColumns.Name, current?.Name),
            ClassId: current is not null ? Value(cells, CiColumns.Class) ?? current.ClassId.ToString("D") : Value(cells, CiColumns.Class),
            Status: current?.Status ?? Value(cells, CiColumns.Status),
            OwnerId: owner,
            SupportGroupId: group,
            Location: Field(CiColumns.Location, current?.Location),
            VersionLabel: Field(CiColumns.VersionLabel, current?.VersionLabel),
            Criticality: Field(CiColumns.Criticality, current?.Criticality),
            Description: Field(CiColumns.Description, current?.Description),
            ServiceCode: Field(CiColumns.ServiceCode, current?.ServiceCode),
            CustomerIds: customerIds,
            Attributes: attributes,
            ChangeRef: changeRef,
            Reason: reason);
    }

    /// <summary>A date typed into Excel arrives as a serial day number; a date attribute takes it as the date it shows.</summary>
    private static string SpreadsheetDate(AttributeView? definition, string value)
    {
        if (definition is not null && ConfigurationNames.ParseAttributeType(definition.Type) == AttributeType.Date
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 0 and < 2_958_466)
        {
            return DateOnly.FromDateTime(DateTime.FromOADate(serial)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        return value;
    }

    internal async Task<Dictionary<string, CiView>> LoadByIdentifierAsync(
        DbConnection connection, DbTransaction? tx, ClassModel model, IReadOnlyList<string> identifiers, CancellationToken ct)
    {
        var found = new List<CiView>();
        foreach (var chunk in identifiers.Chunk(500))
        {
            found.AddRange(await connection.QueryAsync<CiView>(new CommandDefinition(
                $"SELECT {CiView.Columns} FROM cmdb_items i WHERE {database.Dialect.In("i.identifier", "chunk")}", new { chunk }, tx, cancellationToken: ct)));
        }
        foreach (var chunk in found.Chunk(500))
        {
            await items.DecorateAsync(connection, tx, model, [.. chunk], ct);
        }
        return found.ToDictionary(c => c.Identifier, StringComparer.Ordinal);
    }

    /// <summary>A relationship the file adds, with both ends resolved.</summary>
    internal sealed record NewEdge(Guid Id, Guid SourceId, string Source, string Type, Guid TargetId, string Target);

    private async Task<List<NewEdge>> CheckRelationshipsAsync(
        DbConnection connection, DbTransaction tx, ClassModel model, TableSheet sheet, IReadOnlyDictionary<int, string> columns,
        List<Dictionary<string, string>> ciCells, PreparedCi?[] prepared, Dictionary<int, Guid> newIds, Dictionary<string, CiView> current,
        string? changeRef, FieldErrors errors, CancellationToken ct)
    {
        await Relationships.LockGraphAsync(connection, tx, ct);
        var culture = CultureInfo.CurrentUICulture.Name;
        var rows = sheet.Rows.Select(r => (r.Number, Cells: Cells(r, columns))).ToList();
        // An end is a CI of the CMDB by identifier, or a CI this file registers, by its name.
        var keys = rows.SelectMany(r => new[] { Value(r.Cells, CiColumns.Source), Value(r.Cells, CiColumns.Target) }).OfType<string>()
            .Select(k => k.ToUpperInvariant()).Where(k => !current.ContainsKey(k)).Distinct(StringComparer.Ordinal).ToList();
        var ends = new Dictionary<string, (Guid Id, string Label, Guid ClassId, CiStatus Status)>(StringComparer.OrdinalIgnoreCase);
        foreach (var ci in current.Values.Concat((await LoadByIdentifierAsync(connection, tx, model, keys, ct)).Values))
        {
            ends[ci.Identifier] = (ci.Id, ci.Identifier, ci.ClassId, ConfigurationNames.ParseStatus(ci.Status) ?? CiStatus.Received);
        }
        var byName = new Dictionary<string, int?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (i, _) in newIds)
        {
            var name = prepared[i]!.Name;
            byName[name] = byName.ContainsKey(name) ? null : i;
        }
        (Guid Id, string Label, Guid ClassId, CiStatus Status)? Resolve(string value) =>
            ends.TryGetValue(value, out var e) ? e
            : byName.TryGetValue(value, out var i) && i is { } row ? (newIds[row], prepared[row]!.Name, prepared[row]!.Class.Id, prepared[row]!.Status)
            : null;

        var edges = new List<NewEdge>();
        var pending = new List<(int Row, NewEdge Edge, RelationshipTypeView Type, bool Controlled)>();
        foreach (var (number, cells) in rows)
        {
            var prefix = $"{CiColumns.RelationshipSheet}{Separator}{number}{Separator}";
            var source = Value(cells, CiColumns.Source);
            var target = Value(cells, CiColumns.Target);
            var type = model.Type(Value(cells, CiColumns.Type));
            var from = source is null ? null : Resolve(source);
            var to = target is null ? null : Resolve(target);
            if (source is null)
            {
                errors.Add($"{prefix}{CiColumns.Source}", "Validation.Required");
            }
            else if (from is null)
            {
                errors.AddMessage($"{prefix}{CiColumns.Source}", text["Import.RelationshipEnd", source]);
            }
            if (target is null)
            {
                errors.Add($"{prefix}{CiColumns.Target}", "Validation.Required");
            }
            else if (to is null)
            {
                errors.AddMessage($"{prefix}{CiColumns.Target}", text["Import.RelationshipEnd", target]);
            }
            if (type is null)
            {
                errors.Add($"{prefix}{CiColumns.Type}", "Validation.OneOf", string.Join(", ", model.Types.Select(x => x.Key)));
            }
            if (from is not { } f || to is not { } t || type is null)
            {
                continue;
            }
            if (f.Id == t.Id)
            {
                errors.AddMessage($"{prefix}{CiColumns.Target}", text["Relationship.Self"]);
                continue;
            }
            if (CiLifecycle.IsFinal(f.Status) || CiLifecycle.IsFinal(t.Status))
            {
                var final = CiLifecycle.IsFinal(f.Status) ? f : t;
                errors.AddMessage($"{prefix}{(final == f ? CiColumns.Source : CiColumns.Target)}", text["Ci.Final", final.Label, final.Status.Key()]);
                continue;
            }
            if (!model.Allows(type, f.ClassId, t.ClassId))
            {
                errors.AddMessage($"{prefix}{CiColumns.Type}", text["Relationship.ClassRule",
                    model.Find(f.ClassId)?.Name(culture) ?? "", type.Name(culture), model.Find(t.ClassId)?.Name(culture) ?? ""]);
                continue;
            }
            pending.Add((number, new NewEdge(Guid.CreateVersion7(), f.Id, f.Label, type.Key, t.Id, t.Label), type,
                CiLifecycle.IsControlled(f.Status) || CiLifecycle.IsControlled(t.Status)));
        }
        if (pending.Count == 0)
        {
            return edges;
        }

        // Duplicates and cycles: against the recorded graph of the types the file uses, with the file's edges added in order.
        var typeKeys = pending.Select(p => p.Type.Key).Distinct(StringComparer.Ordinal).ToArray();
        var recorded = (await connection.QueryAsync<(Guid Source, Guid Target, string Type)>(new CommandDefinition(
            $"SELECT source_id, target_id, type_key FROM cmdb_relationships WHERE {database.Dialect.In("type_key", "typeKeys")}",
            new { typeKeys }, tx, cancellationToken: ct))).ToList();
        var recordedEdges = recorded.ToHashSet();
        var known = new HashSet<(Guid, Guid, string)>();
        var outgoing = recorded.ToLookup(r => (r.Source, r.Type), r => r.Target).ToDictionary(g => g.Key, g => g.ToList());
        var controlled = new List<int>();
        foreach (var (number, edge, type, isControlled) in pending)
        {
            var prefix = $"{CiColumns.RelationshipSheet}{Separator}{number}{Separator}";
            if (recordedEdges.Contains((edge.SourceId, edge.TargetId, edge.Type)))
            {
                // Already recorded: an exported workbook imports back without complaint.
                continue;
            }
            if (!known.Add((edge.SourceId, edge.TargetId, edge.Type)))
            {
                errors.AddMessage($"{prefix}{CiColumns.Type}", text["Import.RelationshipTwice", edge.Source, type.Name(culture), edge.Target]);
                continue;
            }
            if (type.Acyclic && Reaches(outgoing, edge.TargetId, edge.SourceId, edge.Type))
            {
                errors.AddMessage($"{prefix}{CiColumns.Type}", text["Relationship.Cycle", edge.Source, type.Name(culture), edge.Target]);
                continue;
            }
            if (!outgoing.TryGetValue((edge.SourceId, edge.Type), out var list))
            {
                outgoing[(edge.SourceId, edge.Type)] = list = [];
            }
            list.Add(edge.TargetId);
            edges.Add(edge);
            if (isControlled)
            {
                controlled.Add(number);
            }
        }
        var controlledExisting = ends.Values.Where(e => CiLifecycle.IsControlled(e.Status)).Select(e => e.Id).ToHashSet();
        var controlledIds = edges.SelectMany(e => new[] { e.SourceId, e.TargetId }).Where(controlledExisting.Contains).Distinct().ToList();
        if (controlled.Count > 0
            && await items.CheckControlAsync(connection, tx, new ChangeControlRequest(changeRef, controlledIds, "relate"), ct) is { } refused)
        {
            foreach (var number in controlled)
            {
                errors.AddMessage($"{CiColumns.RelationshipSheet}{Separator}{number}{Separator}changeRef", refused.Refusal!);
            }
        }
        return edges;
    }

    private static bool Reaches(Dictionary<(Guid, string), List<Guid>> outgoing, Guid from, Guid to, string type)
    {
        var seen = new HashSet<Guid> { from };
        var queue = new Queue<Guid>([from]);
        while (queue.TryDequeue(out var node))
        {
            if (node == to)
            {
                return true;
            }
            foreach (var next in outgoing.GetValueOrDefault((node, type)) ?? [])
            {
                if (seen.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }
        return false;
    }

    private async Task WriteRelationshipsAsync(DbConnection connection, DbTransaction tx, List<NewEdge> edges, string? changeRef, string? reason, CancellationToken ct)
    {
        if (edges.Count == 0)
        {
            return;
        }
        var now = clock.GetUtcNow();
        var actor = caller.ActorId;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cmdb_relationships (id, source_id, target_id, type_key, created_at, actor_id, change_ref)
            VALUES (@id, @source, @target, @type, @now, @actor, @changeRef)
            """, edges.Select(e => new EdgeRow { Id = e.Id, Source = e.SourceId, Target = e.TargetId, Type = e.Type, Now = now, Actor = actor, ChangeRef = changeRef }),
            tx, cancellationToken: ct));
        foreach (var e in edges)
        {
            await Relationships.LogAsync(connection, tx, e.Id, "added", e.SourceId, e.TargetId, e.Type, changeRef, actor, now, ct);
        }
        await audit.WriteManyAsync(connection, tx, edges.Select(e => new AuditEvent(Relationships.RecordType, e.Id.ToString("D"), "created", null,
            [new AuditChange("source", null, e.Source), new AuditChange("type", null, e.Type), new AuditChange("target", null, e.Target),
             .. ConfigurationItems.ChangeRefEntry(changeRef)], reason)), ct);
    }

    private sealed class EdgeRow
    {
        public Guid Id { get; init; }
        public Guid Source { get; init; }
        public Guid Target { get; init; }
        public string Type { get; init; } = "";
        public DateTimeOffset Now { get; init; }
        public Guid? Actor { get; init; }
        public string? ChangeRef { get; init; }
    }

    /// <summary>The collected messages as row errors, in file order, each naming the column as the file spells it.</summary>
    private static List<ImportRowError> ToRowErrors(FieldErrors errors, ParsedFile parsed)
    {
        var headerOf = parsed.Columns.ToDictionary(c => c.Value, c => parsed.Cis.Headers[c.Key], StringComparer.OrdinalIgnoreCase);
        var relHeaderOf = parsed.RelationshipColumns.ToDictionary(c => c.Value, c => parsed.Relationships!.Headers[c.Key], StringComparer.OrdinalIgnoreCase);
        var list = new List<ImportRowError>();
        foreach (var (key, messages) in errors.ToDictionary())
        {
            var parts = key.Split(Separator);
            var relationship = parts.Length == 3;
            var sheet = relationship ? parsed.Relationships!.Name : parsed.Cis.Name;
            var row = int.Parse(parts[relationship ? 1 : 0], CultureInfo.InvariantCulture);
            var field = CiColumns.ColumnOfField(parts[^1]);
            var column = (relationship ? relHeaderOf : headerOf).GetValueOrDefault(field) ?? "";
            list.AddRange(messages.Select(m => new ImportRowError(sheet, row, field, column, m)));
        }
        return [.. list.OrderBy(e => e.Sheet == parsed.Cis.Name ? 0 : 1).ThenBy(e => e.Row)];
    }

    private Failure Unusable(List<ImportRowError> errors) =>
        new(FailureKind.Unprocessable, errors.FirstOrDefault()?.Message ?? text.Kernel["Problem.Validation"],
            errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal));
}
