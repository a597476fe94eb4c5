using System.Globalization;
using System.Text.Json;
using Certus.Kernel.Errors;
using Certus.ServiceLevels.Domain;

namespace Certus.ServiceLevels.Features;

/// <summary>Working hours of one weekday: <c>{"day":"monday","ranges":[{"start":"09:00","end":"12:00"}]}</c>; an end of 24:00 is midnight.</summary>
public sealed record DayHours(string? Day, IReadOnlyList<HoursRange>? Ranges);

public sealed record HoursRange(string? Start, string? End);

/// <summary>A holiday or a working day: <c>{"date":"2026-02-14","name":"春节 / Spring Festival"}</c>.</summary>
public sealed record DateEntry(string? Date, string? Name);

/// <summary>A whole calendar as a client sends it, for create and for full replace.</summary>
public sealed record CalendarInput(
    string? Name,
    string? TimeZone,
    IReadOnlyList<DayHours>? WorkingHours,
    IReadOnlyList<DateEntry>? Holidays,
    IReadOnlyList<DateEntry>? WorkingDays);

/// <summary>Turns <see cref="CalendarInput"/> into a <see cref="CalendarDefinition"/>, field by field, in the caller's language.</summary>
internal static class CalendarInputs
{
    public const int MaxName = 200;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    public sealed record Parsed(string Name, CalendarDefinition Definition);

    public static string DayKey(DayOfWeek day) => day.ToString().ToLowerInvariant();

    public static string TimeText(TimeOnly time, bool isEnd) =>
        isEnd && time == TimeOnly.MinValue ? "24:00" : time.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string DateText(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static Outcome<Parsed> Parse(CalendarInput input, Texts<Strings> text)
    {
        var errors = text.Errors().Required("name", input.Name, MaxName).Required("timeZone", input.TimeZone, 100);
        var hours = new Dictionary<DayOfWeek, IReadOnlyList<TimeRange>>();
        var days = input.WorkingHours ?? [];
        for (var i = 0; i < days.Count; i++)
        {
            var field = $"workingHours[{i}]";
            if (ParseDay(days[i].Day) is not { } day)
            {
                errors.AddMessage($"{field}.day", text["Calendar.Problem.unknown-day"]);
                continue;
            }
            if (hours.ContainsKey(day))
            {
                errors.AddMessage($"{field}.day", text["Calendar.Problem.duplicate-day"]);
                continue;
            }
            var ranges = new List<TimeRange>();
            var list = days[i].Ranges ?? [];
            for (var j = 0; j < list.Count; j++)
            {
                var start = ParseTime(list[j].Start, isEnd: false);
                var end = ParseTime(list[j].End, isEnd: true);
                if (start is null)
                {
                    errors.AddMessage($"{field}.ranges[{j}].start", text["Calendar.Problem.bad-time"]);
                }
                if (end is null)
                {
                    errors.AddMessage($"{field}.ranges[{j}].end", text["Calendar.Problem.bad-time"]);
                }
                if (start is { } s && end is { } e)
                {
                    ranges.Add(new TimeRange(s, e));
                }
            }
            hours[day] = ranges;
        }
        var holidays = Dates(input.Holidays, "holidays", errors, text);
        var workingDays = Dates(input.WorkingDays, "workingDays", errors, text);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var definition = new CalendarDefinition(input.TimeZone!.Trim(), hours, holidays, workingDays);
        if (Problems(definition, days, text) is { IsEmpty: false } problems)
        {
            return text.Invalid(problems);
        }
        return new Parsed(input.Name!.Trim(), definition);
    }

    /// <summary>The domain's reasons a definition is no calendar, each under the field the client sent.</summary>
    public static FieldErrors Problems(CalendarDefinition definition, IReadOnlyList<DayHours> sent, Texts<Strings> text)
    {
        var errors = text.Errors();
        foreach (var (field, problem) in definition.Problems())
        {
            var name = field;
            if (field.StartsWith("workingHours.", StringComparison.Ordinal)
                && Enum.TryParse<DayOfWeek>(field["workingHours.".Length..], out var day))
            {
                // Name the entry as the client sent it: workingHours[2].
                var index = sent.ToList().FindIndex(d => ParseDay(d.Day) == day);
                name = index >= 0 ? $"workingHours[{index}]" : $"workingHours.{DayKey(day)}";
            }
            errors.AddMessage(name, text[$"Calendar.Problem.{problem}"]);
        }
        return errors;
    }

    public static DayOfWeek? ParseDay(string? day) =>
        Week.Cast<DayOfWeek?>().FirstOrDefault(d => string.Equals(DayKey(d!.Value), day?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>HH:mm; 24:00 is midnight at the end of the day and may only end a range.</summary>
    public static TimeOnly? ParseTime(string? value, bool isEnd)
    {
        var v = value?.Trim();
        if (isEnd && v is "24:00")
        {
            return TimeOnly.MinValue;
        }
        return TimeOnly.TryParseExact(v, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
    }

    public static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static List<NamedDate> Dates(IReadOnlyList<DateEntry>? entries, string field, FieldErrors errors, Texts<Strings> text)
    {
        var dates = new List<NamedDate>();
        var list = entries ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var date = ParseDate(list[i].Date);
            if (date is null)
            {
                errors.AddMessage($"{field}[{i}].date", text["Calendar.Problem.bad-date"]);
            }
            errors.Required($"{field}[{i}].name", list[i].Name, MaxName);
            if (date is { } d && !string.IsNullOrWhiteSpace(list[i].Name))
            {
                dates.Add(new NamedDate(d, list[i].Name!.Trim()));
            }
        }
        return dates;
    }

    /// <summary>Working hours as stored: every weekday in order, ranges sorted.</summary>
    public static string HoursJson(IReadOnlyDictionary<DayOfWeek, IReadOnlyList<TimeRange>> hours) =>
        JsonSerializer.Serialize(HoursView(hours), Json);

    public static IReadOnlyList<WorkingDayView> HoursView(IReadOnlyDictionary<DayOfWeek, IReadOnlyList<TimeRange>> hours) =>
        [.. Week.Where(d => hours.TryGetValue(d, out var r) && r.Count > 0)
            .Select(d => new WorkingDayView(DayKey(d), [.. hours[d].OrderBy(r => r.Start).Select(r => new RangeView(TimeText(r.Start, false), TimeText(r.End, true)))]))];

    public static Dictionary<DayOfWeek, IReadOnlyList<TimeRange>> HoursFromJson(string json)
    {
        var stored = JsonSerializer.Deserialize<List<WorkingDayView>>(json, Json) ?? [];
        return stored.ToDictionary(
            d => ParseDay(d.Day)!.Value,
            IReadOnlyList<TimeRange> (d) => [.. d.Ranges.Select(r => new TimeRange(ParseTime(r.Start, false)!.Value, ParseTime(r.End, true)!.Value))]);
    }

    /// <summary>The input a client would send to recreate <paramref name="calendar"/>, for edits that change one part.</summary>
    public static CalendarInput ToInput(CalendarView calendar) => new(
        calendar.Name,
        calendar.TimeZone,
        [.. calendar.WorkingHours.Select(d => new DayHours(d.Day, [.. d.Ranges.Select(r => new HoursRange(r.Start, r.End))]))],
        [.. calendar.Holidays.Select(h => new DateEntry(h.Date, h.Name))],
        [.. calendar.WorkingDays.Select(h => new DateEntry(h.Date, h.Name))]);
}
