using System.Data.Common;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Improvement.Domain;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Improvement.Features;

/// <summary>A nonconformity or potential nonconformity with its correction, root cause, action and effectiveness check.</summary>
public sealed class NonconformityView : IVersioned
{
    public Guid Id { get; init; }
    public string Number { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Source { get; init; } = "";
    public string? SourceRef { get; init; }
    public string? SourceId { get; init; }
    public string Title { get; set; } = "";
    public string? Description { get; init; }
    public string Severity { get; init; } = "";
    public string? Clause { get; init; }
    public Guid? OwnerId { get; init; }
    public string? OwnerName { get; set; }
    public string? DueDate { get; init; }
    public string? Correction { get; init; }
    public string? RootCause { get; init; }
    public string? ActionText { get; init; }
    public string? ImplementationNote { get; init; }
    public string? EffectivenessResult { get; init; }
    public string? EffectivenessNote { get; init; }
    public DateTimeOffset? EffectivenessCheckedAt { get; init; }
    public string? EffectivenessCheckedByName { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset RaisedAt { get; init; }
    public string RaisedByName { get; init; } = "";
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }

    /// <summary>Open with its action due before today.</summary>
    public bool Overdue { get; set; }

    /// <summary>The moves possible now.</summary>
    public IReadOnlyList<string> AllowedMoves { get; set; } = [];

    internal const string Columns =
        "id, number, kind, source, source_ref, source_id, title, description, severity, clause, owner_id, due_date, correction, root_cause, action_text, "
        + "implementation_note, effectiveness_result, effectiveness_note, effectiveness_checked_at, effectiveness_checked_by_name, status, raised_at, "
        + "raised_by_name, closed_at, updated_at, version";
}

/// <summary>
/// The nonconformity register (ISO/IEC 20000-1:2018 10.1; 2005 4.4; manual §3.4.2, §3.4.5): raised by hand, from
/// audits and from SLA breaches; each is corrected, its root cause found, a corrective (or, for a potential one,
/// preventive) action planned with an owner and a due date and carried out, and the action's effectiveness checked
/// before it may close.
/// </summary>
public sealed class Nonconformities(Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "nonconformity";

    public sealed record Request(
        string? Kind, string? Source, string? SourceRef, string? Title, string? Description, string? Severity, string? Clause, Guid? OwnerId, string? DueDate);

    /// <param name="Move">One of <see cref="NcNames.Moves"/>.</param>
    /// <param name="Reason">Why, for the audit trail; required to reject.</param>
    /// <param name="Correction">What was done at once to contain it (analyse).</param>
    /// <param name="RootCause">Why it happened (analyse).</param>
    /// <param name="ActionText">The corrective or preventive action (plan).</param>
    /// <param name="OwnerId">Who carries it out (plan).</param>
    /// <param name="DueDate">By when, yyyy-MM-dd (plan).</param>
    /// <param name="ImplementationNote">What was done (implement).</param>
    /// <param name="Effective">The effectiveness check's verdict (check-effectiveness).</param>
    /// <param name="EffectivenessNote">The evidence the verdict rests on (check-effectiveness).</param>
    public sealed record MoveRequest(
        string? Move, string? Reason = null, string? Correction = null, string? RootCause = null, string? ActionText = null, Guid? OwnerId = null,
        string? DueDate = null, string? ImplementationNote = null, bool? Effective = null, string? EffectivenessNote = null);

    /// <summary>The register, newest first, by status (or <c>open-all</c>), source and, to list those entered from one record such as <c>INC-000123</c>, source reference.</summary>
    public async Task<IReadOnlyList<NonconformityView>> ListAsync(string? status, string? source, string? sourceRef = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<NonconformityView>(new CommandDefinition(
            $"""
            SELECT {NonconformityView.Columns} FROM imp_nonconformities
            WHERE (@status = '' OR status = @status OR (@status = 'open-all' AND status NOT IN ('closed', 'rejected'))) AND (@source = '' OR source = @source)
                AND (@sourceRef = '' OR source_ref = @sourceRef)
            ORDER BY number DESC
            """, new { status = status ?? "", source = source ?? "", sourceRef = sourceRef ?? "" }, cancellationToken: ct))).ToList();
        await DecorateAsync(rows, ct);
        return rows;
    }

