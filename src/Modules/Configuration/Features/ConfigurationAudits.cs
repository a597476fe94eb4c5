using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Certus.Configuration.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Dapper;
using Certus.Kernel.Tables;

namespace Certus.Configuration.Features;

/// <summary>One field a CI and its observation disagree on.</summary>
public sealed record FindingDifference(string Field, string? Recorded, string? Observed);

/// <summary>
/// A finding of a configuration audit: a CI in use that was not observed (missing), something observed that the CMDB
/// does not hold (unexpected), or a CI whose observed fields differ (differing); with its corrective action and result.
/// </summary>
public sealed class FindingView : IVersioned
{
    public Guid Id { get; init; }
    public Guid AuditId { get; init; }
    public int Number { get; init; }
    public string Kind { get; init; } = "";
    public Guid? CiId { get; init; }
    public string? CiIdentifier { get; init; }
    public string ClassKey { get; init; } = "";
    public string Name { get; init; } = "";
    public int? ObservedRow { get; init; }
    public IReadOnlyList<FindingDifference> Differences { get; private set; } = [];
    public string? ActionText { get; init; }
    public Guid? ActionOwnerId { get; init; }
    public string? ActionOwnerName { get; set; }
    public string? ActionDue { get; init; }
    public string? ResultText { get; init; }
    public Guid? ResolvedBy { get; init; }
    public string? ResolvedByName { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }

    internal string DifferencesJson
    {
        get => JsonSerializer.Serialize(Differences, ConfigurationAudits.Json);
        init => Differences = JsonSerializer.Deserialize<List<FindingDifference>>(value, ConfigurationAudits.Json) ?? [];
    }

    internal const string Columns =
        "id, audit_id, number, kind, ci_id, ci_identifier, class_key, name, observed_row, differences AS DifferencesJson, action_text, action_owner_id, "
        + "action_due, result_text, resolved_by, resolved_by_name, resolved_at, status, updated_at, version";
}

/// <summary>A configuration audit (manual §8.1.7): what was compared, by whom, what was found and whether it is closed.</summary>
public sealed class AuditView : IVersioned
{
    public Guid Id { get; init; }
    public string Number { get; init; } = "";
    public string Title { get; init; } = "";
    public IReadOnlyList<string> ScopeClasses { get; private set; } = [];
    public string? ScopeLocation { get; init; }
    public string FileName { get; init; } = "";
    public int ObservedCount { get; init; }
    public int InScopeCount { get; init; }
    public int MatchedCount { get; init; }
    public int MissingCount { get; init; }
    public int UnexpectedCount { get; init; }
    public int DifferingCount { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset PerformedAt { get; init; }
    public Guid? PerformedBy { get; init; }
    public string PerformedByName { get; init; } = "";
    public DateTimeOffset? ClosedAt { get; init; }
    public int Version { get; init; }
    public int OpenFindings { get; set; }
    public IReadOnlyList<FindingView>? Findings { get; set; }

    internal string ScopeClassesJson { get => JsonSerializer.Serialize(ScopeClasses); init => ScopeClasses = JsonSerializer.Deserialize<string[]>(value) ?? []; }

    internal const string Columns =
        "id, number, title, scope_classes AS ScopeClassesJson, scope_location, file_name, observed_count, in_scope_count, matched_count, missing_count, "
        + "unexpected_count, differing_count, status, performed_at, performed_by, performed_by_name, closed_at, version";
}

/// <summary>
/// Configuration audit and verification (ISO/IEC 20000-1:2018 8.2.6; manual §8.1.7, §8.1.9, §8.1.11): an observed
/// inventory, in the import format, is compared with the CMDB within a scope of classes and/or a location; each
/// difference becomes a finding whose corrective action (what, who, by when) and result are recorded, and the audit
/// closes only when every finding is resolved.
/// </summary>
public sealed class ConfigurationAudits(
    Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, ImportCis import, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "configuration-audit";
    public const string FindingRecordType = "configuration-audit-finding";

    private static readonly string[] FindingColumnKeys =
        ["Finding", "Kind", "Identifier", "Class", "Name", "Row", "Differences", "Action", "Owner", "Due", "Result", "ResolvedBy", "ResolvedAt", "Status"];

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Request(string? Title, IReadOnlyList<string>? ScopeClasses = null, string? ScopeLocation = null);

    public sealed record ActionRequest(string? ActionText, Guid? ActionOwnerId, string? ActionDue);

    public sealed record ResolveRequest(string? Result);

    public async Task<IReadOnlyList<AuditView>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var audits = (await connection.QueryAsync<AuditView>(new CommandDefinition(
            $"SELECT {AuditView.Columns} FROM cmdb_audits ORDER BY number DESC", cancellationToken: ct))).ToList();
        var open = (await connection.QueryAsync<(Guid AuditId, long Count)>(new CommandDefinition(
            "SELECT audit_id, count(*) FROM cmdb_audit_findings WHERE status = 'open' GROUP BY audit_id", cancellationToken: ct))).ToDictionary(o => o.AuditId, o => (int)o.Count);
        foreach (var a in audits)
        {
            a.OpenFindings = open.GetValueOrDefault(a.Id);
        }
        return audits;
    }

