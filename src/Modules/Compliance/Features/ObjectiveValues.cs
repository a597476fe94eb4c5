using System.Globalization;
using Certus.Compliance.Domain;
using Certus.Data;
using Certus.Kernel.Conformity;
using Certus.Kernel.Errors;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Certus.Compliance.Features;

/// <summary>An objective's value over one period, judged against its target.</summary>
public sealed class ObjectiveResult
{
    public string Period { get; init; } = "";
    public string Label { get; init; } = "";
    public string From { get; init; } = "";
    public string To { get; init; } = "";
    public decimal? Value { get; init; }
    public decimal Target { get; init; }
    public string Direction { get; init; } = "";

    /// <summary><c>met</c>, <c>not-met</c> or <c>no-data</c>.</summary>
    public string Result { get; init; } = "";

    /// <summary>True once the value was taken after the period ended: the trend keeps it as it was.</summary>
    public bool Final { get; init; }

    public IReadOnlyList<CheckFigure> Figures { get; init; } = [];
    public IReadOnlyList<EvidenceRecord> Records { get; init; } = [];
}

/// <summary>A measure computed from live data that an objective may choose, with its value over the current period.</summary>
public sealed record MeasureOption(string Key, string Title, string? Unit, string Direction);

/// <summary>
/// Computes objectives' values (ISO/IEC 20000-1:2018 6.2.1 "measurable ... monitored"): a live measure registered by the
/// module owning the data (<see cref="IObjectiveMeasure"/>) over the period's instants in the provider's time zone, or
/// the latest reading the owner entered in the period. Reading is side-effect free; <see cref="TrendAsync"/> keeps a
/// snapshot per period so the history stays as it was seen.
/// </summary>
public sealed class ObjectiveValues(Database database, IEnumerable<IObjectiveMeasure> measures, Texts<PlanningStrings> text, TimeProvider clock, ILogger<ObjectiveValues> logger)
{
    /// <summary>The provider's time zone: calendar periods start at its midnight.</summary>
    public TimeZoneInfo Zone => clock.LocalTimeZone;

    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone).DateTime);

    public IReadOnlyList<MeasureOption> Options() =>
        [.. measures.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => new MeasureOption(m.Key, m.Title, m.Unit, m.Direction.Key()))];

    public IObjectiveMeasure? Find(string? key) => measures.FirstOrDefault(m => string.Equals(m.Key, key, StringComparison.Ordinal));

    public ObjectivePeriod Current(ObjectiveView o) => ObjectivePeriod.Containing(ObjectiveRules.ParsePeriod(o.Period) ?? PeriodKind.Quarter, Today);

    /// <summary>The objective's value over <paramref name="period"/>, read-only.</summary>
    public Task<ObjectiveResult> MeasureAsync(ObjectiveView o, ObjectivePeriod period, CancellationToken ct) =>
        MeasureAsync(o, period.From(Zone), period.To(Zone), period.Label, period.Kind.Key(), ct);

    /// <summary>The objective's value over [from, to) (a management review's period), read-only.</summary>
    public async Task<ObjectiveResult> MeasureAsync(ObjectiveView o, DateTimeOffset from, DateTimeOffset to, string label, string period, CancellationToken ct)
    {
        var direction = ObjectiveRules.ParseDirection(o.Direction) ?? MeasureDirection.AtLeast;
        var value = await ValueAsync(o, from.ToUniversalTime(), to.ToUniversalTime(), ct);
        return new ObjectiveResult
        {
            Period = period, Label = label, From = Day(from), To = Day(to), Value = value.Value is { } v ? Math.Round(v, 2) : null, Target = o.Target,
            Direction = o.Direction, Result = ObjectiveRules.Judge(value.Value, o.Target, direction), Figures = value.Figures, Records = value.Records,
            Final = to <= clock.GetUtcNow(),
        };
    }

    /// <summary>
    /// The last periods up to the current one, oldest first. A period already kept as final is shown as kept; the others
    /// are computed and kept (the current one is overwritten until it ends).
    /// </summary>
    public async Task<IReadOnlyList<ObjectiveResult>> TrendAsync(ObjectiveView o, CancellationToken ct)
    {
        var current = Current(o);
        var periods = new List<ObjectivePeriod> { current };
        for (var i = 1; i < ObjectivePeriod.TrendLength(current.Kind); i++)
        {
            periods.Insert(0, periods[0].Previous());
        }
        Dictionary<string, SnapshotRow> kept;
        await using (var connection = await database.OpenAsync(ct))
        {
            kept = (await connection.QueryAsync<SnapshotRow>(new CommandDefinition(
                """
                SELECT period_start, label, value * 1.0 AS value, target * 1.0 AS target, direction, result, final FROM cmp_objective_snapshots
                WHERE objective_id = @id AND period = @period AND final = 'yes'
                """, new { id = o.Id, period = o.Period }, cancellationToken: ct))).ToDictionary(s => s.PeriodStart, StringComparer.Ordinal);
        }
        var trend = new List<ObjectiveResult>();
        var fresh = new List<ObjectiveResult>();
        foreach (var p in periods)
        {
            if (kept.TryGetValue(Day(p.Start), out var s))
            {
                trend.Add(new ObjectiveResult
                {
                    Period = o.Period, Label = s.Label, From = s.PeriodStart, To = Day(p.End), Value = s.Value, Target = s.Target, Direction = s.Direction,
                    Result = s.Result, Final = true,
                });
                continue;
            }
            var result = await MeasureAsync(o, p, ct);
            trend.Add(result);
            fresh.Add(result);
        }
        await KeepAsync(o, fresh, ct);
        return trend;
    }

    /// <summary>The value kept for a period once it ended, if there is one; read-only.</summary>
    public async Task<ObjectiveResult?> KeptAsync(ObjectiveView o, ObjectivePeriod period, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var s = await connection.QuerySingleOrDefaultAsync<SnapshotRow>(new CommandDefinition(
            """
            SELECT period_start, label, value * 1.0 AS value, target * 1.0 AS target, direction, result, final FROM cmp_objective_snapshots
            WHERE objective_id = @id AND period = @period AND period_start = @start AND final = 'yes'
            """, new { id = o.Id, period = period.Kind.Key(), start = Day(period.Start) }, cancellationToken: ct));
        return s is null ? null : new ObjectiveResult
        {
            Period = period.Kind.Key(), Label = s.Label, From = s.PeriodStart, To = Day(period.End), Value = s.Value, Target = s.Target, Direction = s.Direction,
            Result = s.Result, Final = true,
        };
    }

    /// <summary>Stores the values just computed, never over a final one.</summary>
    public async Task KeepAsync(ObjectiveView o, IReadOnlyList<ObjectiveResult> results, CancellationToken ct)
    {
        if (results.Count == 0)
        {
            return;
        }
        var now = clock.GetUtcNow();
        await database.WriteAsync(async (connection, tx) =>
        {
            foreach (var r in results)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO cmp_objective_snapshots (objective_id, period, period_start, period_end, label, value, target, direction, result, computed_at, final)
                    VALUES (@id, @period, @from, @to, @label, @value, @target, @direction, @result, @now, @final)
                    ON CONFLICT (objective_id, period, period_start) DO UPDATE SET value = excluded.value, target = excluded.target,
                        direction = excluded.direction, result = excluded.result, computed_at = excluded.computed_at, final = excluded.final
                    WHERE cmp_objective_snapshots.final <> 'yes'
                    """,
                    new { id = o.Id, period = r.Period, from = r.From, to = r.To, label = r.Label, value = r.Value, target = r.Target, direction = r.Direction,
                        result = r.Result, now, final = r.Final ? "yes" : "no" }, tx, cancellationToken: ct));
            }
            return 0;
        }, ct);
    }

    private async Task<MeasureValue> ValueAsync(ObjectiveView o, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        if (o.MeasureKey is null || o.MeasureKey == ObjectiveRules.Manual)
        {
            await using var connection = await database.OpenAsync(ct);
            var reading = await connection.QueryFirstOrDefaultAsync<ReadingView>(new CommandDefinition(
                $"""
                SELECT {ReadingView.Columns} FROM cmp_objective_readings
                WHERE objective_id = @id AND taken_on >= @from AND taken_on < @to ORDER BY taken_on DESC, recorded_at DESC LIMIT 1
                """, new { id = o.Id, from = Day(from), to = Day(to) }, cancellationToken: ct));
            return reading is null
                ? MeasureValue.Nothing()
                : new MeasureValue(reading.Value, [new CheckFigure(text["Objective.Reading"], reading.Value, o.ManualUnit)],
                    [new EvidenceRecord(reading.TakenOn, reading.Note.Length > 0 ? reading.Note : text["Objective.ReadingBy", reading.RecordedByName], $"/compliance/objectives/{o.Id:D}")]);
        }
        if (Find(o.MeasureKey) is not { } measure)
        {
            return MeasureValue.Nothing(new CheckFigure(text["Objective.MeasureGone", o.MeasureKey], 0));
        }
        try
        {
            return await measure.MeasureAsync(from, to, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One failing measure must not take the objectives page down; it shows as no data.
            logger.LogError(ex, "Objective measure {Key} failed.", measure.Key);
            return MeasureValue.Nothing();
        }
    }

    /// <summary>The calendar day of an instant in the provider's time zone, as the periods and readings store it.</summary>
    public string Day(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class SnapshotRow
    {
        public string PeriodStart { get; init; } = "";
        public string Label { get; init; } = "";
        public decimal? Value { get; init; }
        public decimal Target { get; init; }
        public string Direction { get; init; } = "";
        public string Result { get; init; } = "";
        public string Final { get; init; } = "";
    }
}
