using Certus.Changes.Contracts;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Incidents.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Certus.Problems.Contracts;
using Certus.Problems.Domain;
using Dapper;

namespace Certus.Problems.Features;

/// <summary>
/// What a problem is linked to: the incidents it explains, and the changes raised or linked to remove its cause
/// (ISO/IEC 20000-1:2018 8.6.3: "changes needed for problem resolution shall be managed in accordance with the change
/// management policy"). Every link and unlink is audited on the problem.
/// </summary>
public sealed class ProblemLinks(
    Database database, AuditTrail audit, ICurrentUser caller, IIncidentRecords incidents, IChangeRecords changes, ProblemQueries queries,
    MoveProblem move, Texts<Strings> text, TimeProvider clock)
{
    public sealed record IncidentRequest(string? Incident, string? Reason = null);

    /// <summary>Link an existing change (<c>change</c> = <c>CHG-000123</c>), or raise a new one from the problem (type, title, reason, description).</summary>
    public sealed record ChangeRequest(string? Change = null, string? Type = null, string? Title = null, string? Reason = null, string? Description = null);

    /// <summary>Types of change a problem raises; a standard change comes from its template in change management.</summary>
    public static readonly IReadOnlyList<string> ChangeTypes = ["normal", "emergency"];

    /// <summary>Links an incident the problem explains (service desk, technicians and problem managers).</summary>
    public async Task<Outcome<ProblemView>> LinkIncidentAsync(Guid id, IncidentRequest request, CancellationToken ct = default)
    {
        var current = await queries.GetAsync(id.ToString("D"), ct);
        if (current is null)
        {
            return text.NotFound();
        }
        if (!caller.HasPermission(ProblemPermissions.Raise))
        {
            return new Failure(FailureKind.Forbidden, text["Problem.RaiseForbidden"]);
        }
        if (ProblemLifecycle.IsFinished(current.ParsedState))
        {
            return new Failure(FailureKind.Conflict, text["Problem.NotEditable", text[$"State.{current.State}"]]);
        }
        var errors = text.Errors().Required("incident", request.Incident, 40).Optional("reason", request.Reason, 4000);
        IncidentRecord? incident = null;
        if (errors.IsEmpty)
        {
            if (IncidentNumber.Parse(request.Incident) is not { } number)
            {
                errors.AddMessage("incident", text["Problem.IncidentFormat", request.Incident!]);
            }
            else if ((incident = await incidents.FindAsync([number.ToString()], ct) is [var first, ..] ? first : null) is null)
            {
                errors.AddMessage("incident", text["Problem.UnknownIncident", number.ToString()]);
            }
            else if (current.Incidents.Any(i => i.Id == incident.Id))
            {
                errors.AddMessage("incident", text["Problem.AlreadyLinked", incident.Number]);
            }
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        await database.WriteAsync(async (connection, tx) =>
        {
            var inserted = await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO prb_problem_incidents (problem_id, incident_id, incident_number, linked_at, linked_by_name)
                SELECT @id, @incidentId, @number, @now, @by WHERE NOT EXISTS
                    (SELECT 1 FROM prb_problem_incidents WHERE problem_id = @id AND incident_id = @incidentId)
                """,
                new { id, incidentId = incident!.Id, number = IncidentNumber.Parse(incident.Number)?.Value, now = clock.GetUtcNow(), by = caller.ActorName },
                tx, cancellationToken: ct));
            if (inserted > 0)
            {
                await audit.WriteAsync(connection, tx, new AuditEvent(ProblemAudit.RecordType, id.ToString("D"), "incident-linked", current.OrganisationId,
                    [new AuditChange("incident", null, incident.Number)], Blank(request.Reason)), ct);
            }
            return inserted;
        }, ct);
        return (await queries.GetAsync(id.ToString("D"), ct))!;
    }

    /// <summary>Removes an incident linked by mistake (problem managers).</summary>
    public async Task<Outcome<ProblemView>> UnlinkIncidentAsync(Guid id, string incident, string? reason, CancellationToken ct = default)
    {
        var current = await queries.GetAsync(id.ToString("D"), ct);
        if (current is null)
        {
            return text.NotFound();
        }
        if (!caller.HasPermission(ProblemPermissions.Manage))
        {
            return new Failure(FailureKind.Forbidden, text["Problem.ManageForbidden"]);
        }
        if (ProblemLifecycle.IsFinished(current.ParsedState))
        {
            return new Failure(FailureKind.Conflict, text["Problem.NotEditable", text[$"State.{current.State}"]]);
        }
        if (IncidentNumber.Parse(incident) is not { } parsed || current.Incidents.All(i => i.Number != parsed.ToString()))
        {
            return text.NotFound();
        }
        var (number, formatted) = (parsed.Value, parsed.ToString());
        await database.WriteAsync(async (connection, tx) =>
        {
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM prb_problem_incidents WHERE problem_id = @id AND incident_number = @number", new { id, number }, tx, cancellationToken: ct));
            if (deleted > 0)
            {
                await audit.WriteAsync(connection, tx, new AuditEvent(ProblemAudit.RecordType, id.ToString("D"), "incident-unlinked", current.OrganisationId,
                    [new AuditChange("incident", formatted, null)], Blank(reason)), ct);
            }
            return deleted;
        }, ct);
        return (await queries.GetAsync(id.ToString("D"), ct))!;
    }

    /// <summary>
    /// Raises a request for change from the problem (source <c>problem</c>) or links an existing one. When the root cause
    /// is known and the change is on its way, the problem moves to fix-pending in the same write.
    /// </summary>
    public async Task<Outcome<ProblemView>> ChangeAsync(Guid id, ChangeRequest request, CancellationToken ct = default)
    {
        var current = await queries.GetAsync(id.ToString("D"), ct);
        if (current is null)
        {
            return text.NotFound();
        }
        if (!caller.HasPermission(ProblemPermissions.Manage))
        {
            return new Failure(FailureKind.Forbidden, text["Problem.ManageForbidden"]);
        }
        if (!ProblemLifecycle.IsOpen(current.ParsedState))
        {
            return new Failure(FailureKind.Conflict, text["Problem.NoChangesNow", text[$"State.{current.State}"]]);
        }
        ChangeFacts? found = null;
        RaiseChange? raise = null;
        if (!string.IsNullOrWhiteSpace(request.Change))
        {
            found = await changes.FindAsync([request.Change.Trim()], ct) is [var first, ..] ? first : null;
            if (found is null)
            {
                return text.Invalid(text.Errors().AddMessage("change", text["Problem.UnknownChange", request.Change.Trim()]));
            }
            if (current.Changes.Any(c => c.Id == found.Id))
            {
                return text.Invalid(text.Errors().AddMessage("change", text["Problem.AlreadyLinked", found.Number]));
            }
        }
        else
        {
            var errors = text.Errors().Required("title", request.Title, 200).Required("reason", request.Reason, 4000).Optional("description", request.Description, 20_000);
            var type = (request.Type ?? "normal").Trim().ToLowerInvariant();
            if (!ChangeTypes.Contains(type, StringComparer.Ordinal))
            {
                errors.Add("type", "Validation.OneOf", string.Join(", ", ChangeTypes));
            }
            if (!errors.IsEmpty)
            {
                return text.Invalid(errors);
            }
            raise = new RaiseChange(type, request.Title!.Trim(), request.Reason!.Trim(), Blank(request.Description),
                [.. current.Cis.Select(c => c.Identifier)], "problem", current.Number);
        }
        try
        {
            await database.WriteAsync(async (connection, tx) =>
            {
                var problem = await ProblemQueries.LoadAsync(connection, tx, id, ct);
                if (problem is null)
                {
                    throw new RollbackException(text.NotFound());
                }
                // A raised change is change management's own record, written in this same transaction: if linking it
                // fails, no request for change is left behind. Its validation answers for its fields.
                var how = raise is null ? "linked" : "raised";
                var change = found;
                if (raise is not null)
                {
                    var raised = await changes.RaiseAsync(raise, connection, tx, ct);
                    change = raised.Succeeded ? raised.Value! : throw new RollbackException(raised.Failure!);
                }
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO prb_problem_changes (problem_id, change_id, change_number, how, state, linked_at, linked_by_name)
                    SELECT @id, @changeId, @number, @how, @state, @now, @by WHERE NOT EXISTS
                        (SELECT 1 FROM prb_problem_changes WHERE problem_id = @id AND change_id = @changeId)
                    """,
                    new { id, changeId = change!.Id, number = change.Number, how, state = change.State, now = clock.GetUtcNow(), by = caller.ActorName },
                    tx, cancellationToken: ct));
                await audit.WriteAsync(connection, tx, new AuditEvent(ProblemAudit.RecordType, id.ToString("D"), $"change-{how}", problem.OrganisationId,
                    [new AuditChange("change", null, change.Number)], text[$"Audit.Change.{how}", change.Number, change.Title]), ct);
                // A known cause with its fix on the way: the problem now waits for the change (ISO/IEC 20000-1:2018 8.6.3).
                if (ChangeOutcome.IsPending(change.State) && problem.RootCause.Length > 0
                    && ProblemLifecycle.Next(problem.ParsedState, ProblemTrigger.AwaitFix) is { } to)
                {
                    await move.ApplyAsync(connection, tx, audit, problem, ProblemTrigger.AwaitFix, to, new MoveProblem.Request(),
                        text["Audit.AwaitFix", change.Number], ct);
                }
                return true;
            }, ct);
        }
        catch (RollbackException rollback)
        {
            return rollback.Failure;
        }
        return (await queries.GetAsync(id.ToString("D"), ct))!;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
