using Certus.Data;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>One recorded SLA breach (a nonconformity for service reporting).</summary>
public sealed class BreachView
{
    public Guid Id { get; init; }
    public Guid IncidentId { get; init; }
    public Guid AgreementId { get; init; }
    public string Metric { get; init; } = "";
    public Guid OrganisationId { get; init; }
    public Guid? ServiceId { get; init; }
    public int Priority { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset BreachedAt { get; init; }
    public string Status { get; init; } = "";
}

/// <summary>SLA breaches recorded in a period, newest first; a customer sees only their own (manual §5.2.3).</summary>
public sealed class BreachList(Database database, ICurrentUser caller)
{
    public async Task<IReadOnlyList<BreachView>> HandleAsync(DateTimeOffset? from, DateTimeOffset? to, int limit = 1000, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var conditions = new List<string> { OrganisationScope.Filter(caller, "b.organisation_id") };
        if (from is not null)
        {
            conditions.Add("b.breached_at >= @from");
        }
        if (to is not null)
        {
            conditions.Add("b.breached_at < @to");
        }
        return [.. await connection.QueryAsync<BreachView>(new CommandDefinition(
            $"""
            SELECT b.id, b.incident_id, b.agreement_id, b.metric, b.organisation_id, b.service_id, b.priority, b.due_at, b.breached_at, b.status
            FROM sla_breaches b WHERE {string.Join(" AND ", conditions)} ORDER BY b.breached_at DESC LIMIT @limit
            """, new { from, to, limit = Math.Clamp(limit, 1, 1000), scopeOrg = OrganisationScope.Parameter(caller) }, cancellationToken: ct))];
    }
}
