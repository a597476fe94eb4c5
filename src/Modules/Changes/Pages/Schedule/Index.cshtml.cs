using System.Globalization;
using Certus.Changes.Contracts;
using Certus.Changes.Features;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Changes.Pages.Schedule;

/// <summary>
/// The change schedule: a month (default this month) or a whole year, from one read of the schedule, with freeze
/// windows in red and maintenance windows in green. Days are the server's local days, as every page shows times.
/// </summary>
[RequirePermission(ChangePermissions.Read)]
public sealed class IndexModel(ChangeSchedule schedule, IEnumerable<IServiceLookup> services, ICurrentUser caller, TimeProvider clock) : PageModel
{
    /// <summary>How many changes a day's cell lists in the month view before "more".</summary>
    public const int PerDay = 5;

    /// <summary>One day: the changes touching it and the windows covering it.</summary>
    public sealed class Day
    {
        public List<ChangeSchedule.Entry> Changes { get; } = [];
        public List<ScheduleWindow> Windows { get; } = [];
        public bool Freeze => Windows.Any(w => w.Kind == "freeze");
        public bool Maintenance => Windows.Any(w => w.Kind == "maintenance");
    }

    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Year { get; set; }

    [BindProperty(SupportsGet = true, Name = "day")]
    public DateOnly? Selected { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Service { get; set; }

    public bool IsYear => Year is not null;

    /// <summary>The first day shown (the 1st of the month or of January).</summary>
    public DateOnly First { get; private set; }

    public DateOnly Last { get; private set; }

    public ChangeSchedule.Calendar Calendar { get; private set; } = null!;

    public IReadOnlyDictionary<DateOnly, Day> Days { get; private set; } = new Dictionary<DateOnly, Day>();

    public IReadOnlyList<ServiceOption>? ServiceOptions { get; private set; }

    public bool IsStaff => caller.IsProviderStaff;

    public DateOnly Today { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        if (Year is { } year)
        {
            if (year is < 2000 or > 2200)
            {
                return BadRequest();
            }
            First = new DateOnly(year, 1, 1);
            Last = new DateOnly(year, 12, 31);
        }
        else
        {
            var month = Today;
            if (Month is not null && !DateOnly.TryParseExact(Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out month))
            {
                return BadRequest();
            }
            First = new DateOnly(month.Year, month.Month, 1);
            Last = First.AddMonths(1).AddDays(-1);
        }
        Calendar = await schedule.ReadAsync(Instant(First), Instant(Last.AddDays(1)), Service, IsYear, ct);
        Days = Spread(Calendar, First, Last);
        if (services.FirstOrDefault() is { } lookup)
        {
            ServiceOptions = await lookup.ForOrganisationAsync(caller.VisibleOrganisationId, ct);
        }
        return Page();
    }

    /// <summary>Puts each change and window on every day of the period it touches.</summary>
    private static Dictionary<DateOnly, Day> Spread(ChangeSchedule.Calendar calendar, DateOnly first, DateOnly last)
    {
        var days = new Dictionary<DateOnly, Day>();
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            days[d] = new Day();
        }
        foreach (var change in calendar.Changes)
        {
            foreach (var d in Covered(change.PlannedStart, change.PlannedEnd, first, last))
            {
                days[d].Changes.Add(change);
            }
        }
        foreach (var window in calendar.Windows)
        {
            foreach (var d in Covered(window.StartsAt, window.EndsAt, first, last))
            {
                days[d].Windows.Add(window);
            }
        }
        return days;
    }

    private static IEnumerable<DateOnly> Covered(DateTimeOffset start, DateTimeOffset end, DateOnly first, DateOnly last)
    {
        var from = DateOnly.FromDateTime(start.ToLocalTime().DateTime);
        // An end at midnight does not touch the next day.
        var to = DateOnly.FromDateTime(end.ToLocalTime().AddTicks(-1).DateTime);
        from = from < first ? first : from;
        to = to > last ? last : to;
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            yield return d;
        }
    }

    private static DateTimeOffset Instant(DateOnly day) => Show.Instant(day.ToDateTime(TimeOnly.MinValue))!.Value;

    public string Link(string? month = null, int? year = null, DateOnly? day = null)
    {
        var query = new List<string>();
        if (year is { } y)
        {
            query.Add($"year={y.ToString(CultureInfo.InvariantCulture)}");
        }
        if (month is not null)
        {
            query.Add($"month={month}");
        }
        if (day is { } d)
        {
            query.Add($"day={d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        }
        if (!string.IsNullOrEmpty(Service))
        {
            query.Add($"service={Uri.EscapeDataString(Service)}");
        }
        return "/changes/schedule" + (query.Count == 0 ? "" : "?" + string.Join("&", query));
    }

    public static string MonthKey(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The heat class of a day in the year view.</summary>
    public static string Heat(int count) => count switch
    {
        0 => "chg-heat-0",
        <= 10 => "chg-heat-1",
        <= 40 => "chg-heat-2",
        <= 80 => "chg-heat-3",
        _ => "chg-heat-4",
    };
}
