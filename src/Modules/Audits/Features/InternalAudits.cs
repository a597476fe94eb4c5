using System.Data.Common;
using System.Text.Json;
using Certus.Audits.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Improvement.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Audits.Features;

/// <summary>An auditor on an audit: <c>lead</c> or <c>member</c>.</summary>
public sealed record AuditorView(Guid UserId, string Name, string Role);

/// <summary>One checklist item: the clause it tests, the question the auditor asks (editable), the answer and notes.</summary>
public sealed class ChecklistItemView : IVersioned
{
    public Guid Id { get; init; }
    public int Seq { get; init; }
    public string Clause { get; init; } = "";
    public string Question { get; init; } = "";
    public string? Result { get; init; }
    public string? Notes { get; init; }
    public int Version { get; init; }
}

/// <summary>A finding: what was found against which clause, with evidence, its nonconformity record and its follow-up.</summary>
public sealed class AuditFindingView : IVersioned
{
    public Guid Id { get; init; }
    public Guid AuditId { get; init; }
    public int Number { get; init; }
    public string Kind { get; init; } = "";
    public string? Clause { get; init; }
    public Guid? AreaId { get; init; }
    public string Statement { get; init; } = "";
    public string Evidence { get; init; } = "";
    public Guid? NcId { get; init; }
    public string? NcNumber { get; init; }
    public string? NcStatus { get; set; }
    public string? EffectivenessResult { get; init; }
    public string? EffectivenessNote { get; init; }
    public DateTimeOffset? EffectivenessCheckedAt { get; init; }
    public string? EffectivenessCheckedByName { get; init; }
    public string Status { get; init; } = "";
    public string? CloseNote { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedByName { get; init; } = "";
    public int Version { get; init; }

    internal const string Columns =
        "id, audit_id, number, kind, clause, area_id, statement, evidence, nc_id, nc_number, effectiveness_result, effectiveness_note, "
        + "effectiveness_checked_at, effectiveness_checked_by_name, status, close_note, closed_at, created_at, created_by_name, version";
}

/// <summary>An internal audit with its scope, criteria, auditors, checklist and findings.</summary>
public sealed class AuditView : IVersioned
{
    public Guid Id { get; init; }
    public Guid ProgrammeId { get; init; }
    public int Year { get; init; }
    public string Number { get; init; } = "";
    public string Title { get; init; } = "";
    public string Scope { get; init; } = "";
    public IReadOnlyList<string> Criteria { get; private set; } = [];
    public string PlannedStart { get; init; } = "";
    public string PlannedEnd { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Summary { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? ReportedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedByName { get; init; } = "";
    public int Version { get; init; }
    public IReadOnlyList<AreaView> Areas { get; set; } = [];
    public IReadOnlyList<AuditorView> Auditors { get; set; } = [];
    public IReadOnlyList<ChecklistItemView>? Checklist { get; set; }
    public IReadOnlyList<AuditFindingView>? Findings { get; set; }
    public int OpenFindings { get; set; }
    public IReadOnlyList<string> AllowedMoves { get; set; } = [];

    internal string CriteriaJson { get => JsonSerializer.Serialize(Criteria); init => Criteria = JsonSerializer.Deserialize<string[]>(value) ?? []; }

    internal const string Columns =
        "a.id, a.programme_id, p.year, a.number, a.title, a.scope, a.criteria AS CriteriaJson, a.planned_start, a.planned_end, a.status, a.summary, a.started_at, "
        + "a.reported_at, a.closed_at, a.created_at, a.created_by_name, a.version";
}

/// <summary>
/// Internal audits (ISO/IEC 20000-1:2018 9.2; 2005 4.3; manual §2.1.10, §3.4.1-§3.4.2, §3.4.5): planned in the year's
/// programme with scope, criteria (clauses) and auditors who do not audit their own work; a checklist with one item per
/// clause; findings with evidence, each nonconformity raised in the improvement register; the report; and follow-up
/// until every finding is closed, a nonconformity only after its effectiveness was checked.
/// </summary>
public sealed class InternalAudits(
    Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, INonconformityRegister register, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "internal-audit";
    public const string FindingRecordType = "internal-audit-finding";

    /// <param name="Year">The programme's year.</param>
    /// <param name="Title">What the audit is called.</param>
    /// <param name="Scope">What it covers, in words.</param>
    /// <param name="Criteria">Clauses such as <c>2018:8.5.1</c> (or <c>8.5.1</c>, taken as 2018).</param>
    /// <param name="AreaIds">The process areas audited.</param>
    /// <param name="LeadAuditorId">The lead auditor.</param>
    /// <param name="AuditorIds">Further auditors.</param>
    /// <param name="PlannedStart">yyyy-MM-dd.</param>
    /// <param name="PlannedEnd">yyyy-MM-dd.</param>
    public sealed record Request(
        int? Year, string? Title, string? Scope, IReadOnlyList<string>? Criteria, IReadOnlyList<Guid>? AreaIds, Guid? LeadAuditorId,
        IReadOnlyList<Guid>? AuditorIds, string? PlannedStart, string? PlannedEnd);

    public sealed record AuditorsRequest(Guid? LeadAuditorId, IReadOnlyList<Guid>? AuditorIds);

    public sealed record MoveRequest(string? Move, string? Reason = null, string? Summary = null);

    public sealed record ChecklistRequest(string? Question, string? Result, string? Notes);

    public sealed record FindingRequest(string? Kind, string? Clause, Guid? AreaId, string? Statement, string? Evidence);

    public sealed record EffectivenessRequest(bool? Effective, string? Note);

    public sealed record CloseFindingRequest(string? Note);

    public async Task<IReadOnlyList<AuditView>> ListAsync(int? year, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var audits = (await connection.QueryAsync<AuditView>(new CommandDefinition(
            $"SELECT {AuditView.Columns} FROM aud_audits a JOIN aud_programmes p ON p.id = a.programme_id WHERE (@year = 0 OR p.year = @year) ORDER BY a.planned_start, a.number",
            new { year = year ?? 0 }, cancellationToken: ct))).ToList();
        var open = (await connection.QueryAsync<(Guid AuditId, long Count)>(new CommandDefinition(
            "SELECT audit_id, count(*) FROM aud_findings WHERE status = 'open' GROUP BY audit_id", cancellationToken: ct))).ToDictionary(o => o.AuditId, o => (int)o.Count);
        var auditors = await AuditorsAsync(connection, null, audits.Select(a => a.Id).ToArray(), ct);
        foreach (var a in audits)
        {
            a.OpenFindings = open.GetValueOrDefault(a.Id);
            a.Auditors = auditors.GetValueOrDefault(a.Id) ?? [];
            a.AllowedMoves = [.. AuditLifecycle.Allowed(AuditNames.ParseStatus(a.Status)).Select(t => t.Key())];
        }
        return audits;
    }

    public async Task<AuditView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await GetAsync(connection, null, id, ct);
        if (found?.Findings is { } findings)
        {
            var ncs = await register.FindAsync(findings.Where(f => f.NcId is not null).Select(f => f.NcId!.Value), ct);
            foreach (var f in findings)
            {
                f.NcStatus = f.NcId is { } nc && ncs.TryGetValue(nc, out var s) ? s.Status : null;
            }
        }
        return found;
    }

    private async Task<AuditView?> GetAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct)
    {
        var found = await connection.QuerySingleOrDefaultAsync<AuditView>(new CommandDefinition(
            $"SELECT {AuditView.Columns} FROM aud_audits a JOIN aud_programmes p ON p.id = a.programme_id WHERE a.id = @id", new { id }, tx, cancellationToken: ct));
        if (found is null)
        {
            return null;
        }
        found.Checklist = (await connection.QueryAsync<ChecklistItemView>(new CommandDefinition(
            "SELECT id, seq, clause, question, result, notes, version FROM aud_checklist_items WHERE audit_id = @id ORDER BY seq", new { id }, tx, cancellationToken: ct))).ToList();
        found.Findings = (await connection.QueryAsync<AuditFindingView>(new CommandDefinition(
            $"SELECT {AuditFindingView.Columns} FROM aud_findings WHERE audit_id = @id ORDER BY number", new { id }, tx, cancellationToken: ct))).ToList();
        found.OpenFindings = found.Findings.Count(f => f.Status == "open");
        var areaIds = (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT area_id FROM aud_audit_areas WHERE audit_id = @id", new { id }, tx, cancellationToken: ct))).ToHashSet();
        var areas = (await connection.QueryAsync<AreaView>(new CommandDefinition(
            $"SELECT {AreaView.Columns} FROM aud_areas ORDER BY name", transaction: tx, cancellationToken: ct))).Where(a => areaIds.Contains(a.Id)).ToList();
        var owners = await directory.FindUsersAsync(areas.Select(a => a.OwnerId).Distinct(), ct);
        foreach (var a in areas)
        {
            a.OwnerName = owners.TryGetValue(a.OwnerId, out var u) ? u.DisplayName : null;
        }
        found.Areas = areas;
        found.Auditors = (await AuditorsAsync(connection, tx, [id], ct)).GetValueOrDefault(id) ?? [];
        found.AllowedMoves = [.. AuditLifecycle.Allowed(AuditNames.ParseStatus(found.Status)).Select(t => t.Key())];
        return found;
    }

    private async Task<Dictionary<Guid, IReadOnlyList<AuditorView>>> AuditorsAsync(DbConnection connection, DbTransaction? tx, Guid[] ids, CancellationToken ct)
    {
        if (ids.Length == 0)
        {
            return [];
        }
        var rows = (await connection.QueryAsync<(Guid AuditId, Guid UserId, string Role)>(new CommandDefinition(
            $"SELECT audit_id, user_id, role FROM aud_audit_auditors WHERE {SqlDialect.For(connection).In("audit_id", "ids")}", new { ids }, tx, cancellationToken: ct))).ToList();
        var users = await directory.FindUsersAsync(rows.Select(r => r.UserId).Distinct(), ct);
        return rows.GroupBy(r => r.AuditId).ToDictionary(g => g.Key, g => (IReadOnlyList<AuditorView>)
            [.. g.OrderBy(r => r.Role == "lead" ? 0 : 1).Select(r => new AuditorView(r.UserId, users.TryGetValue(r.UserId, out var u) ? u.DisplayName : "", r.Role))]);
    }

    /// <summary>Clause references as the audit keeps them: <c>edition:number</c>, 2018 when no edition is given.</summary>
    internal static string? NormaliseClause(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        var value = raw.Trim();
        var edition = "2018";
        if (value.Contains(':', StringComparison.Ordinal))
        {
            edition = value[..value.IndexOf(':', StringComparison.Ordinal)].Trim();
            value = value[(value.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        if (edition is not ("2018" or "2005") || value.Length is 0 or > 12 || !value.Split('.').All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
        {
            return null;
        }
        return $"{edition}:{value}";
    }

    /// <summary>Plans an audit in the year's programme and generates its checklist, one item per clause.</summary>
    public async Task<Outcome<AuditView>> CreateAsync(Request request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("title", request.Title, 200).Required("scope", request.Scope, 4000);
        var criteria = new List<string>();
        foreach (var raw in request.Criteria ?? [])
        {
            if (NormaliseClause(raw) is { } clause)
            {
                if (!criteria.Contains(clause, StringComparer.Ordinal))
                {
                    criteria.Add(clause);
                }
            }
            else
            {
                errors.AddMessage("criteria", text["Audit.ClauseFormat", raw]);
            }
        }
        if (criteria.Count == 0 && (request.Criteria ?? []).Count == 0)
        {
            errors.Add("criteria", "Validation.Required");
        }
        var areaIds = request.AreaIds?.Distinct().ToList() ?? [];
        if (areaIds.Count == 0)
        {
            errors.Add("areaIds", "Validation.Required");
        }
        if (!CalendarDates.TryParse(request.PlannedStart, out var start) || start is null)
        {
            errors.AddMessage("plannedStart", text["Validation.Date"]);
        }
        if (!CalendarDates.TryParse(request.PlannedEnd, out var end) || end is null)
        {
            errors.AddMessage("plannedEnd", text["Validation.Date"]);
        }
        else if (start is not null && string.CompareOrdinal(end, start) < 0)
        {
            errors.AddMessage("plannedEnd", text["Audit.EndBeforeStart"]);
        }
        errors.When(request.Year is null, "year", "Validation.Required");
        var areas = await LoadAreasAsync(areaIds, errors, ct);
        await CheckAuditorsAsync(request.LeadAuditorId, request.AuditorIds, areas, errors, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<AuditView>>(async (connection, tx) =>
        {
            var programme = await connection.QuerySingleOrDefaultAsync<ProgrammeView>(new CommandDefinition(
                "SELECT id, year, title, objectives, created_at, created_by_name, version FROM aud_programmes WHERE year = @year", new { year = request.Year }, tx, cancellationToken: ct));
            if (programme is null)
            {
                return text.Invalid(text.Errors().AddMessage("year", text["Audit.NoProgramme", request.Year!.Value]));
            }
            var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM aud_audits WHERE programme_id = @id", new { id = programme.Id }, tx, cancellationToken: ct));
            var id = Guid.CreateVersion7();
            var number = $"IA-{programme.Year}-{count + 1:D2}";
            var now = clock.GetUtcNow();
            var row = new
            {
                id, programmeId = programme.Id, number, title = request.Title!.Trim(), scope = request.Scope!.Trim(), criteria = JsonSerializer.Serialize(criteria),
                start, end, now, byName = caller.ActorName,
            };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO aud_audits (id, programme_id, number, title, scope, criteria, planned_start, planned_end, status, created_at, created_by_name, version)
                VALUES (@id, @programmeId, @number, @title, @scope, @criteria, @start, @end, 'planned', @now, @byName, 1)
                """, row, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO aud_audit_areas (audit_id, area_id) VALUES (@id, @areaId)", areaIds.Select(a => new { id, areaId = a }), tx, cancellationToken: ct));
            await SetAuditorsAsync(connection, tx, id, request.LeadAuditorId!.Value, request.AuditorIds, ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO aud_checklist_items (id, audit_id, seq, clause, question, version) VALUES (@itemId, @id, @seq, @clause, @question, 1)",
                criteria.Select((c, i) => new { itemId = Guid.CreateVersion7(), id, seq = i + 1, clause = c, question = text["Checklist.Question", c] }), tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "planned", null,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["number"] = number, ["title"] = row.title, ["scope"] = row.scope, ["criteria"] = row.criteria, ["areas"] = string.Join(",", areas.Select(a => a.Name)),
                    ["leadAuditorId"] = request.LeadAuditorId, ["auditorIds"] = string.Join(",", request.AuditorIds ?? []), ["plannedStart"] = start, ["plannedEnd"] = end,
                })), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    private async Task<List<AreaView>> LoadAreasAsync(IReadOnlyList<Guid> areaIds, FieldErrors errors, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var all = (await connection.QueryAsync<AreaView>(new CommandDefinition($"SELECT {AreaView.Columns} FROM aud_areas", cancellationToken: ct))).ToDictionary(a => a.Id);
        var result = new List<AreaView>();
        foreach (var id in areaIds)
        {
            if (all.TryGetValue(id, out var area))
            {
                result.Add(area);
            }
            else
            {
                errors.Add("areaIds", "Validation.Unknown", id);
            }
        }
        return result;
    }

    /// <summary>
    /// Auditors are active provider staff and do not audit their own work (ISO/IEC 20000-1:2018 9.2.2 c: objectivity and
    /// impartiality): nobody who owns or works in an audited area may audit it.
    /// </summary>
    private async Task CheckAuditorsAsync(Guid? lead, IReadOnlyList<Guid>? others, IReadOnlyList<AreaView> areas, FieldErrors errors, CancellationToken ct)
    {
        if (lead is null)
        {
            errors.Add("leadAuditorId", "Validation.Required");
        }
        foreach (var (field, user) in new[] { ("leadAuditorId", lead) }.Concat((others ?? []).Select(o => ("auditorIds", (Guid?)o))))
        {
            if (user is not { } u)
            {
                continue;
            }
            if (!await AuditProgrammes.IsStaffAsync(directory, u, ct))
            {
                errors.Add(field, "Validation.Unknown", u);
                continue;
            }
            foreach (var area in areas.Where(a => a.People.Contains(u)))
            {
                var name = (await directory.FindUserAsync(u, ct))?.DisplayName ?? u.ToString("D");
                errors.AddMessage(field, text[area.OwnerId == u ? "Audit.OwnWorkOwner" : "Audit.OwnWorkMember", name, area.Name]);
            }
        }
    }

    private static async Task SetAuditorsAsync(DbConnection connection, DbTransaction tx, Guid id, Guid lead, IReadOnlyList<Guid>? others, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM aud_audit_auditors WHERE audit_id = @id", new { id }, tx, cancellationToken: ct));
        var rows = new[] { new { id, userId = lead, role = "lead" } }
            .Concat((others ?? []).Where(o => o != lead).Distinct().Select(o => new { id, userId = o, role = "member" }));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO aud_audit_auditors (audit_id, user_id, role) VALUES (@id, @userId, @role)", rows, tx, cancellationToken: ct));
    }

    /// <summary>Assigns the audit team while the audit is planned or under way, with the same independence rule.</summary>
    public async Task<Outcome<AuditView>> SetAuditorsAsync(Guid id, int expectedVersion, AuditorsRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors();
        var current = await GetAsync(id, ct);
        if (current is null)
        {
            return text.NotFound();
        }
        await CheckAuditorsAsync(request.LeadAuditorId, request.AuditorIds, current.Areas, errors, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<AuditView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } now)
            {
                return text.NotFound();
            }
            if (now.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (now.Status is not ("planned" or "in-progress"))
            {
                return new Failure(FailureKind.Conflict, text["Audit.TeamFixed", now.Number, text[$"Audit.Status.{now.Status}"]]);
            }
            await SetAuditorsAsync(connection, tx, id, request.LeadAuditorId!.Value, request.AuditorIds, ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE aud_audits SET version = version + 1 WHERE id = @id AND version = @version", new { id, version = expectedVersion }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "auditors", null,
                [
                    new AuditChange("leadAuditorId", now.Auditors.FirstOrDefault(a => a.Role == "lead")?.UserId.ToString("D"), request.LeadAuditorId.Value.ToString("D")),
                    new AuditChange("auditorIds", string.Join(",", now.Auditors.Where(a => a.Role != "lead").Select(a => a.UserId)), string.Join(",", request.AuditorIds ?? [])),
                ]), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>Moves the audit on: start, report (with the summary; every checklist item answered), close (every finding closed), cancel (reason).</summary>
    public async Task<Outcome<AuditView>> MoveAsync(Guid id, int expectedVersion, MoveRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Optional("reason", request.Reason, 2000);
        var trigger = AuditNames.ParseTrigger(request.Move);
        if (trigger is null)
        {
            errors.Add("move", "Validation.OneOf", string.Join(", ", Enum.GetValues<AuditTrigger>().Select(t => t.Key())));
        }
        if (trigger == AuditTrigger.Report)
        {
            errors.Required("summary", request.Summary, 20000);
        }
        if (trigger == AuditTrigger.Cancel)
        {
            errors.Required("reason", request.Reason, 2000);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<AuditView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            var from = AuditNames.ParseStatus(current.Status);
            if (AuditLifecycle.Next(from, trigger!.Value) is not { } to)
            {
                var allowed = AuditLifecycle.Allowed(from);
                return new Failure(FailureKind.Conflict, text["Audit.IllegalMove", request.Move!, text[$"Audit.Status.{current.Status}"],
                    allowed.Count == 0 ? text["Audit.NoMoves"] : string.Join(", ", allowed.Select(t => t.Key()))]);
            }
            if (trigger == AuditTrigger.Report && current.Checklist!.Where(c => c.Result is null).Select(c => c.Clause).ToList() is { Count: > 0 } unanswered)
            {
                return new Failure(FailureKind.Conflict, text["Audit.Unanswered", current.Number, string.Join(", ", unanswered)]);
            }
            if (trigger == AuditTrigger.Close && current.Findings!.Where(f => f.Status == "open").ToList() is { Count: > 0 } open)
            {
                return new Failure(FailureKind.Conflict, text["Audit.FindingsStillOpen", current.Number, string.Join(", ", open.Select(f => $"#{f.Number}"))]);
            }
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE aud_audits SET status = @status, summary = COALESCE(CAST(@summary AS TEXT), summary),
                    started_at = CASE WHEN @status = 'in-progress' THEN @now ELSE started_at END,
                    reported_at = CASE WHEN @status = 'reported' THEN @now ELSE reported_at END,
                    closed_at = CASE WHEN @status IN ('closed', 'cancelled') THEN @now ELSE closed_at END,
                    version = version + 1
                WHERE id = @id AND version = @version
                """, new { status = to.Key(), summary = CalendarDates.Blank(request.Summary), now, id, version = expectedVersion }, tx, cancellationToken: ct));
            var changes = new List<AuditChange> { new("status", current.Status, to.Key()) };
            if (CalendarDates.Blank(request.Summary) is { } summary)
            {
                changes.Add(new AuditChange("summary", current.Summary, summary));
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), request.Move!, null, changes,
                request.Reason ?? text[$"Audit.Moved.{request.Move}"]), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>Edits a checklist item's question or records its answer, while the audit is planned or under way.</summary>
    public Task<Outcome<ChecklistItemView>> AnswerAsync(Guid auditId, Guid itemId, int expectedVersion, ChecklistRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("question", request.Question, 2000).Optional("notes", request.Notes, 8000);
        if (request.Result is { Length: > 0 } r && !AuditNames.ChecklistResults.Contains(r, StringComparer.Ordinal))
        {
            errors.Add("result", "Validation.OneOf", string.Join(", ", AuditNames.ChecklistResults));
        }
        if (!errors.IsEmpty)
        {
            return Task.FromResult<Outcome<ChecklistItemView>>(text.Invalid(errors));
        }
        return database.WriteAsync<Outcome<ChecklistItemView>>(async (connection, tx) =>
        {
            var status = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT status FROM aud_audits WHERE id = @auditId", new { auditId }, tx, cancellationToken: ct));
            var item = await connection.QuerySingleOrDefaultAsync<ChecklistItemView>(new CommandDefinition(
                "SELECT id, seq, clause, question, result, notes, version FROM aud_checklist_items WHERE id = @itemId AND audit_id = @auditId", new { auditId, itemId }, tx, cancellationToken: ct));
            if (status is null || item is null)
            {
                return text.NotFound();
            }
            if (item.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (status is not ("planned" or "in-progress"))
            {
                return new Failure(FailureKind.Conflict, text["Audit.ChecklistFixed", text[$"Audit.Status.{status}"]]);
            }
            if (status == "planned" && !string.IsNullOrEmpty(request.Result))
            {
                return new Failure(FailureKind.Conflict, text["Audit.NotStarted"]);
            }
            var after = new { question = request.Question!.Trim(), result = CalendarDates.Blank(request.Result), notes = CalendarDates.Blank(request.Notes) };
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE aud_checklist_items SET question = @question, result = @result, notes = @notes, version = version + 1 WHERE id = @itemId AND version = @version",
                new { after.question, after.result, after.notes, itemId, version = expectedVersion }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, auditId.ToString("D"), "checklist", null, AuditTrail.Diff(
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["clause"] = item.Clause, ["question"] = item.Question, ["result"] = item.Result, ["notes"] = item.Notes },
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["clause"] = item.Clause, ["question"] = after.question, ["result"] = after.result, ["notes"] = after.notes }),
                text["Checklist.Answered", item.Clause]), ct);
            return await connection.QuerySingleAsync<ChecklistItemView>(new CommandDefinition(
                "SELECT id, seq, clause, question, result, notes, version FROM aud_checklist_items WHERE id = @itemId", new { itemId }, tx, cancellationToken: ct));
        }, ct);
    }

    /// <summary>Records a finding while the audit is under way; a minor or major nonconformity opens a nonconformity record.</summary>
    public async Task<Outcome<AuditFindingView>> AddFindingAsync(Guid auditId, FindingRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("statement", request.Statement, 4000).Required("evidence", request.Evidence, 8000);
        errors.When(!AuditNames.FindingKinds.Contains(request.Kind ?? "", StringComparer.Ordinal), "kind", "Validation.OneOf", string.Join(", ", AuditNames.FindingKinds));
        var clause = NormaliseClause(request.Clause);
        if (!string.IsNullOrWhiteSpace(request.Clause) && clause is null)
        {
            errors.AddMessage("clause", text["Audit.ClauseFormat", request.Clause]);
        }
        if (AuditNames.IsNonconformity(request.Kind ?? "") && clause is null && string.IsNullOrWhiteSpace(request.Clause))
        {
            // A nonconformity is a requirement not met: say which.
            errors.Add("clause", "Validation.Required");
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<AuditFindingView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, auditId, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Status != "in-progress")
            {
                return new Failure(FailureKind.Conflict, text["Audit.FindingsOnlyInProgress", current.Number, text[$"Audit.Status.{current.Status}"]]);
            }
            if (request.AreaId is { } areaId && current.Areas.All(a => a.Id != areaId))
            {
                return text.Invalid(text.Errors().Add("areaId", "Validation.Unknown", areaId));
            }
            var id = Guid.CreateVersion7();
            var number = current.Findings!.Count == 0 ? 1 : current.Findings.Max(f => f.Number) + 1;
            NonconformitySummary? nc = null;
            if (AuditNames.IsNonconformity(request.Kind!))
            {
                nc = await register.RaiseAsync(new RaiseNonconformity("audit", $"{current.Number} #{number}", id.ToString("D"), request.Statement!.Trim(),
                    request.Evidence!.Trim(), request.Kind!, clause), connection, tx, ct);
            }
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO aud_findings (id, audit_id, number, kind, clause, area_id, statement, evidence, nc_id, nc_number, status, created_at, created_by_name, version)
                VALUES (@id, @auditId, @number, @kind, @clause, @areaId, @statement, @evidence, @ncId, @ncNumber, @status, @now, @byName, 1)
                """,
                new
                {
                    id, auditId, number, kind = request.Kind, clause, areaId = request.AreaId, statement = request.Statement!.Trim(), evidence = request.Evidence!.Trim(),
                    ncId = nc?.Id, ncNumber = nc?.Number, status = "open", now, byName = caller.ActorName,
                }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(FindingRecordType, id.ToString("D"), "recorded", null,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["audit"] = current.Number, ["number"] = number, ["kind"] = request.Kind, ["clause"] = clause, ["statement"] = request.Statement.Trim(),
                    ["evidence"] = request.Evidence.Trim(), ["nonconformity"] = nc?.Number,
                }), nc is null ? null : text["Finding.RaisedNc", nc.Number]), ct);
            var saved = await FindingAsync(connection, tx, auditId, id, ct);
            saved!.NcStatus = nc?.Status;
            return saved;
        }, ct);
    }

    private static Task<AuditFindingView?> FindingAsync(DbConnection connection, DbTransaction? tx, Guid auditId, Guid findingId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<AuditFindingView>(new CommandDefinition(
            $"SELECT {AuditFindingView.Columns} FROM aud_findings WHERE id = @findingId AND audit_id = @auditId", new { auditId, findingId }, tx, cancellationToken: ct));

    public async Task<AuditFindingView?> FindingAsync(Guid auditId, Guid findingId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await FindingAsync(connection, null, auditId, findingId, ct);
    }

    /// <summary>
    /// The auditor's follow-up check of a nonconformity finding (ISO/IEC 20000-1:2018 10.1 d): effective only once the
    /// corrective action in its nonconformity record is done.
    /// </summary>
    public async Task<Outcome<AuditFindingView>> CheckEffectivenessAsync(Guid auditId, Guid findingId, int expectedVersion, EffectivenessRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("note", request.Note, 8000);
        errors.When(request.Effective is null, "effective", "Validation.Required");
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var finding = await FindingAsync(auditId, findingId, ct);
        var nc = finding?.NcId is { } ncId ? (await register.FindAsync([ncId], ct)).GetValueOrDefault(ncId) : null;
        return await ChangeFindingAsync(auditId, findingId, expectedVersion, async (connection, tx, f) =>
        {
            if (!AuditNames.IsNonconformity(f.Kind))
            {
                return new Failure(FailureKind.Conflict, text["Finding.NoCheckNeeded", f.Number, text[$"Finding.Kind.{f.Kind}"]]);
            }
            if (request.Effective == true && nc is not null && nc.Status is not ("verification" or "verified" or "closed"))
            {
                return new Failure(FailureKind.Conflict, text["Finding.ActionNotDone", f.Number, nc.Number, text[$"Nc.Status.{nc.Status}"]]);
            }
            var result = request.Effective == true ? "effective" : "not-effective";
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE aud_findings SET effectiveness_result = @result, effectiveness_note = @note, effectiveness_checked_at = @now, effectiveness_checked_by_name = @byName,
                    version = version + 1
                WHERE id = @findingId AND version = @version
                """, new { result, note = request.Note!.Trim(), now = clock.GetUtcNow(), byName = caller.ActorName, findingId, version = expectedVersion }, tx, cancellationToken: ct));
            return new AuditEvent(FindingRecordType, findingId.ToString("D"), "effectiveness-checked", null,
                [new AuditChange("effectivenessResult", f.EffectivenessResult, result), new AuditChange("effectivenessNote", f.EffectivenessNote, request.Note.Trim())],
                request.Note.Trim());
        }, ct);
    }

