using System.Data.Common;
using System.Globalization;
using Certus.Data.Audit;
using Certus.Incidents.Contracts;
using Certus.Incidents.Domain;
using Dapper;

namespace Certus.Incidents.Features;

/// <summary>The changes an SLA escalation makes to an incident: another group, or a higher priority.</summary>
public sealed class EscalateIncident(AuditTrail audit, IncidentEvents events, TimeProvider clock) : IIncidentEscalation
{
    public async Task<IncidentFacts?> FindAsync(Guid incidentId, DbConnection connection, DbTransaction transaction, CancellationToken ct) =>
        await IncidentQueries.LoadAsync(connection, transaction, incidentId, ct) is { } incident ? IncidentEvents.Facts(incident) : null;

    public async Task<bool> ReassignAsync(Guid incidentId, Guid groupId, string reason, DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        if (await IncidentQueries.LoadAsync(connection, transaction, incidentId, ct) is not { } incident || !IncidentLifecycle.IsOpen(incident.ParsedStatus) || incident.AssignmentGroupId == groupId)
        {
            return false;
        }
        var now = clock.GetUtcNow();
        // A new incident handed to a group is assigned; one already being worked keeps its status.
        var status = incident.Status == "new" ? "assigned" : incident.Status;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE inc_incidents SET assignment_group_id = @groupId, assignee_id = NULL, status = @status, updated_at = @now, version = version + 1
            WHERE id = @incidentId
            """, new { groupId, status, now, incidentId }, transaction, cancellationToken: ct));
        await audit.WriteAsync(connection, transaction, new AuditEvent(IncidentAudit.RecordType, incidentId.ToString("D"), "escalated", incident.OrganisationId,
            AuditTrail.Diff(
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["assignmentGroupId"] = incident.AssignmentGroupId, ["assigneeId"] = incident.AssigneeId, ["status"] = incident.Status },
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["assignmentGroupId"] = groupId, ["assigneeId"] = null, ["status"] = status }),
            reason), ct);
        await events.ChangedAsync(connection, transaction, incidentId, incident.Status, now, ct);
        return true;
    }

    public async Task<bool> RaisePriorityAsync(Guid incidentId, string reason, DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        if (await IncidentQueries.LoadAsync(connection, transaction, incidentId, ct) is not { } incident || !IncidentLifecycle.IsOpen(incident.ParsedStatus) || incident.Priority <= 1)
        {
            return false;
        }
        var now = clock.GetUtcNow();
        var priority = incident.Priority - 1;
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE inc_incidents SET priority = @priority, updated_at = @now, version = version + 1 WHERE id = @incidentId",
            new { priority, now, incidentId }, transaction, cancellationToken: ct));
        await audit.WriteAsync(connection, transaction, new AuditEvent(IncidentAudit.RecordType, incidentId.ToString("D"), "escalated", incident.OrganisationId,
            [new AuditChange("priority", string.Create(CultureInfo.InvariantCulture, $"P{incident.Priority}"), string.Create(CultureInfo.InvariantCulture, $"P{priority}"))],
            reason), ct);
        await events.ChangedAsync(connection, transaction, incidentId, incident.Status, now, ct);
        return true;
    }
}
