using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Certus.Changes.Contracts;
using Certus.Changes.Domain;
using Certus.Configuration.Contracts;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Events;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Changes.Features;

/// <summary>
/// Moves a change through its type's transition table: submit, assess, schedule, implement, complete, fail, back out,
/// review, close and cancel. Authorise and reject are votes (see <see cref="DecideChange"/>). A move the table does
/// not allow is refused with the moves that are.
/// </summary>
public sealed class MoveChange(
    Database database, AuditTrail audit, ICurrentUser caller, IConfigurationRecords cmdb, ApprovalRounds rounds, ChangeSchedule schedule,
    DomainEvents events, Texts<Strings> text, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> ReviewResults = ["successful", "partially-successful", "unsuccessful"];

    /// <summary>What the caller sends with a move; which fields count depends on the move.</summary>
    public sealed record Request(
        string? Reason = null,
        IReadOnlyDictionary<string, string>? RiskAnswers = null,
        DateTimeOffset? PlannedStart = null,
        DateTimeOffset? PlannedEnd = null,
        bool Override = false,
        string? Result = null,
        IReadOnlyList<string>? IncidentsCaused = null,
        string? Lessons = null);

    public async Task<Outcome<ChangeView>> HandleAsync(Guid id, ChangeTrigger trigger, Request request, int? expectedVersion = null, CancellationToken ct = default)
    {
        if (trigger is ChangeTrigger.Authorise or ChangeTrigger.Reject)
        {
            throw new ArgumentException("Authorise and reject are decided by votes.", nameof(trigger));
        }
        ChangeView? current;
        await using (var reader = await database.OpenAsync(ct))
        {
            current = await ChangeQueries.LoadAsync(reader, null, id, ct);
        }
        if (current is null || !caller.CanSee(current.OrganisationId))
        {
            return text.NotFound();
        }
        if (!MayMove(current, trigger))
        {
            return new Failure(FailureKind.Forbidden, text["Change.MoveForbidden", trigger.Key()]);
        }
        var errors = text.Errors().Optional("reason", request.Reason, 4000).Optional("lessons", request.Lessons, 20_000);
        switch (trigger)
        {
            case ChangeTrigger.Fail:
            case ChangeTrigger.BackOut:
            case ChangeTrigger.Cancel:
                errors.Required("reason", request.Reason, 4000);
                break;
            case ChangeTrigger.Schedule:
                var start = request.PlannedStart ?? current.PlannedStart;
                var end = request.PlannedEnd ?? current.PlannedEnd;
                if (start is null)
                {
                    errors.Add("plannedStart", "Validation.Required");
                }
                if (end is null)
                {
                    errors.Add("plannedEnd", "Validation.Required");
                }
                else if (start is { } s && end <= s)
                {
                    errors.AddMessage("plannedEnd", text["Schedule.EndAfterStart"]);
                }
                if (request.Override)
                {
                    errors.Required("reason", request.Reason, 4000);
                }
                break;
            case ChangeTrigger.Review:
                if (!ReviewResults.Contains(request.Result ?? "", StringComparer.Ordinal))
                {
                    errors.Add("result", "Validation.OneOf", string.Join(", ", ReviewResults));
                }
                else if (request.Result == "successful" && current.ParsedState is ChangeState.Failed or ChangeState.BackedOut)
                {
                    errors.AddMessage("result", text["Review.NotSuccessful", current.State]);
                }
                errors.Required("lessons", request.Lessons, 20_000);
                foreach (var incident in request.IncidentsCaused ?? [])
                {
                    if (!IncidentReference(incident))
                    {
                        errors.AddMessage("incidentsCaused", text["Review.IncidentFormat", incident]);
                    }
                }
                break;
            case ChangeTrigger.Submit:
            case ChangeTrigger.Assess:
            case ChangeTrigger.Implement:
            case ChangeTrigger.Complete:
            case ChangeTrigger.Close:
            case ChangeTrigger.Authorise:
            case ChangeTrigger.Reject:
                break;
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        try
        {
            return await database.WriteAsync<Outcome<ChangeView>>(async (connection, tx) =>
            {
                var change = await ChangeQueries.LoadAsync(connection, tx, id, ct);
                if (change is null)
                {
                    return text.NotFound();
                }
                if (expectedVersion is { } v && v != change.Version)
                {
                    return text.Stale();
                }
                if (ChangeLifecycle.Next(change.ParsedType, change.ParsedState, trigger) is not { } to)
                {
                    return Illegal(text, change, trigger);
                }
                return await ApplyAsync(connection, tx, change, trigger, to, request, ct);
            }, ct);
        }
        catch (RollbackException rollback)
        {
            return rollback.Failure;
        }
    }

    /// <summary>
    /// One move made inside another process's write and on its authority: a release carrying the change (manual
    /// §9.1.4-§9.1.5). The move is the change's own, with its checks, audit entry and event; a CMDB refusal comes back
    /// as the failure, and the caller rolls its write back.
    /// </summary>
    internal async Task<Outcome<ChangeView>> MoveWithinAsync(
        DbConnection connection, DbTransaction tx, ChangeView change, ChangeTrigger trigger, Request request, CancellationToken ct)
    {
        if (ChangeLifecycle.Next(change.ParsedType, change.ParsedState, trigger) is not { } to)
        {
            return Illegal(text, change, trigger);
        }
        try
        {
            return await ApplyAsync(connection, tx, change, trigger, to, request, ct);
        }
        catch (RollbackException rollback)
        {
            return rollback.Failure;
        }
    }

    /// <summary>The 409 for a move the change's transition table does not allow, naming the moves that are.</summary>
    internal static Failure Illegal(Texts<Strings> text, ChangeView change, ChangeTrigger trigger)
    {
        var allowed = ChangeLifecycle.Allowed(change.ParsedType, change.ParsedState).Select(t => t.Key()).ToList();
        return new Failure(FailureKind.Conflict, text["Change.IllegalMove", trigger.Key(), change.Type, change.State,
            allowed.Count == 0 ? text["Change.NoMoves"] : string.Join(", ", allowed)]);
    }

    private bool MayMove(ChangeView change, ChangeTrigger trigger) => trigger switch
    {
        // The requester submits or withdraws their own request; everything after is change management's work.
        ChangeTrigger.Submit => caller.HasPermission(ChangePermissions.Manage) || (caller.HasPermission(ChangePermissions.Request) && change.RequestedBy == caller.UserId),
        ChangeTrigger.Cancel => caller.HasPermission(ChangePermissions.Manage)
            || (caller.HasPermission(ChangePermissions.Request) && change.RequestedBy == caller.UserId && ChangeLifecycle.IsEditable(change.ParsedState)),
        _ => caller.HasPermission(ChangePermissions.Manage),
    };

    private async Task<Outcome<ChangeView>> ApplyAsync(
        DbConnection connection, DbTransaction tx, ChangeView change, ChangeTrigger trigger, ChangeState to, Request request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var before = Snapshot(change);
        var after = new Dictionary<string, object?>(before, StringComparer.Ordinal) { ["state"] = to.Key() };
        string? note = request.Reason?.Trim();
        switch (trigger)
        {
            case ChangeTrigger.Submit:
            {
                var missing = text.Errors();
                if (change.ParsedType != ChangeType.Standard)
                {
                    missing.When(string.IsNullOrWhiteSpace(change.ImplementationPlan), "implementationPlan", "Validation.Required")
                        .When(string.IsNullOrWhiteSpace(change.BackoutPlan), "backoutPlan", "Validation.Required");
                }
                if (change.ParsedType == ChangeType.Normal)
                {
                    missing.When(string.IsNullOrWhiteSpace(change.TestPlan), "testPlan", "Validation.Required");
                }
                // A standard change's scope is its template's; the board needs to know what a normal or emergency change touches.
                if (change.ParsedType != ChangeType.Standard && change.Cis.Count == 0 && change.Services.Count == 0)
                {
                    missing.AddMessage("cis", text["Change.AffectedRequired"]);
                }
                if (!missing.IsEmpty)
                {
                    return Failure.Invalid(missing, text["Change.Incomplete"]);
                }
                if (to == ChangeState.Authorised)
                {
                    after["authorisedAt"] = now;
                    note ??= text["Change.PreAuthorised", change.TemplateName ?? ""];
                }
                break;
            }
            case ChangeTrigger.Assess:
            {
                var questions = await ChangeSettings.QuestionsAsync(connection, tx, true, ct);
                var answers = new Dictionary<string, string>(change.RiskAnswers, StringComparer.Ordinal);
                foreach (var (q, a) in request.RiskAnswers ?? new Dictionary<string, string>(StringComparer.Ordinal))
                {
                    answers[q] = a;
                }
                var missing = text.Errors();
                foreach (var q in questions)
                {
                    if (!answers.TryGetValue(q.Key, out var a))
                    {
                        missing.AddMessage($"riskAnswers.{q.Key}", text["Risk.Unanswered", q.Text]);
                    }
                    else if (q.Answers.All(x => x.Key != a))
                    {
                        missing.AddMessage($"riskAnswers.{q.Key}", text["Risk.UnknownAnswer", a, string.Join(", ", q.Answers.Select(x => x.Key))]);
                    }
                }
                if (!missing.IsEmpty)
                {
                    return Failure.Invalid(missing, text["Risk.Incomplete"]);
                }
                var score = questions.Sum(q => q.Answers.First(x => x.Key == answers[q.Key]).Score);
                var level = RiskScale.Key((await ChangeSettings.ScaleAsync(connection, tx, ct)).LevelOf(score));
                var impact = await ImpactAsync(change, ct);
                after["riskScore"] = score;
                after["riskLevel"] = level;
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE chg_changes SET risk_answers = @answers, risk_score = @score, risk_level = @level, impact = @impact WHERE id = @id",
                    new { answers = JsonSerializer.Serialize(answers, ChangeView.Json), score, level, impact = JsonSerializer.Serialize(impact, ChangeView.Json), id = change.Id },
                    tx, cancellationToken: ct));
                after["impact"] = $"{impact.CiCount} CIs, {impact.Services.Count} services, {impact.Customers.Count} customers";
                break;
            }
            case ChangeTrigger.Schedule:
            {
                // PostgreSQL stores instants: offsets are the client's way of writing them.
                var start = (request.PlannedStart ?? change.PlannedStart!.Value).ToUniversalTime();
                var end = (request.PlannedEnd ?? change.PlannedEnd!.Value).ToUniversalTime();
                var conflicts = await schedule.ConflictsAsync(connection, tx, change, start, end, ct);
                if (conflicts.Count > 0 && !request.Override)
                {
                    return new Failure(FailureKind.Conflict, text["Schedule.Conflicts", conflicts.Count],
                        new Dictionary<string, string[]>(StringComparer.Ordinal) { ["plannedStart"] = conflicts.Select(schedule.Describe).ToArray() });
                }
                after["plannedStart"] = start;
                after["plannedEnd"] = end;
                after["scheduleOverride"] = conflicts.Count > 0 ? string.Join("; ", conflicts.Select(schedule.Describe)) : null;
                break;
            }
            case ChangeTrigger.Implement:
                after["actualStart"] = now;
                break;
            case ChangeTrigger.Complete:
            {
                after["actualEnd"] = now;
                if (change.CmdbUpdates.Count > 0)
                {
                    // The CMDB updates the change declared, applied under it in this same write (manual §8.1.4, §8.2).
                    var applied = await cmdb.ApplyAsync(change.Number, text["Change.AppliedReason", change.Number, change.Title],
                        change.CmdbUpdates.Select(u => new CiUpdate(u.CiId, u.VersionLabel, u.Status, u.Attributes)).ToList(), connection, tx, ct);
                    if (!applied.Succeeded)
                    {
                        throw new RollbackException(applied.Failure!);
                    }
                    after["cmdbAppliedAt"] = now;
                }
                break;
            }
            case ChangeTrigger.Fail:
            case ChangeTrigger.BackOut:
                after["outcomeReason"] = note;
                after["actualEnd"] = change.ActualEnd ?? now;
                break;
            case ChangeTrigger.Review:
                after["reviewResult"] = request.Result;
                after["reviewIncidents"] = string.Join(", ", (request.IncidentsCaused ?? []).Select(i => i.Trim().ToUpperInvariant()));
                after["reviewLessons"] = request.Lessons!.Trim();
                break;
            case ChangeTrigger.Close:
                after["closedAt"] = now;
                break;
            case ChangeTrigger.Cancel:
                after["closedAt"] = now;
                after["outcomeReason"] = note;
                break;
            case ChangeTrigger.Authorise:
            case ChangeTrigger.Reject:
                break;
        }

        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE chg_changes SET state = @state, authorised_at = @authorisedAt, planned_start = @plannedStart, planned_end = @plannedEnd,
                schedule_override = @scheduleOverride, actual_start = @actualStart, actual_end = @actualEnd, cmdb_applied_at = @cmdbAppliedAt,
                outcome_reason = @outcomeReason, review_result = @reviewResult, review_incidents = @reviewIncidents, review_lessons = @reviewLessons,
                reviewed_at = @reviewedAt, reviewed_by = @reviewedBy, closed_at = @closedAt, updated_at = @now, version = version + 1
            WHERE id = @id AND version = @version
            """,
            new
            {
                id = change.Id,
                version = change.Version,
                state = to.Key(),
                authorisedAt = (DateTimeOffset?)after["authorisedAt"],
                plannedStart = (DateTimeOffset?)after["plannedStart"],
                plannedEnd = (DateTimeOffset?)after["plannedEnd"],
                scheduleOverride = trigger == ChangeTrigger.Schedule && after["scheduleOverride"] is string clashes
                    ? $"{note} ({clashes})" : change.ScheduleOverride,
                actualStart = (DateTimeOffset?)after["actualStart"],
                actualEnd = (DateTimeOffset?)after["actualEnd"],
                cmdbAppliedAt = (DateTimeOffset?)after["cmdbAppliedAt"],
                outcomeReason = (string?)after["outcomeReason"],
                reviewResult = (string?)after["reviewResult"],
                reviewIncidents = trigger == ChangeTrigger.Review
                    ? JsonSerializer.Serialize((request.IncidentsCaused ?? []).Select(i => i.Trim().ToUpperInvariant()).ToList(), ChangeView.Json)
                    : change.Review is null ? null : JsonSerializer.Serialize(change.Review.IncidentsCaused, ChangeView.Json),
                reviewLessons = (string?)after["reviewLessons"],
                reviewedAt = trigger == ChangeTrigger.Review ? now : change.Review?.At,
                reviewedBy = trigger == ChangeTrigger.Review ? caller.ActorId : change.Review?.By,
                closedAt = (DateTimeOffset?)after["closedAt"],
                now,
            }, tx, cancellationToken: ct));
        if (updated == 0)
        {
            throw new RollbackException(text.Stale());
        }
        await audit.WriteAsync(connection, tx, new AuditEvent(ChangeAudit.RecordType, change.Id.ToString("D"), trigger.Key(), change.OrganisationId,
            AuditTrail.Diff(before, after), note), ct);
        // The board is asked when the change reaches the state in which it votes.
        if (ChangeLifecycle.IsAwaitingDecision(change.ParsedType, to) && !ChangeLifecycle.IsAwaitingDecision(change.ParsedType, change.ParsedState))
        {
            var round = await rounds.StartAsync(connection, tx, change, ct);
            if (!round.Succeeded)
            {
                throw new RollbackException(round.Failure!);
            }
        }
        await events.PublishAsync(new ChangeStateChanged(change.Id, change.Number, change.Type, change.State, to.Key(), trigger.Key()), connection, tx, ct);
        return (await ChangeQueries.LoadAsync(connection, tx, change.Id, ct))!;
    }

    private async Task<ImpactSnapshot> ImpactAsync(ChangeView change, CancellationToken ct)
    {
        if (change.Cis.Count == 0)
        {
            return new ImpactSnapshot([], change.Services, [], [], 0, false);
        }
        var impact = await cmdb.ImpactAsync(change.Cis.Select(c => c.Id).ToList(), ct);
        return new ImpactSnapshot(
            impact.Items.Take(200).Select(i => $"{i.Identifier} {i.Name}").ToList(),
            impact.Services.Select(s => s.ServiceCode ?? s.Identifier).Concat(change.Services).Distinct(StringComparer.Ordinal).ToList(),
            impact.Customers.Select(c => c.Name).ToList(),
            impact.Customers.SelectMany(c => c.AgreementReferences).Distinct(StringComparer.Ordinal).ToList(),
            impact.Items.Count,
            impact.Truncated);
    }

    internal static Dictionary<string, object?> Snapshot(ChangeView c) => new(StringComparer.Ordinal)
    {
        ["state"] = c.State,
        ["authorisedAt"] = c.AuthorisedAt,
        ["riskScore"] = c.RiskScore,
        ["riskLevel"] = c.RiskLevel,
        ["plannedStart"] = c.PlannedStart,
        ["plannedEnd"] = c.PlannedEnd,
        ["scheduleOverride"] = null,
        ["actualStart"] = c.ActualStart,
        ["actualEnd"] = c.ActualEnd,
        ["cmdbAppliedAt"] = c.CmdbAppliedAt,
        ["outcomeReason"] = c.OutcomeReason,
        ["reviewResult"] = c.Review?.Result,
        ["reviewIncidents"] = c.Review is null ? null : string.Join(", ", c.Review.IncidentsCaused),
        ["reviewLessons"] = c.Review?.Lessons,
        ["closedAt"] = c.ClosedAt,
    };

    private static bool IncidentReference(string value)
    {
        var t = value.Trim();
        return t.StartsWith("INC-", StringComparison.OrdinalIgnoreCase) && long.TryParse(t[4..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0;
    }
}
