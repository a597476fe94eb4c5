using System.Data.Common;
using Certus.ServiceLevels.Domain;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>
/// SLA breaches, kept as nonconformities for service reporting (manual §5.2.3: "nonconformities (SLA and security
/// breaches)"). One row per incident, agreement and metric, whoever notices first.
/// </summary>
public static class Breaches
{
    /// <returns>True when this call recorded the breach; false when it was already recorded.</returns>
    public static async Task<bool> RecordAsync(
        DbConnection connection, DbTransaction tx, Guid incidentId, Guid agreementId, SlaMetric metric, Guid organisationId, Guid? serviceId, int priority,
        DateTimeOffset dueAt, DateTimeOffset breachedAt, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sla_breaches (id, incident_id, agreement_id, metric, organisation_id, service_id, priority, due_at, breached_at, status)
            VALUES (@id, @incidentId, @agreementId, @metric, @organisationId, @serviceId, @priority, @dueAt, @breachedAt, 'open')
            ON CONFLICT (incident_id, agreement_id, metric) DO NOTHING
            """,
            new { id = Guid.CreateVersion7(), incidentId, agreementId, metric = metric.Key(), organisationId, serviceId, priority, dueAt, breachedAt },
            tx, cancellationToken: ct)) == 1;
}
