using Certus.Changes.Domain;
using Certus.Data;
using Certus.Kernel.Conformity;
using Certus.Kernel.Errors;
using Dapper;

namespace Certus.Changes.Features;

/// <summary>
/// Change success rate over a period (ISO/IEC 20000-1:2018 6.2, 8.5.1.3): of the changes carried out in it (implementation
/// ended), the share that neither failed nor was backed out and whose review did not find it unsuccessful. The
/// unsuccessful ones are the records behind it.
/// </summary>
public sealed class ChangeSuccessMeasure(Database database, Texts<Strings> text) : IObjectiveMeasure
{
    public string Key => "changes.success-rate";

    public string Title => text["Measure.Success"];

    public string? Unit => "%";

    public MeasureDirection Direction => MeasureDirection.AtLeast;

    public async Task<MeasureValue> MeasureAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var rows = await ChangeMeasureRows.CarriedOutAsync(database, from, to, ct);
        // A fail or back-out leaves its reason in outcome_reason, which stays once the change is reviewed and closed.
        var failed = rows.Where(r => r.OutcomeReason is not null || r.State is "failed" or "backed-out" || r.ReviewResult == "unsuccessful").ToList();
        var figures = new[]
        {
            new CheckFigure(text["Input.CarriedOut"], rows.Count), new CheckFigure(text["Measure.Success.Failed"], failed.Count),
            new CheckFigure(text["Measure.Success.Partial"], rows.Count(r => r.ReviewResult == "partially-successful")),
        };
        if (rows.Count == 0)
        {
            return MeasureValue.Nothing(figures);
        }
        return new MeasureValue(Math.Round(100m * (rows.Count - failed.Count) / rows.Count, 1), figures, ChangeMeasureRows.Records(failed));
    }
}

/// <summary>Share of the changes carried out in a period that were emergency changes (ISO/IEC 20000-1:2018 6.2, 8.5.1.3): an objective keeps it at most a target.</summary>
public sealed class EmergencyShareMeasure(Database database, Texts<Strings> text) : IObjectiveMeasure
{
    public string Key => "changes.emergency-share";

    public string Title => text["Measure.Emergency"];

    public string? Unit => "%";

    public MeasureDirection Direction => MeasureDirection.AtMost;

    public async Task<MeasureValue> MeasureAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var rows = await ChangeMeasureRows.CarriedOutAsync(database, from, to, ct);
        var emergency = rows.Where(r => r.Type == "emergency").ToList();
        var figures = new[] { new CheckFigure(text["Input.CarriedOut"], rows.Count), new CheckFigure(text["Input.Emergency"], emergency.Count) };
        if (rows.Count == 0)
        {
            return MeasureValue.Nothing(figures);
        }
        return new MeasureValue(Math.Round(100m * emergency.Count / rows.Count, 1), figures, ChangeMeasureRows.Records(emergency));
    }
}

/// <summary>The changes both measures count: those whose implementation ended in the period.</summary>
internal static class ChangeMeasureRows
{
    public static async Task<List<Row>> CarriedOutAsync(Database database, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT number, title, type, state, outcome_reason, review_result FROM chg_changes
            WHERE actual_end IS NOT NULL AND actual_end >= @from AND actual_end < @to
            ORDER BY number
            """, new { from = from.ToUniversalTime(), to = to.ToUniversalTime() }, cancellationToken: ct))).ToList();
    }

    public static IReadOnlyList<EvidenceRecord> Records(IEnumerable<Row> rows) =>
        [.. rows.Take(50).Select(r => new EvidenceRecord(new ChangeNumber(r.Number).ToString(), r.Title, "/changes/" + new ChangeNumber(r.Number)))];

    internal sealed class Row
    {
        public long Number { get; init; }
        public string Title { get; init; } = "";
        public string Type { get; init; } = "";
        public string State { get; init; } = "";
        public string? OutcomeReason { get; init; }
        public string? ReviewResult { get; init; }
    }
}
