using Certus.Data;
using Certus.Incidents.Contracts;
using Certus.Kernel.Conformity;
using Certus.Kernel.Errors;
using Dapper;

namespace Certus.Incidents.Features;

/// <summary>Ratings callers gave when confirming resolutions, over a period, provider-wide.</summary>
public sealed class CustomerSatisfaction(Database database) : ICustomerSatisfaction
{
    public async Task<SatisfactionFigures> ForPeriodAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var args = new { from = from.ToUniversalTime(), to = to.ToUniversalTime() };
        await using var connection = await database.OpenAsync(ct);
        var scores = (await connection.QueryAsync<ScoreCount>(new CommandDefinition(
            """
            SELECT satisfaction AS score, count(*) AS count FROM inc_incidents
            WHERE satisfaction IS NOT NULL AND satisfaction_at >= @from AND satisfaction_at < @to
            GROUP BY satisfaction
            """, args, cancellationToken: ct))).ToList();
        var closed = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM inc_incidents WHERE closed_at >= @from AND closed_at < @to", args, cancellationToken: ct));
        var low = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id, number, title, satisfaction, satisfaction_comment, satisfaction_at FROM inc_incidents
            WHERE satisfaction <= 2 AND satisfaction_at >= @from AND satisfaction_at < @to
            ORDER BY satisfaction_at DESC LIMIT 20
            """, args, cancellationToken: ct));

        var byScore = Enumerable.Range(1, 5).Select(s => scores.Where(c => c.Score == s).Sum(c => c.Count)).ToList();
        var responses = byScore.Sum();
        decimal? average = responses == 0 ? null : Math.Round((decimal)byScore.Select((n, i) => n * (i + 1)).Sum() / responses, 2);
        decimal? satisfied = responses == 0 ? null : Math.Round(100m * (byScore[3] + byScore[4]) / responses, 1);
        return new SatisfactionFigures(responses, closed, average, satisfied, byScore,
            [.. low.Select(r => new IncidentRating(r.Id, new IncidentNumber(r.Number).ToString(), r.Title, r.Satisfaction, r.SatisfactionComment, r.SatisfactionAt, new IncidentNumber(r.Number).Path))]);
    }

    private sealed class ScoreCount
    {
        public int Score { get; init; }
        public int Count { get; init; }
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public long Number { get; init; }
        public string Title { get; init; } = "";
        public int Satisfaction { get; init; }
        public string? SatisfactionComment { get; init; }
        public DateTimeOffset SatisfactionAt { get; init; }
    }
}

/// <summary>Objective measure: the share of callers who rated 4 or 5 when confirming a resolution.</summary>
public sealed class SatisfactionMeasure(ICustomerSatisfaction satisfaction, Texts<Strings> text) : IObjectiveMeasure
{
    public string Key => "incidents.customer-satisfaction";

    public string Title => text["Measure.Satisfaction"];

    public string? Unit => "%";

    public MeasureDirection Direction => MeasureDirection.AtLeast;

    public async Task<MeasureValue> MeasureAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var figures = await satisfaction.ForPeriodAsync(from, to, ct);
        var shown = new List<CheckFigure>
        {
            new(text["Measure.Satisfaction.Responses"], figures.Responses),
            new(text["Measure.Satisfaction.Satisfied"], figures.ByScore[3] + figures.ByScore[4]),
            new(text["Measure.Satisfaction.Dissatisfied"], figures.ByScore[0] + figures.ByScore[1]),
        };
        if (figures.Average is { } average)
        {
            shown.Add(new CheckFigure(text["Measure.Satisfaction.Average"], average, "/ 5"));
        }
        return new MeasureValue(figures.SatisfiedPercent, shown,
            [.. figures.Dissatisfied.Select(r => new EvidenceRecord(r.Number, $"{new string('★', r.Score)} {r.Title}", r.Path))]);
    }
}
