using System.Data.Common;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Incidents.Contracts;
using Certus.Incidents.Domain;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Incidents.Features;

/// <summary>
/// Moves an incident through its lifecycle: assign, start, pend, resolve, confirm, reject the resolution,
/// reopen, cancel, and the scheduled close. Every move asks <see cref="IncidentLifecycle"/>; a move it does
/// not allow is refused with the moves that are.
/// </summary>
public sealed class MoveIncident(
    Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, IncidentQueries queries, IncidentEvents events, Texts<Strings> text,
    TimeProvider clock)
{
    public static readonly IReadOnlyList<string> ResolutionCodes =
        ["fixed", "workaround", "configuration-change", "hardware-replaced", "user-guidance", "no-fault-found", "duplicate"];

    /// <summary>What the caller sends with a move; which fields count depends on the move.</summary>
    public sealed record Request(
        Guid? AssignmentGroupId = null,
        Guid? AssigneeId = null,
        string? PendingReason = null,
        string? ResolutionCode = null,
        string? ResolutionNotes = null,
        string? Reason = null,
        int? Satisfaction = null,
        string? SatisfactionComment = null);

    public async Task<Outcome<IncidentView>> HandleAsync(Guid id, IncidentTrigger trigger, Request request, int? expectedVersion = null, CancellationToken ct = default)
    {
        var confirmSide = trigger is IncidentTrigger.Confirm or IncidentTrigger.RejectResolution;
        if (!caller.HasPermission(confirmSide ? IncidentPermissions.Confirm : IncidentPermissions.Work))
        {
            return IncidentRules.Forbidden(text);
        }
        // Another organisation's incident does not exist for the caller.
        var visible = await queries.GetAsync(id, ct);
        if (visible is null)
        {
            return text.NotFound();
        }
        var errors = text.Errors().Optional("reason", request.Reason, 2000).Optional("resolutionNotes", request.ResolutionNotes, 20_000);
        PendingReason? pending = null;
        switch (trigger)
        {
            case IncidentTrigger.Assign:
                if (request.AssigneeId is null && request.AssignmentGroupId is null)
                {
                    errors.AddMessage("assigneeId", text["Incident.AssignWhom"]);
                }
                await IncidentRules.CheckAssignmentAsync(errors, text, directory, request.AssignmentGroupId, request.AssigneeId, ct);
                break;
            case IncidentTrigger.Pend:
                pending = IncidentNames.ParsePendingReason(request.PendingReason);
                if (pending is null)
                {
                    errors.Add("pendingReason", "Validation.OneOf", string.Join(", ", IncidentNames.Keys<PendingReason>(IncidentNames.Key)));
                }
                break;
            case IncidentTrigger.Resolve:
                if (!ResolutionCodes.Contains(request.ResolutionCode ?? "", StringComparer.Ordinal))
                {
                    errors.Add("resolutionCode", "Validation.OneOf", string.Join(", ", ResolutionCodes));
                }
                errors.Required("resolutionNotes", request.ResolutionNotes, 20_000);
                break;
            case IncidentTrigger.RejectResolution:
            case IncidentTrigger.Reopen:
            case IncidentTrigger.Cancel:
                errors.Required("reason", request.Reason, 2000);
                break;
            case IncidentTrigger.Confirm:
                // The rating is optional: a caller who confirms without one is not asked again.
                if (request.Satisfaction is < 1 or > 5)
                {
                    errors.Add("satisfaction", "Validation.OneOf", "1, 2, 3, 4, 5");
                }
                errors.Optional("satisfactionComment", request.SatisfactionComment, 2000);
                if (request.Satisfaction is null && !string.IsNullOrWhiteSpace(request.SatisfactionComment))
                {
                    errors.AddMessage("satisfaction", text["Incident.RateWithComment"]);
                }
                break;
            case IncidentTrigger.Start:
            case IncidentTrigger.AutoClose:
                break;
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }

        return await database.WriteAsync<Outcome<IncidentView>>(async (connection, tx) =>
        {
            var current = await IncidentQueries.LoadAsync(connection, tx, id, ct);
            if (current is null)
            {
                return text.NotFound();
            }
            if (expectedVersion is { } v && v != current.Version)
            {
                return text.Stale();
            }
            if (trigger == IncidentTrigger.Resolve && database.Provider == DatabaseProvider.Postgres)
            {
                // Lock the children before the audit chain's lock: a concurrent move of a child then finishes first
                // instead of waiting on us while we wait on it.
                await connection.ExecuteAsync(new CommandDefinition(
                    "SELECT id FROM inc_incidents WHERE parent_id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));
            }
            var moved = await ApplyAsync(connection, tx, current, trigger, request, pending, ct);
            if (!moved.Succeeded)
            {
                return moved.Failure!;
            }
            if (trigger == IncidentTrigger.Resolve)
            {
                await ResolveChildrenAsync(connection, tx, current, request, ct);
            }
            // Resolving the children leaves the parent's row as it was published.
            return moved.Value!;
        }, ct);
    }

    private async Task<Outcome<IncidentView>> ApplyAsync(
        DbConnection connection, DbTransaction tx, IncidentView current, IncidentTrigger trigger, Request request, PendingReason? pending, CancellationToken ct)
    {
        var from = current.ParsedStatus;
        if (IncidentLifecycle.Next(from, trigger) is not { } to)
        {
            var allowed = IncidentLifecycle.AllowedToPeople(from).Select(t => t.Key()).ToList();
            return new Failure(FailureKind.Conflict, text["Incident.IllegalMove", trigger.Key(), from.Key(),
                allowed.Count == 0 ? text["Incident.NoMoves"] : string.Join(", ", allowed)]);
        }
        var now = clock.GetUtcNow();
        var before = Snapshot(current);
        var after = new Dictionary<string, object?>(before, StringComparer.Ordinal) { ["status"] = to.Key() };
        switch (trigger)
        {
            case IncidentTrigger.Assign:
                after["assignmentGroupId"] = request.AssignmentGroupId ?? current.AssignmentGroupId;
                after["assigneeId"] = request.AssigneeId;
                after["pendingReason"] = null;
                break;
            case IncidentTrigger.Start:
                after["pendingReason"] = null;
                break;
            case IncidentTrigger.Pend:
                after["pendingReason"] = pending!.Value.Key();
                break;
            case IncidentTrigger.Resolve:
                after["resolutionCode"] = request.ResolutionCode;
                after["resolutionNotes"] = request.ResolutionNotes!.Trim();
                after["pendingReason"] = null;
                break;
            case IncidentTrigger.RejectResolution:
            case IncidentTrigger.Reopen:
                after["resolutionCode"] = null;
                after["resolutionNotes"] = null;
                break;
            case IncidentTrigger.Cancel:
                after["cancelReason"] = request.Reason!.Trim();
                break;
            case IncidentTrigger.Confirm:
                if (request.Satisfaction is not null)
                {
                    after["satisfaction"] = request.Satisfaction;
                    after["satisfactionComment"] = string.IsNullOrWhiteSpace(request.SatisfactionComment) ? null : request.SatisfactionComment.Trim();
                }
                break;
            case IncidentTrigger.AutoClose:
                break;
        }
        var rated = trigger == IncidentTrigger.Confirm && request.Satisfaction is not null;
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE inc_incidents SET status = @status, is_open = @isOpen, assignment_group_id = @group, assignee_id = @assignee, pending_reason = @pendingReason,
                resolution_code = @resolutionCode, resolution_notes = @resolutionNotes, cancel_reason = @cancelReason,
                first_response_at = COALESCE(first_response_at, @firstResponse),
                resolved_at = @resolvedAt, closed_at = @closedAt, updated_at = @now, version = version + 1,
                satisfaction = @satisfaction, satisfaction_comment = @satisfactionComment, satisfaction_at = @satisfactionAt
            WHERE id = @id AND version = @version
            """,
            new
            {
                id = current.Id,
                version = current.Version,
                status = to.Key(),
                isOpen = IncidentLifecycle.IsOpen(to),
                group = (Guid?)after["assignmentGroupId"],
                assignee = (Guid?)after["assigneeId"],
                pendingReason = (string?)after["pendingReason"],
                resolutionCode = (string?)after["resolutionCode"],
                resolutionNotes = (string?)after["resolutionNotes"],
                cancelReason = (string?)after["cancelReason"],
                // Any move by the provider out of New is the first response to the caller.
                firstResponse = caller.IsProviderStaff && trigger != IncidentTrigger.AutoClose ? now : (DateTimeOffset?)null,
                resolvedAt = to == IncidentStatus.Resolved ? now : to == IncidentStatus.InProgress ? null : current.ResolvedAt,
                closedAt = to == IncidentStatus.Closed ? now : current.ClosedAt,
                now,
                satisfaction = (int?)after["satisfaction"],
                satisfactionComment = (string?)after["satisfactionComment"],
                satisfactionAt = rated ? now : current.SatisfactionAt?.ToUniversalTime(),
            }, tx, cancellationToken: ct));
        if (updated == 0)
        {
            return text.Stale();
        }
        await audit.WriteAsync(connection, tx, new AuditEvent(IncidentAudit.RecordType, current.Id.ToString("D"), trigger.Key(), current.OrganisationId,
            AuditTrail.Diff(before, after), request.Reason), ct);
        return await events.ChangedAsync(connection, tx, current.Id, current.Status, now, ct);
    }

    /// <summary>Resolving a major incident resolves its children with the same resolution.</summary>
    private async Task ResolveChildrenAsync(DbConnection connection, DbTransaction tx, IncidentView parent, Request request, CancellationToken ct)
    {
        var children = await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM inc_incidents WHERE parent_id = @id", new { id = parent.Id }, tx, cancellationToken: ct));
        foreach (var childId in children)
        {
            var child = (await IncidentQueries.LoadAsync(connection, tx, childId, ct))!;
            if (IncidentLifecycle.Next(child.ParsedStatus, IncidentTrigger.Resolve) is null)
            {
                continue;
            }
            var notes = text["Incident.ResolvedWithParent", parent.Number] + "\n\n" + request.ResolutionNotes!.Trim();
            await ApplyAsync(connection, tx, child, IncidentTrigger.Resolve, request with { ResolutionNotes = notes }, null, ct);
        }
    }

    private static Dictionary<string, object?> Snapshot(IncidentView i) => new(StringComparer.Ordinal)
    {
        ["status"] = i.Status,
        ["assignmentGroupId"] = i.AssignmentGroupId,
        ["assigneeId"] = i.AssigneeId,
        ["pendingReason"] = i.PendingReason,
        ["resolutionCode"] = i.ResolutionCode,
        ["resolutionNotes"] = i.ResolutionNotes,
        ["cancelReason"] = i.CancelReason,
        ["satisfaction"] = i.Satisfaction,
        ["satisfactionComment"] = i.SatisfactionComment,
    };
}
