using System.Globalization;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Data;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.ServiceLevels.Pages.Calendars;

/// <summary>One calendar: its hours, holidays and working days, the official schedule import, and a due-time calculator.</summary>
[RequirePermission(ServiceLevelPermissions.Read)]
public sealed class DetailsModel(
    CalendarQueries queries, UpdateCalendar update, ImportChineseHolidays import, CalendarArithmetic arithmetic, ICurrentUser caller,
    IStringLocalizer<Strings> text) : PageModel
{
    public static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public CalendarView Calendar { get; private set; } = null!;

    public bool CanManage => caller.HasPermission(ServiceLevelPermissions.Manage);

    public static IReadOnlyList<int> ShippedYears => ChineseHolidays.Years;

    /// <summary>Year whose dates are listed; <c>null</c> lists them all.</summary>
    [BindProperty(SupportsGet = true)]
    public int? Year { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Start { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Minutes { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public string? Due { get; private set; }

    public double? Elapsed { get; private set; }

    public IReadOnlyList<int> Years => [.. Calendar.Holidays.Concat(Calendar.WorkingDays).Select(d => int.Parse(d.Date[..4], CultureInfo.InvariantCulture)).Distinct().Order()];

    public IEnumerable<(DateView Date, string Kind)> Dates =>
        Calendar.Holidays.Select(d => (d, CalendarStore.Holiday)).Concat(Calendar.WorkingDays.Select(d => (d, CalendarStore.WorkingDay)))
            .Where(d => Year is null || d.Item1.Date.StartsWith(Year.Value.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
            .OrderBy(d => d.Item1.Date, StringComparer.Ordinal);

    public string HoursText(string day) =>
        string.Join(", ", Calendar.WorkingHours.FirstOrDefault(d => d.Day == day)?.Ranges.Select(r => $"{r.Start}-{r.End}") ?? []);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (Year is null && Years.Contains(DateTime.Today.Year))
        {
            Year = DateTime.Today.Year;
        }
        await CalculateAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostHoursAsync(Guid id, int version, string? name, string? timeZone, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        var hours = new List<DayHours>();
        foreach (var day in Days)
        {
            var ranges = new List<HoursRange>();
            foreach (var part in Request.Form[$"hours_{day}"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var ends = part.Split('-', StringSplitOptions.TrimEntries);
                if (ends.Length != 2)
                {
                    ModelState.AddModelError($"hours_{day}", text["Calendars.BadRanges"]);
                    return Page();
                }
                ranges.Add(new HoursRange(ends[0], ends[1]));
            }
            if (ranges.Count > 0)
            {
                hours.Add(new DayHours(day, ranges));
            }
        }
        return await SaveAsync(id, version, CalendarInputs.ToInput(Calendar) with { Name = name, TimeZone = timeZone, WorkingHours = hours }, ct);
    }

    public async Task<IActionResult> OnPostAddDateAsync(Guid id, int version, string? date, string? dateName, string? kind, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        var input = CalendarInputs.ToInput(Calendar);
        var entry = new DateEntry(date, dateName);
        input = kind == CalendarStore.WorkingDay
            ? input with { WorkingDays = [.. input.WorkingDays!, entry] }
            : input with { Holidays = [.. input.Holidays!, entry] };
        return await SaveAsync(id, version, input, ct);
    }

    public async Task<IActionResult> OnPostRemoveDateAsync(Guid id, int version, string? date, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        var input = CalendarInputs.ToInput(Calendar);
        input = input with { Holidays = [.. input.Holidays!.Where(d => d.Date != date)], WorkingDays = [.. input.WorkingDays!.Where(d => d.Date != date)] };
        return await SaveAsync(id, version, input, ct);
    }

    public async Task<IActionResult> OnPostImportAsync(Guid id, int version, int importYear, CancellationToken ct)
    {
        var outcome = await import.HandleAsync(id, importYear, version, ct);
        Year = importYear;
        return await AfterAsync(id, outcome, ct);
    }

    private async Task<IActionResult> SaveAsync(Guid id, int version, CalendarInput input, CancellationToken ct) =>
        await AfterAsync(id, await update.HandleAsync(id, version, input, ct: ct), ct);

    private async Task<IActionResult> AfterAsync(Guid id, Outcome<CalendarView> outcome, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            return Redirect($"/service-levels/calendars/{id}" + (Year is { } y ? $"?year={y}" : ""));
        }
        if (outcome.Failure!.Kind == FailureKind.NotFound)
        {
            return NotFound();
        }
        ModelState.AddFailure(outcome.Failure, prefix: "");
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await queries.GetAsync(id, ct) is not { } calendar)
        {
            return false;
        }
        Calendar = calendar;
        return true;
    }

    /// <summary>The calculator's times come from datetime-local inputs: wall-clock time in the calendar's own zone.</summary>
    private async Task CalculateAsync(CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(Start) || !string.IsNullOrWhiteSpace(Minutes))
        {
            var due = await arithmetic.DueAsync(Calendar.Id, WithOffset(Start), Minutes, ct);
            if (due.Succeeded)
            {
                Due = due.Value!.Due;
            }
            else
            {
                ModelState.AddFailure(due.Failure!, prefix: "");
            }
        }
        if (!string.IsNullOrWhiteSpace(From) || !string.IsNullOrWhiteSpace(To))
        {
            var elapsed = await arithmetic.ElapsedAsync(Calendar.Id, WithOffset(From), WithOffset(To), ct);
            if (elapsed.Succeeded)
            {
                Elapsed = elapsed.Value!.Minutes;
            }
            else
            {
                ModelState.AddFailure(elapsed.Failure!, prefix: "");
            }
        }
    }

    private string? WithOffset(string? local)
    {
        if (!DateTime.TryParse(local, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall) || !Domain.CalendarDefinition.TryZone(Calendar.TimeZone, out var zone))
        {
            return local;
        }
        return new DateTimeOffset(wall, zone.GetUtcOffset(wall)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }
}