    public async Task<AuditView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await GetAsync(connection, null, id, ct);
    }

    private async Task<AuditView?> GetAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct)
    {
        var found = await connection.QuerySingleOrDefaultAsync<AuditView>(new CommandDefinition(
            $"SELECT {AuditView.Columns} FROM cmdb_audits WHERE id = @id", new { id }, tx, cancellationToken: ct));
        if (found is null)
        {
            return null;
        }
        var findings = (await connection.QueryAsync<FindingView>(new CommandDefinition(
            $"SELECT {FindingView.Columns} FROM cmdb_audit_findings WHERE audit_id = @id ORDER BY number", new { id }, tx, cancellationToken: ct))).ToList();
        var owners = await directory.FindUsersAsync(findings.Where(f => f.ActionOwnerId is not null).Select(f => f.ActionOwnerId!.Value).Distinct(), ct);
        foreach (var f in findings)
        {
            f.ActionOwnerName = f.ActionOwnerId is { } o && owners.TryGetValue(o, out var u) ? u.DisplayName : null;
        }
        found.Findings = findings;
        found.OpenFindings = findings.Count(f => f.Status == "open");
        return found;
    }

    /// <summary>Compares the observed inventory with the CMDB and records the audit with its findings.</summary>
    public async Task<Outcome<AuditView>> CreateAsync(Request request, UploadedFile? file, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("title", request.Title, 200).Optional("scopeLocation", request.ScopeLocation, 200);
        if (file is null)
        {
            errors.Add("file", "Validation.Required");
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var problems = new List<ImportRowError>();
        var parsed = import.Parse(file!, null, problems);
        if (parsed is null || problems.Count > 0)
        {
            return new Failure(FailureKind.Unprocessable, problems.FirstOrDefault()?.Message ?? text.Kernel["Problem.Validation"],
                problems.GroupBy(p => p.Row == 0 ? "file" : $"{p.Sheet}[{p.Row}].{p.Field}", StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal));
        }
        return await database.WriteAsync<Outcome<AuditView>>(async (connection, tx) =>
        {
            var model = await ClassModel.LoadAsync(connection, tx, ct);
            var scopeClasses = new List<ClassView>();
            foreach (var key in request.ScopeClasses?.Where(k => !string.IsNullOrWhiteSpace(k)) ?? [])
            {
                if (model.Find(key) is { } c)
                {
                    scopeClasses.Add(c);
                }
                else
                {
                    errors.Add("scopeClasses", "Validation.Unknown", key);
                }
            }
            if (!errors.IsEmpty)
            {
                return text.Invalid(errors);
            }
            var location = ConfigurationItems.Blank(request.ScopeLocation);
            var inScopeClasses = scopeClasses.Count == 0 ? null : scopeClasses.SelectMany(c => model.Subtree(c.Id)).ToHashSet();
            bool InScope(Guid classId, string? ciLocation) =>
                (inScopeClasses is null || inScopeClasses.Contains(classId))
                && (location is null || (ciLocation ?? "").StartsWith(location, StringComparison.OrdinalIgnoreCase));

            var recorded = (await connection.QueryAsync<CiView>(new CommandDefinition(
                $"SELECT {CiView.Columns} FROM cmdb_items i WHERE i.status NOT IN ('disposed', 'cancelled')", transaction: tx, cancellationToken: ct)))
                .Where(c => InScope(c.ClassId, c.Location)).ToList();
            var byIdentifier = recorded.ToDictionary(c => c.Identifier, StringComparer.OrdinalIgnoreCase);
            var byName = recorded.GroupBy(c => (c.ClassId, c.Name.Trim().ToUpperInvariant())).ToDictionary(g => g.Key, g => g.ToList());
            var byNameAnyClass = recorded.GroupBy(c => c.Name.Trim().ToUpperInvariant(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

            var findings = new List<(string Kind, CiView? Ci, string ClassKey, string Name, int? Row, List<FindingDifference> Differences)>();
            var matched = new HashSet<Guid>();
            var observedInScope = 0;
            foreach (var row in parsed.Cis.Rows)
            {
                var cells = ImportCis.Cells(row, parsed.Columns);
                var identifier = ImportCis.Value(cells, CiColumns.Identifier);
                var name = ImportCis.Value(cells, CiColumns.Name) ?? "";
                var cls = model.Find(ImportCis.Value(cells, CiColumns.Class));
                var observedLocation = ImportCis.Value(cells, CiColumns.Location);
                CiView? ci = null;
                if (identifier is not null)
                {
                    byIdentifier.TryGetValue(identifier, out ci);
                }
                else if (cls is not null)
                {
                    ci = byName.GetValueOrDefault((cls.Id, name.ToUpperInvariant()))?.FirstOrDefault(c => !matched.Contains(c.Id));
                }
                else
                {
                    ci = byNameAnyClass.GetValueOrDefault(name.ToUpperInvariant())?.FirstOrDefault(c => !matched.Contains(c.Id));
                }
                if (ci is null)
                {
                    // What was observed outside the scope is not this audit's business.
                    if (cls is not null && !InScope(cls.Id, observedLocation))
                    {
                        continue;
                    }
                    if (cls is null && inScopeClasses is not null)
                    {
                        continue;
                    }
                    observedInScope++;
                    findings.Add(("unexpected", null, cls?.Key ?? ImportCis.Value(cells, CiColumns.Class) ?? "", name.Length > 0 ? name : identifier ?? "", row.Number,
                        [.. cells.Where(c => c.Value.Length > 0 && c.Key is not CiColumns.Name and not CiColumns.Class).Select(c => new FindingDifference(c.Key, null, c.Value))]));
                    continue;
                }
                observedInScope++;
                if (!matched.Add(ci.Id))
                {
                    continue;
                }
                var differences = Compare(ci, cells, model);
                if (differences.Count > 0)
                {
                    findings.Add(("differing", ci, model.Find(ci.ClassId)?.Key ?? "", ci.Name, row.Number, differences));
                }
            }
            foreach (var ci in recorded.Where(c => !matched.Contains(c.Id) && ConfigurationNames.ParseStatus(c.Status) is { } s && CiLifecycle.IsControlled(s)))
            {
                findings.Add(("missing", ci, model.Find(ci.ClassId)?.Key ?? "", ci.Name, null, [new FindingDifference("status", ci.Status, null)]));
            }
            findings = [.. findings.OrderBy(f => f.Kind switch { "missing" => 0, "unexpected" => 1, _ => 2 }).ThenBy(f => f.Ci?.Identifier ?? f.Name, StringComparer.Ordinal)];

            var id = Guid.CreateVersion7();
            var number = (await ConfigurationItems.NextIdentifiersAsync(connection, tx, "CA", 1, ct))[0];
            var now = clock.GetUtcNow();
            var audited = new
            {
                id, number, title = request.Title!.Trim(), scopeClasses = JsonSerializer.Serialize(scopeClasses.Select(c => c.Key)), scopeLocation = location,
                fileName = Path.GetFileName(file!.FileName), observed = parsed.Cis.Rows.Count, inScope = observedInScope, matchedCount = matched.Count,
                missing = findings.Count(f => f.Kind == "missing"), unexpected = findings.Count(f => f.Kind == "unexpected"),
                differing = findings.Count(f => f.Kind == "differing"), now, by = caller.ActorId, byName = caller.ActorName,
            };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cmdb_audits (id, number, title, scope_classes, scope_location, file_name, observed_count, in_scope_count, matched_count,
                    missing_count, unexpected_count, differing_count, status, performed_at, performed_by, performed_by_name, version)
                VALUES (@id, @number, @title, @scopeClasses, @scopeLocation, @fileName, @observed, @inScope, @matchedCount,
                    @missing, @unexpected, @differing, 'open', @now, @by, @byName, 1)
                """, audited, tx, cancellationToken: ct));
            var rows = findings.Select((f, i) => new FindingRow
            {
                Id = Guid.CreateVersion7(), AuditId = id, Number = i + 1, Kind = f.Kind, CiId = f.Ci?.Id, CiIdentifier = f.Ci?.Identifier, ClassKey = f.ClassKey,
                Name = f.Name, ObservedRow = f.Row, Differences = JsonSerializer.Serialize(f.Differences, Json), Now = now,
            }).ToList();
            if (rows.Count > 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO cmdb_audit_findings (id, audit_id, number, kind, ci_id, ci_identifier, class_key, name, observed_row, differences, status, updated_at, version)
                    VALUES (@Id, @AuditId, @Number, @Kind, @CiId, @CiIdentifier, @ClassKey, @Name, @ObservedRow, @Differences, 'open', @Now, 1)
                    """, rows, tx, cancellationToken: ct));
            }
            await audit.WriteManyAsync(connection, tx,
                [
                    new AuditEvent(RecordType, id.ToString("D"), "created", null,
                    [
                        new AuditChange("number", null, number), new AuditChange("title", null, audited.title), new AuditChange("scopeClasses", null, audited.scopeClasses),
                        new AuditChange("scopeLocation", null, location), new AuditChange("file", null, audited.fileName),
                        new AuditChange("missing", null, audited.missing.ToString(CultureInfo.InvariantCulture)),
                        new AuditChange("unexpected", null, audited.unexpected.ToString(CultureInfo.InvariantCulture)),
                        new AuditChange("differing", null, audited.differing.ToString(CultureInfo.InvariantCulture)),
                    ]),
                    .. rows.Select(r => new AuditEvent(FindingRecordType, r.Id.ToString("D"), "created", null,
                        [new AuditChange("audit", null, number), new AuditChange("kind", null, r.Kind), new AuditChange("ci", null, r.CiIdentifier ?? r.Name),
                         new AuditChange("differences", null, r.Differences)])),
                ], ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>Location, version label, name (when matched by identifier) and each attribute the file has a value for.</summary>
    private static List<FindingDifference> Compare(CiView ci, Dictionary<string, string> cells, ClassModel model)
    {
        var differences = new List<FindingDifference>();
        void Check(string field, string? recorded, string? observed)
        {
            if (observed is null)
            {
                return;
            }
            var same = decimal.TryParse(recorded, NumberStyles.Number, CultureInfo.InvariantCulture, out var a)
                && decimal.TryParse(observed, NumberStyles.Number, CultureInfo.InvariantCulture, out var b)
                ? a == b
                : string.Equals((recorded ?? "").Trim(), observed.Trim(), StringComparison.OrdinalIgnoreCase);
            if (!same)
            {
                differences.Add(new FindingDifference(field, recorded, observed));
            }
        }
        if (ImportCis.Value(cells, CiColumns.Identifier) is not null)
        {
            Check(CiColumns.Name, ci.Name, ImportCis.Value(cells, CiColumns.Name));
        }
        Check(CiColumns.Location, ci.Location, ImportCis.Value(cells, CiColumns.Location));
        Check(CiColumns.VersionLabel, ci.VersionLabel, ImportCis.Value(cells, CiColumns.VersionLabel));
        var definitions = model.Find(ci.ClassId)?.AllAttributes ?? [];
        foreach (var (column, value) in cells)
        {
            if (!column.StartsWith(CiColumns.AttributePrefix, StringComparison.Ordinal) || value.Length == 0)
            {
                continue;
            }
            var key = column[CiColumns.AttributePrefix.Length..];
            var definition = definitions.FirstOrDefault(d => string.Equals(d.Key, key, StringComparison.OrdinalIgnoreCase));
            var recorded = definition is not null && ci.Attributes.TryGetValue(definition.Key, out var v)
                ? v.ValueKind == JsonValueKind.Number ? v.GetDecimal().ToString(CultureInfo.InvariantCulture) : v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()
                : null;
            Check(column, recorded, value);
        }
        return differences;
    }

    /// <summary>Records (or revises) a finding's corrective action: what is to be done, by whom, by when.</summary>
    public Task<Outcome<FindingView>> SetActionAsync(Guid auditId, Guid findingId, int expectedVersion, ActionRequest request, CancellationToken ct = default) =>
        ChangeFindingAsync(auditId, findingId, expectedVersion, async (connection, tx, finding, errors) =>
        {
            errors.Required("actionText", request.ActionText, 4000);
            DateOnly? due = null;
            if (!string.IsNullOrWhiteSpace(request.ActionDue))
            {
                if (DateOnly.TryParseExact(request.ActionDue.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    due = d;
                }
                else
                {
                    errors.AddMessage("actionDue", text["Audit.DateFormat"]);
                }
            }
            if (request.ActionOwnerId is { } owner && (await directory.FindUserAsync(owner, ct) is not { IsActive: true } user
                || (await directory.FindOrganisationAsync(user.OrganisationId, ct))?.Kind != OrganisationKind.Provider))
            {
                errors.Add("actionOwnerId", "Validation.Unknown", owner);
            }
            if (!errors.IsEmpty)
            {
                return null;
            }
            var dueText = due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cmdb_audit_findings SET action_text = @actionText, action_owner_id = @owner, action_due = @due, updated_at = @now, version = version + 1
                WHERE id = @id AND version = @version
                """, new { actionText = request.ActionText!.Trim(), owner = request.ActionOwnerId, due = dueText, now = clock.GetUtcNow(), id = finding.Id, version = finding.Version },
                tx, cancellationToken: ct));
            return ("action",
                (IReadOnlyList<AuditChange>)[.. AuditTrail.Diff(
                    new Dictionary<string, object?>(StringComparer.Ordinal) { ["actionText"] = finding.ActionText, ["actionOwnerId"] = finding.ActionOwnerId, ["actionDue"] = finding.ActionDue },
                    new Dictionary<string, object?>(StringComparer.Ordinal) { ["actionText"] = request.ActionText.Trim(), ["actionOwnerId"] = request.ActionOwnerId, ["actionDue"] = dueText })]);
        }, ct);

    /// <summary>Records the result of the corrective action and resolves the finding.</summary>
    public Task<Outcome<FindingView>> ResolveAsync(Guid auditId, Guid findingId, int expectedVersion, ResolveRequest request, CancellationToken ct = default) =>
        ChangeFindingAsync(auditId, findingId, expectedVersion, async (connection, tx, finding, errors) =>
        {
            errors.Required("result", request.Result, 4000);
            if (string.IsNullOrWhiteSpace(finding.ActionText))
            {
                errors.AddMessage("actionText", text["Audit.ActionFirst"]);
            }
            if (!errors.IsEmpty)
            {
                return null;
            }
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cmdb_audit_findings SET result_text = @result, resolved_by = @by, resolved_by_name = @byName, resolved_at = @now, status = 'resolved',
                    updated_at = @now, version = version + 1
                WHERE id = @id AND version = @version
                """, new { result = request.Result!.Trim(), by = caller.ActorId, byName = caller.ActorName, now = clock.GetUtcNow(), id = finding.Id, version = finding.Version },
                tx, cancellationToken: ct));
            return ("resolved", (IReadOnlyList<AuditChange>)[new AuditChange("status", "open", "resolved"), new AuditChange("result", null, request.Result.Trim())]);
        }, ct);

    private Task<Outcome<FindingView>> ChangeFindingAsync(
        Guid auditId, Guid findingId, int expectedVersion,
        Func<DbConnection, DbTransaction, FindingView, FieldErrors, Task<(string Action, IReadOnlyList<AuditChange> Changes)?>> change, CancellationToken ct) =>
        database.WriteAsync<Outcome<FindingView>>(async (connection, tx) =>
        {
            var finding = await FindingAsync(connection, tx, auditId, findingId, ct);
            var owner = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT status FROM cmdb_audits WHERE id = @auditId", new { auditId }, tx, cancellationToken: ct));
            if (finding is null || owner is null)
            {
                return text.NotFound();
            }
            if (finding.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (owner == "closed" || finding.Status != "open")
            {
                return new Failure(FailureKind.Conflict, text["Audit.FindingSettled", finding.Number, finding.Status]);
            }
            var errors = text.Errors();
            if (await change(connection, tx, finding, errors) is not { } done)
            {
                return text.Invalid(errors);
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(FindingRecordType, findingId.ToString("D"), done.Action, null, done.Changes), ct);
            var saved = (await FindingAsync(connection, tx, auditId, findingId, ct))!;
            if (saved.ActionOwnerId is { } o)
            {
                saved.ActionOwnerName = (await directory.FindUserAsync(o, ct))?.DisplayName;
            }
            return saved;
        }, ct);

    private static Task<FindingView?> FindingAsync(DbConnection connection, DbTransaction? tx, Guid auditId, Guid findingId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<FindingView>(new CommandDefinition(
            $"SELECT {FindingView.Columns} FROM cmdb_audit_findings WHERE id = @findingId AND audit_id = @auditId", new { auditId, findingId }, tx, cancellationToken: ct));

    /// <summary>Closes the audit; refused (409, naming them) while any finding is still open.</summary>
    public Task<Outcome<AuditView>> CloseAsync(Guid id, int expectedVersion, CancellationToken ct = default) =>
        database.WriteAsync<Outcome<AuditView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (current.Status == "closed")
            {
                return new Failure(FailureKind.Conflict, text["Audit.Closed", current.Number]);
            }
            var open = current.Findings!.Where(f => f.Status == "open").ToList();
            if (open.Count > 0)
            {
                return new Failure(FailureKind.Conflict, text["Audit.OpenFindings", current.Number,
                    string.Join(", ", open.Select(f => $"#{f.Number} {f.Kind} {f.CiIdentifier ?? f.Name}"))]);
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cmdb_audits SET status = 'closed', closed_at = @now, closed_by = @by, version = version + 1 WHERE id = @id AND version = @version",
                new { id, now = clock.GetUtcNow(), by = caller.ActorId, version = expectedVersion }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "closed", null, [new AuditChange("status", "open", "closed")]), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);

    /// <summary>The audit report as sheets: a summary, then every finding with its action and result, headers in the caller's language.</summary>
    public IReadOnlyList<TableOut> Report(AuditView a)
    {
        string T(string key) => text[$"Audit.Report.{key}"];
        var summary = new List<IReadOnlyList<TableCell>>
        {
            new TableCell[] { T("Number"), a.Number }, new TableCell[] { T("Title"), a.Title },
            new TableCell[] { T("Scope"), string.Join(", ", a.ScopeClasses) + (a.ScopeLocation is { } l ? $" @ {l}" : "") },
            new TableCell[] { T("File"), a.FileName },
            new TableCell[] { T("PerformedAt"), a.PerformedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" },
            new TableCell[] { T("PerformedBy"), a.PerformedByName }, new TableCell[] { T("Status"), text[$"Audit.Status.{a.Status}"] },
            new TableCell[] { T("Observed"), TableCell.Of(a.ObservedCount) }, new TableCell[] { T("Matched"), TableCell.Of(a.MatchedCount) },
            new TableCell[] { text["Audit.Kind.missing"], TableCell.Of(a.MissingCount) }, new TableCell[] { text["Audit.Kind.unexpected"], TableCell.Of(a.UnexpectedCount) },
            new TableCell[] { text["Audit.Kind.differing"], TableCell.Of(a.DifferingCount) },
        };
        var findings = (a.Findings ?? []).Select(f => (IReadOnlyList<TableCell>)
        [
            TableCell.Of(f.Number), text[$"Audit.Kind.{f.Kind}"], f.CiIdentifier ?? "", f.ClassKey, f.Name, f.ObservedRow is { } r ? TableCell.Of(r) : "",
            string.Join("; ", f.Differences.Select(d => $"{d.Field}: {d.Recorded ?? "—"} → {d.Observed ?? "—"}")),
            f.ActionText ?? "", f.ActionOwnerName ?? "", f.ActionDue ?? "", f.ResultText ?? "", f.ResolvedByName ?? "",
            f.ResolvedAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "", text[$"Audit.Status.{f.Status}"],
        ]).ToList();
        return
        [
            new TableOut(T("SummarySheet"), [T("Item"), T("Value")], summary),
            new TableOut(T("FindingsSheet"),
                [.. FindingColumnKeys.Select(T)],
                findings),
        ];
    }



    private sealed class FindingRow
    {
        public Guid Id { get; init; }
        public Guid AuditId { get; init; }
        public int Number { get; init; }
        public string Kind { get; init; } = "";
        public Guid? CiId { get; init; }
        public string? CiIdentifier { get; init; }
        public string ClassKey { get; init; } = "";
        public string Name { get; init; } = "";
        public int? ObservedRow { get; init; }
        public string Differences { get; init; } = "";
        public DateTimeOffset Now { get; init; }
    }
}
