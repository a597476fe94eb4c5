namespace Certus.ServiceLevels.Domain;

/// <summary>
/// Business-time arithmetic over a compiled calendar: every working stretch between two dates converted once
/// to UTC (so daylight saving is settled at build time), with the working time before each stretch summed.
/// <see cref="Due"/> and <see cref="Elapsed"/> are then two binary searches, with no allocation.
/// </summary>
public sealed class BusinessCalendar
{
    private readonly long[] _starts;
    private readonly long[] _ends;
    private readonly long[] _before;
    private readonly HashSet<DateOnly> _holidays;

    private BusinessCalendar(TimeZoneInfo zone, DateOnly first, DateOnly last, long[] starts, long[] ends, long[] before, HashSet<DateOnly> holidays)
    {
        Zone = zone;
        FirstDate = first;
        LastDate = last;
        _starts = starts;
        _ends = ends;
        _before = before;
        _holidays = holidays;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>First local date the calendar covers.</summary>
    public DateOnly FirstDate { get; }

    /// <summary>Last local date the calendar covers.</summary>
    public DateOnly LastDate { get; }

    /// <summary>Number of working stretches compiled, for diagnostics and benchmarks.</summary>
    public int Stretches => _starts.Length;

    /// <summary>Compiles <paramref name="definition"/> for the local dates <paramref name="first"/> to <paramref name="last"/>.</summary>
    public static BusinessCalendar Compile(CalendarDefinition definition, DateOnly first, DateOnly last)
    {
        var problems = definition.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems.Select(p => $"{p.Field}: {p.Problem}")), nameof(definition));
        }
        CalendarDefinition.TryZone(definition.TimeZone, out var zone);
        var holidays = definition.Holidays.Select(h => h.Date).ToHashSet();
        var overrides = definition.WorkingDays.Select(w => w.Date).ToHashSet();
        // A weekend day worked instead of a holiday keeps ordinary weekday hours: Monday's, or the first weekday that has any.
        var weekdayHours = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .Select(d => definition.WorkingHours.TryGetValue(d, out var r) ? r : [])
            .FirstOrDefault(r => r.Count > 0) ?? [];
        var starts = new List<long>();
        var ends = new List<long>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (holidays.Contains(day))
            {
                continue;
            }
            var ranges = overrides.Contains(day) ? weekdayHours
                : definition.WorkingHours.TryGetValue(day.DayOfWeek, out var r) ? r : [];
            foreach (var range in ranges.OrderBy(x => x.Start))
            {
                var start = ToUtc(zone, day.ToDateTime(range.Start));
                var end = ToUtc(zone, range.End == TimeOnly.MinValue ? day.AddDays(1).ToDateTime(TimeOnly.MinValue) : day.ToDateTime(range.End));
                if (end > start)
                {
                    starts.Add(start);
                    ends.Add(end);
                }
            }
        }
        var before = new long[starts.Count];
        long sum = 0;
        for (var i = 0; i < starts.Count; i++)
        {
            before[i] = sum;
            sum += ends[i] - starts[i];
        }
        return new BusinessCalendar(zone, first, last, [.. starts], [.. ends], before, holidays);
    }

    /// <summary>The instant when <paramref name="minutes"/> of working time have passed since <paramref name="start"/>.</summary>
    public DateTimeOffset Due(DateTimeOffset start, double minutes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minutes);
        var from = start.UtcTicks;
        if (minutes == 0)
        {
            // Due at once: now if working, else when work next starts.
            var at = IndexAtOrBefore(from);
            if (at >= 0 && from <= _ends[at])
            {
                return new DateTimeOffset(from, TimeSpan.Zero);
            }
            return at + 1 < _starts.Length ? new DateTimeOffset(_starts[at + 1], TimeSpan.Zero) : throw OutOfRange(start);
        }
        var target = WorkedBefore(from) + (long)Math.Round(minutes * TimeSpan.TicksPerMinute);
        // The first stretch whose end reaches the target.
        int lo = 0, hi = _starts.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (_before[mid] + (_ends[mid] - _starts[mid]) >= target)
            {
                found = mid;
                hi = mid - 1;
            }
            else
            {
                lo = mid + 1;
            }
        }
        if (found < 0)
        {
            throw OutOfRange(start);
        }
        return new DateTimeOffset(_starts[found] + (target - _before[found]), TimeSpan.Zero);
    }

    /// <summary>Working minutes between two instants (negative when <paramref name="to"/> is earlier).</summary>
    public double Elapsed(DateTimeOffset from, DateTimeOffset to) =>
        (WorkedBefore(to.UtcTicks) - WorkedBefore(from.UtcTicks)) / (double)TimeSpan.TicksPerMinute;

    /// <summary>True when <paramref name="instant"/> lies in working time (the end of a stretch counts as inside).</summary>
    public bool IsWorking(DateTimeOffset instant)
    {
        var at = IndexAtOrBefore(instant.UtcTicks);
        return at >= 0 && instant.UtcTicks <= _ends[at];
    }

    public bool IsHoliday(DateOnly date) => _holidays.Contains(date);

    /// <summary>The local date of an instant in the calendar's time zone.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    private long WorkedBefore(long ticks)
    {
        var at = IndexAtOrBefore(ticks);
        if (at < 0)
        {
            return 0;
        }
        return _before[at] + Math.Min(ticks, _ends[at]) - _starts[at];
    }

    /// <summary>The last stretch starting at or before <paramref name="ticks"/>, or -1.</summary>
    private int IndexAtOrBefore(long ticks)
    {
        int lo = 0, hi = _starts.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (_starts[mid] <= ticks)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }

    private ArgumentOutOfRangeException OutOfRange(DateTimeOffset start) =>
        new(nameof(start), $"The calendar covers {FirstDate:yyyy-MM-dd} to {LastDate:yyyy-MM-dd}; {start:O} plus the time asked goes beyond it.");

    /// <summary>Local wall-clock time to UTC ticks; a time skipped by a clock change moves to the first valid minute after it.</summary>
    private static long ToUtc(TimeZoneInfo zone, DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(1);
        }
        return TimeZoneInfo.ConvertTimeToUtc(unspecified, zone).Ticks;
    }
}
