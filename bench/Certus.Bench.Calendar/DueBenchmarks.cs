using BenchmarkDotNet.Attributes;
using Certus.ServiceLevels.Data;
using Certus.ServiceLevels.Domain;
using Certus.ServiceLevels.Features;

namespace Certus.Bench.Calendar;

/// <summary>
/// One due-time computation on China's standard working week with ten years of official holidays (2017-2026),
/// compiled over the range <see cref="CalendarCache"/> uses; baseline: a day-by-day walk over the same definition.
/// </summary>
[MemoryDiagnoser]
public class DueBenchmarks
{
    private const int Questions = 1024;
    private readonly DateTimeOffset[] _starts = new DateTimeOffset[Questions];
    private readonly double[] _minutes = new double[Questions];
    private int _next;

    public static CalendarDefinition Definition { get; } = BuildDefinition();

    public BusinessCalendar Calendar { get; private set; } = null!;

    public DayWalk Walk { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        Calendar = BusinessCalendar.Compile(Definition, CalendarCache.First, CalendarCache.Last);
        Walk = new DayWalk(Definition);
        // Fixed seed: starts anywhere in the ten years, amounts from a minute to four weeks of office time.
        var random = new Random(20261121);
        for (var i = 0; i < Questions; i++)
        {
            _starts[i] = new DateTimeOffset(2017, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 3650 * 24 * 60));
            _minutes[i] = random.Next(1, 4 * 5 * 8 * 60);
        }
    }

    [Benchmark]
    public DateTimeOffset Due()
    {
        var i = _next++ & (Questions - 1);
        return Calendar.Due(_starts[i], _minutes[i]);
    }

    [Benchmark(Baseline = true)]
    public DateTimeOffset DayByDayWalk()
    {
        var i = _next++ & (Questions - 1);
        return Walk.Due(_starts[i], _minutes[i]);
    }

    private static CalendarDefinition BuildDefinition()
    {
        var years = Enumerable.Range(2017, 10).Select(y => ChineseHolidays.For(y)!).ToList();
        TimeRange[] office = [new(new TimeOnly(9, 0), new TimeOnly(12, 0)), new(new TimeOnly(13, 0), new TimeOnly(18, 0))];
        return new CalendarDefinition(
            "Asia/Shanghai",
            new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
                .ToDictionary(d => d, IReadOnlyList<TimeRange> (_) => office),
            [.. years.SelectMany(y => y.Holidays)],
            [.. years.SelectMany(y => y.WorkingDays)]);
    }
}

/// <summary>
/// The raw substrate: what a due time costs without compiling, walking local days from the start, looking up
/// holidays and working days in hash sets, and converting each working range to UTC as it goes.
/// </summary>
public sealed class DayWalk(CalendarDefinition definition)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(definition.TimeZone);
    private readonly HashSet<DateOnly> _holidays = [.. definition.Holidays.Select(h => h.Date)];
    private readonly HashSet<DateOnly> _workingDays = [.. definition.WorkingDays.Select(w => w.Date)];

    public DateTimeOffset Due(DateTimeOffset start, double minutes)
    {
        var left = TimeSpan.FromMinutes(minutes);
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, _zone).DateTime);
        for (var guard = 0; guard < 3660; guard++, day = day.AddDays(1))
        {
            if (_holidays.Contains(day))
            {
                continue;
            }
            var dayOfWeek = _workingDays.Contains(day) ? DayOfWeek.Monday : day.DayOfWeek;
            if (!definition.WorkingHours.TryGetValue(dayOfWeek, out var ranges))
            {
                continue;
            }
            foreach (var range in ranges)
            {
                var from = Utc(day.ToDateTime(range.Start));
                var to = Utc(range.End == TimeOnly.MinValue ? day.AddDays(1).ToDateTime(TimeOnly.MinValue) : day.ToDateTime(range.End));
                if (to <= start)
                {
                    continue;
                }
                if (from < start)
                {
                    from = start;
                }
                if (to - from >= left)
                {
                    return from + left;
                }
                left -= to - from;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(minutes));
    }

    private DateTimeOffset Utc(DateTime local) => new(TimeZoneInfo.ConvertTimeToUtc(local, _zone), TimeSpan.Zero);
}