    /// <summary>Closes a finding; a nonconformity only once its effectiveness check found the action effective.</summary>
    public Task<Outcome<AuditFindingView>> CloseFindingAsync(Guid auditId, Guid findingId, int expectedVersion, CloseFindingRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Optional("note", request.Note, 4000);
        if (!errors.IsEmpty)
        {
            return Task.FromResult<Outcome<AuditFindingView>>(text.Invalid(errors));
        }
        return ChangeFindingAsync(auditId, findingId, expectedVersion, async (connection, tx, f) =>
        {
            if (AuditNames.IsNonconformity(f.Kind) && f.EffectivenessResult != "effective")
            {
                return new Failure(FailureKind.Conflict, text["Finding.NeedsEffectiveness", f.Number]);
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE aud_findings SET status = 'closed', close_note = @note, closed_at = @now, version = version + 1 WHERE id = @findingId AND version = @version",
                new { note = CalendarDates.Blank(request.Note), now = clock.GetUtcNow(), findingId, version = expectedVersion }, tx, cancellationToken: ct));
            return new AuditEvent(FindingRecordType, findingId.ToString("D"), "closed", null, [new AuditChange("status", "open", "closed")],
                CalendarDates.Blank(request.Note) ?? text["Finding.Closed"]);
        }, ct);
    }

    private Task<Outcome<AuditFindingView>> ChangeFindingAsync(
        Guid auditId, Guid findingId, int expectedVersion, Func<DbConnection, DbTransaction, AuditFindingView, Task<OneOf>> change, CancellationToken ct) =>
        database.WriteAsync<Outcome<AuditFindingView>>(async (connection, tx) =>
        {
            var status = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT status FROM aud_audits WHERE id = @auditId", new { auditId }, tx, cancellationToken: ct));
            if (status is null || await FindingAsync(connection, tx, auditId, findingId, ct) is not { } finding)
            {
                return text.NotFound();
            }
            if (finding.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (finding.Status != "open")
            {
                return new Failure(FailureKind.Conflict, text["Finding.Closed.Already", finding.Number]);
            }
            if (status is not ("in-progress" or "reported"))
            {
                return new Failure(FailureKind.Conflict, text["Finding.NotYet", text[$"Audit.Status.{status}"]]);
            }
            var done = await change(connection, tx, finding);
            if (done.Failure is { } failure)
            {
                return failure;
            }
            await audit.WriteAsync(connection, tx, done.Event!, ct);
            var saved = (await FindingAsync(connection, tx, auditId, findingId, ct))!;
            if (saved.NcId is { } nc)
            {
                saved.NcStatus = (await register.FindAsync([nc], ct)).GetValueOrDefault(nc)?.Status;
            }
            return saved;
        }, ct);

    /// <summary>Either the audit entry of a change made, or the refusal (made before anything was written).</summary>
    private readonly record struct OneOf(AuditEvent? Event, Failure? Failure)
    {
        public static implicit operator OneOf(AuditEvent e) => new(e, null);

        public static implicit operator OneOf(Failure f) => new(null, f);
    }
}
