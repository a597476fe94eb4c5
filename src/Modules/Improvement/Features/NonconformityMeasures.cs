using Certus.Data;
using Certus.Kernel.Conformity;
using Certus.Kernel.Errors;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Improvement.Features;

/// <summary>
/// Nonconformities closed by their due date (ISO/IEC 20000-1:2018 6.2, 10.1 "in a timely manner"; manual §3.4.5): of those
/// whose action fell due in the period (and, in a period not yet over, those already due or already closed), the share
/// closed on or before the due date, in the provider's calendar. Late and still-open ones are the records.
/// </summary>
public sealed class NonconformitiesOnTimeMeasure(Database database, Texts<Strings> text, TimeProvider clock) : IObjectiveMeasure
{
    public string Key => "improvement.nonconformities-on-time";

    public string Title => text["Measure.OnTime"];

    public string? Unit => "%";

    public MeasureDirection Direction => MeasureDirection.AtLeast;

    public async Task<MeasureValue> MeasureAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var today = CalendarDates.Day(clock.GetUtcNow());
        await using var connection = await database.OpenAsync(ct);
        var due = (await connection.QueryAsync<NonconformityView>(new CommandDefinition(
            $"""
            SELECT {NonconformityView.Columns} FROM imp_nonconformities
            WHERE status <> 'rejected' AND due_date IS NOT NULL AND due_date >= @fromDay AND due_date < @toDay
            ORDER BY due_date, number
            """, new { fromDay = CalendarDates.Day(from), toDay = CalendarDates.Day(to) }, cancellationToken: ct))).ToList()
            // Not yet due and still open: it may yet be closed in time, so it does not count against the period.
            .Where(n => n.ClosedAt is not null || string.CompareOrdinal(n.DueDate, today) < 0)
            .ToList();
        var onTime = due.Where(n => n.ClosedAt is { } closed && string.CompareOrdinal(CalendarDates.Day(closed), n.DueDate) <= 0).ToList();
        var late = due.Except(onTime).ToList();
        var figures = new[]
        {
            new CheckFigure(text["Measure.OnTime.Due"], due.Count), new CheckFigure(text["Measure.OnTime.OnTime"], onTime.Count),
            new CheckFigure(text["Measure.OnTime.Late"], late.Count(n => n.ClosedAt is not null)), new CheckFigure(text["Measure.OnTime.Open"], late.Count(n => n.ClosedAt is null)),
        };
        if (due.Count == 0)
        {
            return MeasureValue.Nothing(figures);
        }
        return new MeasureValue(Math.Round(100m * onTime.Count / due.Count, 1), figures,
            [.. late.Take(50).Select(n => new EvidenceRecord(n.Number, $"{n.Title} ({n.DueDate})", $"/nonconformities/{n.Id}"))]);
    }
}