    public async Task<NonconformityView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await GetAsync(connection, null, id, ct);
        if (found is not null)
        {
            await DecorateAsync([found], ct);
        }
        return found;
    }

    internal static Task<NonconformityView?> GetAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<NonconformityView>(new CommandDefinition(
            $"SELECT {NonconformityView.Columns} FROM imp_nonconformities WHERE id = @id", new { id }, tx, cancellationToken: ct));

    private async Task DecorateAsync(IReadOnlyList<NonconformityView> rows, CancellationToken ct)
    {
        var owners = await directory.FindUsersAsync(rows.Where(r => r.OwnerId is not null).Select(r => r.OwnerId!.Value).Distinct(), ct);
        var today = CalendarDates.Day(clock.GetUtcNow());
        foreach (var r in rows)
        {
            r.OwnerName = r.OwnerId is { } o && owners.TryGetValue(o, out var u) ? u.DisplayName : null;
            var status = NcNames.ParseStatus(r.Status);
            r.Overdue = NonconformityLifecycle.IsOpen(status) && r.DueDate is { } due && string.CompareOrdinal(due, today) < 0;
            r.AllowedMoves = NonconformityLifecycle.Allowed(status);
            if (r.Source == "sla-breach" && r.Title.Length == 0)
            {
                r.Title = text["Nc.SlaBreachTitle", text[$"Nc.Metric.{r.SourceRef?.Split(' ')[0]}"], r.SourceRef?.Split(' ').ElementAtOrDefault(1) ?? ""];
            }
        }
    }

    /// <summary>Raises a nonconformity (or a potential one) by hand.</summary>
    public async Task<Outcome<NonconformityView>> CreateAsync(Request request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("title", request.Title, 300).Optional("description", request.Description, 8000)
            .Optional("sourceRef", request.SourceRef, 200).Optional("clause", request.Clause, 40);
        var kind = request.Kind ?? "nonconformity";
        errors.When(!NcNames.Kinds.Contains(kind, StringComparer.Ordinal), "kind", "Validation.OneOf", string.Join(", ", NcNames.Kinds));
        var source = request.Source ?? "manual";
        errors.When(!NcNames.ManualSources.Contains(source, StringComparer.Ordinal), "source", "Validation.OneOf", string.Join(", ", NcNames.ManualSources));
        var severity = request.Severity ?? "minor";
        errors.When(!NcNames.Severities.Contains(severity, StringComparer.Ordinal), "severity", "Validation.OneOf", string.Join(", ", NcNames.Severities));
        if (source is "incident" or "complaint" && string.IsNullOrWhiteSpace(request.SourceRef))
        {
            errors.AddMessage("sourceRef", text["Nc.SourceRefRequired"]);
        }
        if (!CalendarDates.TryParse(request.DueDate, out var due))
        {
            errors.AddMessage("dueDate", text["Validation.Date"]);
        }
        await CheckOwnerAsync(request.OwnerId, errors, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<NonconformityView>>(async (connection, tx) =>
        {
            var id = await InsertAsync(connection, tx, kind, source, CalendarDates.Blank(request.SourceRef), null, request.Title!.Trim(), CalendarDates.Blank(request.Description),
                severity, CalendarDates.Blank(request.Clause), request.OwnerId, due, ct);
            var saved = (await GetAsync(connection, tx, id, ct))!;
            await DecorateAsync([saved], ct);
            return saved;
        }, ct);
    }

    internal async Task<Guid> InsertAsync(
        DbConnection connection, DbTransaction tx, string kind, string source, string? sourceRef, string? sourceId, string title, string? description,
        string severity, string? clause, Guid? ownerId, string? due, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var number = await NextNumberAsync(connection, tx, "NC", ct);
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO imp_nonconformities (id, number, kind, source, source_ref, source_id, title, description, severity, clause, owner_id, due_date,
                status, raised_at, raised_by_name, updated_at, version)
            VALUES (@id, @number, @kind, @source, @sourceRef, @sourceId, @title, @description, @severity, @clause, @ownerId, @due,
                'open', @now, @byName, @now, 1)
            """, new { id, number, kind, source, sourceRef, sourceId, title, description, severity, clause, ownerId, due, now, byName = caller.ActorName },
            tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "raised", null,
            AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["number"] = number, ["kind"] = kind, ["source"] = source, ["sourceRef"] = sourceRef, ["title"] = title, ["severity"] = severity,
                ["clause"] = clause, ["ownerId"] = ownerId, ["dueDate"] = due, ["status"] = "open",
            }), text["Nc.RaisedFrom", source, sourceRef ?? "—"]), ct);
        return id;
    }

    internal static async Task<string> NextNumberAsync(DbConnection connection, DbTransaction tx, string prefix, CancellationToken ct)
    {
        var next = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO imp_counters (prefix, next_value) VALUES (@prefix, 1)
            ON CONFLICT (prefix) DO UPDATE SET next_value = imp_counters.next_value + 1
            RETURNING next_value
            """, new { prefix }, tx, cancellationToken: ct));
        return $"{prefix}-{next:D6}";
    }

    private async Task CheckOwnerAsync(Guid? ownerId, FieldErrors errors, CancellationToken ct)
    {
        if (ownerId is { } owner && (await directory.FindUserAsync(owner, ct) is not { IsActive: true } user
            || (await directory.FindOrganisationAsync(user.OrganisationId, ct))?.Kind != OrganisationKind.Provider))
        {
            errors.Add("ownerId", "Validation.Unknown", owner);
        }
    }

    /// <summary>Moves the nonconformity on by the transition table, recording what the move needs and why.</summary>
    public async Task<Outcome<NonconformityView>> MoveAsync(Guid id, int expectedVersion, MoveRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Optional("reason", request.Reason, 2000);
        NcTrigger? trigger = request.Move switch
        {
            "analyse" => NcTrigger.Analyse,
            "plan" => NcTrigger.Plan,
            "implement" => NcTrigger.Implement,
            "check-effectiveness" => request.Effective switch { true => NcTrigger.ConfirmEffective, false => NcTrigger.FindIneffective, null => null },
            "close" => NcTrigger.Close,
            "reject" => NcTrigger.Reject,
            _ => null,
        };
        if (!NcNames.Moves.Contains(request.Move ?? "", StringComparer.Ordinal))
        {
            errors.Add("move", "Validation.OneOf", string.Join(", ", NcNames.Moves));
        }
        string? due = null;
        switch (request.Move)
        {
            case "analyse":
                errors.Required("rootCause", request.RootCause, 8000).Optional("correction", request.Correction, 8000);
                break;
            case "plan":
                errors.Required("actionText", request.ActionText, 8000);
                errors.When(request.OwnerId is null, "ownerId", "Validation.Required");
                if (string.IsNullOrWhiteSpace(request.DueDate))
                {
                    errors.Add("dueDate", "Validation.Required");
                }
                else if (!CalendarDates.TryParse(request.DueDate, out due))
                {
                    errors.AddMessage("dueDate", text["Validation.Date"]);
                }
                await CheckOwnerAsync(request.OwnerId, errors, ct);
                break;
            case "implement":
                errors.Required("implementationNote", request.ImplementationNote, 8000);
                break;
            case "check-effectiveness":
                errors.When(request.Effective is null, "effective", "Validation.Required");
                errors.Required("effectivenessNote", request.EffectivenessNote, 8000);
                break;
            case "reject":
                errors.Required("reason", request.Reason, 2000);
                break;
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<NonconformityView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            var from = NcNames.ParseStatus(current.Status);
            if (NonconformityLifecycle.Next(from, trigger!.Value) is not { } to)
            {
                var allowed = NonconformityLifecycle.Allowed(from);
                return new Failure(FailureKind.Conflict, text["Nc.IllegalMove", request.Move!, text[$"Nc.Status.{current.Status}"],
                    allowed.Count == 0 ? text["Nc.NoMoves"] : string.Join(", ", allowed)]);
            }
            // ISO/IEC 20000-1:2018 10.1 e: no closure without the action found effective.
            if (trigger == NcTrigger.Close && current.EffectivenessResult != "effective")
            {
                return new Failure(FailureKind.Conflict, text["Nc.CloseNeedsEffective", current.Number]);
            }
            var now = clock.GetUtcNow();
            var before = Snapshot(current);
            var after = new Dictionary<string, object?>(before, StringComparer.Ordinal) { ["status"] = to.Key() };
            string reason;
            switch (trigger.Value)
            {
                case NcTrigger.Analyse:
                    after["correction"] = CalendarDates.Blank(request.Correction) ?? current.Correction;
                    after["rootCause"] = request.RootCause!.Trim();
                    reason = request.Reason ?? request.RootCause.Trim();
                    break;
                case NcTrigger.Plan:
                    after["actionText"] = request.ActionText!.Trim();
                    after["ownerId"] = request.OwnerId;
                    after["dueDate"] = due;
                    reason = request.Reason ?? request.ActionText.Trim();
                    break;
                case NcTrigger.Implement:
                    after["implementationNote"] = request.ImplementationNote!.Trim();
                    reason = request.Reason ?? request.ImplementationNote.Trim();
                    break;
                case NcTrigger.ConfirmEffective:
                case NcTrigger.FindIneffective:
                    after["effectivenessResult"] = trigger == NcTrigger.ConfirmEffective ? "effective" : "not-effective";
                    after["effectivenessNote"] = request.EffectivenessNote!.Trim();
                    reason = request.Reason ?? request.EffectivenessNote.Trim();
                    break;
                case NcTrigger.Close:
                    reason = request.Reason ?? text["Nc.ClosedEffective"];
                    break;
                case NcTrigger.Reject:
                    reason = request.Reason!.Trim();
                    break;
                default:
                    throw new InvalidOperationException();
            }
            var checkedNow = trigger is NcTrigger.ConfirmEffective or NcTrigger.FindIneffective;
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE imp_nonconformities SET status = @status, correction = @correction, root_cause = @rootCause, action_text = @actionText, owner_id = @ownerId,
                    due_date = @dueDate, implementation_note = @implementationNote, effectiveness_result = @effectivenessResult, effectiveness_note = @effectivenessNote,
                    effectiveness_checked_at = CASE WHEN @checkedNow = 1 THEN @now ELSE effectiveness_checked_at END,
                    effectiveness_checked_by_name = CASE WHEN @checkedNow = 1 THEN @byName ELSE effectiveness_checked_by_name END,
                    closed_at = CASE WHEN @status IN ('closed', 'rejected') THEN @now ELSE closed_at END,
                    updated_at = @now, version = version + 1
                WHERE id = @id AND version = @version
                """,
                new
                {
                    status = to.Key(), correction = (string?)after["correction"], rootCause = (string?)after["rootCause"], actionText = (string?)after["actionText"],
                    ownerId = (Guid?)after["ownerId"], dueDate = (string?)after["dueDate"], implementationNote = (string?)after["implementationNote"],
                    effectivenessResult = (string?)after["effectivenessResult"], effectivenessNote = (string?)after["effectivenessNote"],
                    checkedNow = checkedNow ? 1 : 0, now, byName = caller.ActorName, id, version = expectedVersion,
                }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), request.Move!, null, AuditTrail.Diff(before, after), reason), ct);
            var saved = (await GetAsync(connection, tx, id, ct))!;
            await DecorateAsync([saved], ct);
            return saved;
        }, ct);
    }

    private static Dictionary<string, object?> Snapshot(NonconformityView n) => new(StringComparer.Ordinal)
    {
        ["status"] = n.Status, ["correction"] = n.Correction, ["rootCause"] = n.RootCause, ["actionText"] = n.ActionText, ["ownerId"] = n.OwnerId,
        ["dueDate"] = n.DueDate, ["implementationNote"] = n.ImplementationNote, ["effectivenessResult"] = n.EffectivenessResult,
        ["effectivenessNote"] = n.EffectivenessNote,
    };
}
