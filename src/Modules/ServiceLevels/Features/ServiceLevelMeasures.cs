using System.Globalization;
using Certus.Data;
using Certus.Incidents.Contracts;
using Certus.Kernel.Conformity;
using Certus.ServiceLevels.Contracts;
using Dapper;
using Microsoft.Extensions.Localization;

namespace Certus.ServiceLevels.Features;

/// <summary>
/// SLA attainment over a period, for service management objectives (ISO/IEC 20000-1:2018 6.2, 8.3.3): customer-SLA
/// resolution clocks that stopped in the period within their target, as a share of all that stopped, counted as the
/// attainment report and the management review count them. The breached ones are the records behind it.
/// </summary>
public sealed class AttainmentMeasure(IServiceLevelFigures figures, Database database, IEnumerable<IIncidentEscalation> incidents, IStringLocalizer<Strings> text)
    : IObjectiveMeasure
{
    public string Key => "service-levels.attainment";

    public string Title => text["Measure.Attainment"];

    public string? Unit => "%";

    public MeasureDirection Direction => MeasureDirection.AtLeast;

    public async Task<MeasureValue> MeasureAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var f = await figures.ForPeriodAsync(from.ToUniversalTime(), to.ToUniversalTime(), ct);
        var counts = new[] { new CheckFigure(text["Check.Attainment.Met"], f.Met), new CheckFigure(text["Check.Attainment.Breached"], f.Breached) };
        if (f.AttainmentPercent is not { } percent)
        {
            return MeasureValue.Nothing(counts);
        }
        await using var connection = await database.OpenAsync(ct);
        var breached = (await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            SELECT c.incident_id FROM sla_clocks c JOIN sla_agreements a ON a.id = c.agreement_id
            WHERE a.kind = 'sla' AND c.metric = 'resolution' AND c.state = 'stopped' AND c.breached_at IS NOT NULL
              AND c.stopped_at >= @from AND c.stopped_at < @to
            ORDER BY c.stopped_at DESC LIMIT 50
            """, new { from = from.ToUniversalTime(), to = to.ToUniversalTime() }, cancellationToken: ct))).ToList();
        return new MeasureValue((decimal)percent, counts, await MeasureRecords.IncidentsAsync(database, incidents, breached, text["Check.Attainment.BreachRecord"], ct));
    }
}

/// <summary>SLA breaches recorded in a period, response and resolution alike (ISO/IEC 20000-1:2018 6.2, 8.3.3): an objective keeps them at most a target.</summary>
public sealed class BreachesMeasure(Database database, IEnumerable<IIncidentEscalation> incidents, IStringLocalizer<Strings> text) : IObjectiveMeasure
{
    public string Key => "service-levels.breaches";

    public string Title => text["Measure.Breaches"];

    public string? Unit => null;

    public MeasureDirection Direction => MeasureDirection.AtMost;

    public async Task<MeasureValue> MeasureAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var breaches = (await connection.QueryAsync<(Guid IncidentId, string Metric)>(new CommandDefinition(
            "SELECT incident_id, metric FROM sla_breaches WHERE breached_at >= @from AND breached_at < @to ORDER BY breached_at DESC",
            new { from = from.ToUniversalTime(), to = to.ToUniversalTime() }, cancellationToken: ct))).ToList();
        return new MeasureValue(breaches.Count,
            [
                new CheckFigure(text["Measure.Breaches.Response"], breaches.Count(b => b.Metric == "response")),
                new CheckFigure(text["Measure.Breaches.Resolution"], breaches.Count(b => b.Metric == "resolution")),
            ],
            await MeasureRecords.IncidentsAsync(database, incidents, [.. breaches.Select(b => b.IncidentId).Distinct().Take(50)], text["Check.Attainment.BreachRecord"], ct));
    }
}

/// <summary>The incidents behind SLA figures, named as users know them, through incident management's contract.</summary>
internal static class MeasureRecords
{
    public static async Task<IReadOnlyList<EvidenceRecord>> IncidentsAsync(
        Database database, IEnumerable<IIncidentEscalation> incidents, IReadOnlyList<Guid> ids, string title, CancellationToken ct)
    {
        if (ids.Count == 0 || incidents.FirstOrDefault() is not { } lookup)
        {
            return [];
        }
        // A read transaction: the lookup wants one, and a plain BEGIN on SQLite would take the write lock and wait
        // behind every writer.
        return await database.ReadAsync<IReadOnlyList<EvidenceRecord>>(async (connection, tx) =>
        {
            var records = new List<EvidenceRecord>();
            foreach (var id in ids)
            {
                if (await lookup.FindAsync(id, connection, tx, ct) is { } facts)
                {
                    records.Add(new EvidenceRecord(facts.NumberText, $"{title}: {facts.Title}", $"/incidents/{facts.Number.ToString(CultureInfo.InvariantCulture)}"));
                }
            }
            return records;
        }, ct);
    }
}
