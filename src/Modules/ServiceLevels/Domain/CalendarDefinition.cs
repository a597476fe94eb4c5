namespace Certus.ServiceLevels.Domain;

/// <summary>A stretch of working time within one day, in local time: 09:00-12:00. An end of 00:00 means midnight at the end of the day.</summary>
public readonly record struct TimeRange(TimeOnly Start, TimeOnly End)
{
    internal TimeSpan From => Start.ToTimeSpan();

    internal TimeSpan To => End == TimeOnly.MinValue ? TimeSpan.FromDays(1) : End.ToTimeSpan();
}

/// <summary>A named date: a public holiday, or a weekend day worked instead (China's 调休).</summary>
public readonly record struct NamedDate(DateOnly Date, string Name);

/// <summary>
/// What a business calendar says, as people write it: a time zone, working hours per weekday (several ranges a
/// day), holidays, and working days that override a weekend. <see cref="BusinessCalendar"/> turns it into
/// arithmetic.
/// </summary>
public sealed record CalendarDefinition(
    string TimeZone,
    IReadOnlyDictionary<DayOfWeek, IReadOnlyList<TimeRange>> WorkingHours,
    IReadOnlyList<NamedDate> Holidays,
    IReadOnlyList<NamedDate> WorkingDays)
{
    /// <summary>Why the definition cannot be a calendar, field by field; empty when it can.</summary>
    public IReadOnlyList<(string Field, string Problem)> Problems()
    {
        var problems = new List<(string, string)>();
        if (!TryZone(TimeZone, out _))
        {
            problems.Add(("timeZone", "unknown-time-zone"));
        }
        foreach (var (day, ranges) in WorkingHours)
        {
            var ordered = ranges.OrderBy(r => r.Start).ToList();
            if (ordered.Any(r => r.To <= r.From))
            {
                problems.Add(($"workingHours.{day}", "range-ends-before-it-starts"));
            }
            for (var i = 1; i < ordered.Count; i++)
            {
                if (ordered[i].From < ordered[i - 1].To)
                {
                    problems.Add(($"workingHours.{day}", "ranges-overlap"));
                    break;
                }
            }
        }
        var weekly = WorkingHours.Values.SelectMany(r => r).Any(r => r.To > r.From);
        if (!weekly)
        {
            problems.Add(("workingHours", "no-working-time"));
        }
        if (Holidays.GroupBy(h => h.Date).Any(g => g.Count() > 1))
        {
            problems.Add(("holidays", "duplicate-date"));
        }
        if (WorkingDays.GroupBy(h => h.Date).Any(g => g.Count() > 1))
        {
            problems.Add(("workingDays", "duplicate-date"));
        }
        var both = Holidays.Select(h => h.Date).Intersect(WorkingDays.Select(w => w.Date)).ToList();
        if (both.Count > 0)
        {
            problems.Add(("workingDays", "date-is-also-a-holiday"));
        }
        return problems;
    }

    internal static bool TryZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
