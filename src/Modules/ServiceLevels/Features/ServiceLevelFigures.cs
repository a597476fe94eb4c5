using Certus.Data;
using Certus.ServiceLevels.Contracts;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>Provider-wide SLA attainment and breaches of a period, counted as the attainment report counts them.</summary>
public sealed class ServiceLevelFigures(Database database) : IServiceLevelFigures
{
    public async Task<SlaPeriodFigures> ForPeriodAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var clocks = (await connection.QueryAsync<DateTimeOffset?>(new CommandDefinition(
            """
            SELECT c.breached_at FROM sla_clocks c JOIN sla_agreements a ON a.id = c.agreement_id
            WHERE a.kind = 'sla' AND c.metric = 'resolution' AND c.state = 'stopped' AND c.stopped_at >= @from AND c.stopped_at < @to
            """, new { from, to }, cancellationToken: ct))).ToList();
        var breaches = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT metric FROM sla_breaches WHERE breached_at >= @from AND breached_at < @to", new { from, to }, cancellationToken: ct))).ToList();
        var met = clocks.Count(b => b is null);
        return new SlaPeriodFigures(met, clocks.Count - met, clocks.Count == 0 ? null : Math.Round(100.0 * met / clocks.Count, 1),
            breaches.Count(m => m == "response"), breaches.Count(m => m == "resolution"));
    }
}
