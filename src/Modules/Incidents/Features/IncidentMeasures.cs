using Certus.Incidents.Contracts;
using Certus.Data;
using Certus.Incidents.Domain;
using Certus.Kernel.Conformity;
using Dapper;
using Microsoft.Extensions.Localization;

namespace Certus.Incidents.Features;

/// <summary>Major incidents logged in a period (ISO/IEC 20000-1:2018 6.2, 8.6.1): an objective keeps them at most a target.</summary>
public sealed class MajorIncidentsMeasure(Database database, IStringLocalizer<Strings> text) : IObjectiveMeasure
{
    public string Key => "incidents.major";

    public string Title => text["Measure.Major"];

    public string? Unit => null;

    public MeasureDirection Direction => MeasureDirection.AtMost;

    public async Task<MeasureValue> MeasureAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<(long Number, string Title, string Status)>(new CommandDefinition(
            "SELECT number, title, status FROM inc_incidents WHERE is_major = @major AND created_at >= @from AND created_at < @to ORDER BY created_at",
            new { major = true, from = from.ToUniversalTime(), to = to.ToUniversalTime() }, cancellationToken: ct))).ToList();
        return new MeasureValue(rows.Count,
            [new CheckFigure(text["Measure.Major.Unresolved"], rows.Count(r => r.Status is not ("resolved" or "closed" or "cancelled")))],
            [.. rows.Take(50).Select(r => new EvidenceRecord(new IncidentNumber(r.Number).ToString(), r.Title, new IncidentNumber(r.Number).Path))]);
    }
}

/// <summary>
/// Share of the incidents closed in a period that the caller confirmed (ISO/IEC 20000-1:2018 6.2, 8.6.1; manual §7.2.4):
/// the rest closed after the quiet period without an answer, or some other way. The unconfirmed ones are the records.
/// </summary>
public sealed class ConfirmedClosuresMeasure(Database database, IStringLocalizer<Strings> text) : IObjectiveMeasure
{
    public string Key => "incidents.confirmed-closures";

    public string Title => text["Measure.Confirmed"];

    public string? Unit => "%";

    public MeasureDirection Direction => MeasureDirection.AtLeast;

    public async Task<MeasureValue> MeasureAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT i.number, i.title,
                CASE WHEN EXISTS (SELECT 1 FROM sys_audit_entries a
                                  WHERE a.record_type = 'incident' AND a.record_id = lower(CAST(i.id AS TEXT)) AND a.action = @confirm)
                     THEN 'yes' ELSE 'no' END AS confirmed
            FROM inc_incidents i
            WHERE i.status = @closed AND i.closed_at >= @from AND i.closed_at < @to
            ORDER BY i.closed_at
            """,
            new { closed = IncidentStatus.Closed.Key(), confirm = IncidentTrigger.Confirm.Key(), from = from.ToUniversalTime(), to = to.ToUniversalTime() },
            cancellationToken: ct))).ToList();
        var confirmed = rows.Count(r => r.Confirmed == "yes");
        var figures = new[] { new CheckFigure(text["Measure.Confirmed.Closed"], rows.Count), new CheckFigure(text["Measure.Confirmed.Confirmed"], confirmed) };
        if (rows.Count == 0)
        {
            return MeasureValue.Nothing(figures);
        }
        return new MeasureValue(Math.Round(100m * confirmed / rows.Count, 1), figures,
            [.. rows.Where(r => r.Confirmed != "yes").Take(50)
                .Select(r => new EvidenceRecord(new IncidentNumber(r.Number).ToString(), r.Title, new IncidentNumber(r.Number).Path))]);
    }

    private sealed class Row
    {
        public long Number { get; init; }
        public string Title { get; init; } = "";
        public string Confirmed { get; init; } = "";
    }
}
