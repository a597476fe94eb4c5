using System.Data.Common;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Incidents.Contracts;
using Certus.Kernel.Notifications;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>Carries out one escalation rule for one clock: notifications, reassignment, a higher priority.</summary>
public sealed class Escalate(IIncidentEscalation incidents, AuditTrail audit, INotifier notifier, IDirectory directory)
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
        if (rule.NotifyGroupLead && incident.AssignmentGroupId is { } groupId && await directory.FindGroupAsync(groupId, ct) is { LeadId: { } lead })
        {
            recipients.Add(lead);
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
        if (recipients.Count > 0)
        {
            var agreement = await connection.QuerySingleAsync<(long Number, string Kind, string Title)>(new CommandDefinition(
                "SELECT number, kind, title FROM sla_agreements WHERE id = @id", new { id = row.AgreementId }, tx, cancellationToken: ct));
            await notifier.NotifyAsync(new Notification(SlaTemplates.Escalated, [.. recipients.Distinct()],
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["number"] = incident.NumberText, ["title"] = incident.Title, ["priority"] = row.Priority, ["rule"] = rule.Name,
                    ["dueAt"] = row.DueAt?.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
                    ["agreement"] = $"{agreement.Kind.ToUpperInvariant()}-{agreement.Number:D4} {agreement.Title}",
                    ["metricEn"] = row.Metric, ["metricZh"] = row.Metric == "response" ? "响应" : "解决",
                    ["levelEn"] = level == "breach" ? "breach" : "warning", ["levelZh"] = level == "breach" ? "违约" : "预警",
                },
                $"/incidents/{incident.Number}", "incident", incident.Id.ToString("D")), connection, tx, ct);
        }
    }
}
