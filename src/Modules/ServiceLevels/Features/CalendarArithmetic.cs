using System.Globalization;
using Certus.Kernel.Errors;
using Certus.ServiceLevels.Domain;

namespace Certus.ServiceLevels.Features;

/// <summary>A calendar's arithmetic for callers outside the SLA engine: the API's due and elapsed, and the page's calculator.</summary>
public sealed class CalendarArithmetic(CalendarCache cache, Texts<Strings> text)
{
    /// <summary>More business time than any agreement asks for (ten years around the clock).</summary>
    public const double MaxMinutes = 10 * 366 * 24 * 60;

    public sealed record DueResult(string Due);

    public sealed record ElapsedResult(double Minutes);

    public async Task<Outcome<DueResult>> DueAsync(Guid id, string? start, string? minutes, CancellationToken ct = default)
    {
        var errors = text.Errors();
        var from = Instant("start", start, errors);
        double amount = 0;
        if (string.IsNullOrWhiteSpace(minutes))
        {
            errors.Add("minutes", "Validation.Required");
        }
        else if (!double.TryParse(minutes, NumberStyles.Float, CultureInfo.InvariantCulture, out amount) || !double.IsFinite(amount) || amount < 0 || amount > MaxMinutes)
        {
            errors.AddMessage("minutes", text["Calendar.Problem.bad-minutes", MaxMinutes]);
        }
        // An unknown calendar is 404 whatever else is wrong with the request.
        if (await cache.FindAsync(id, ct) is not { } calendar)
        {
            return text.NotFound();
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        if (OutOfRange(calendar, from!.Value) is { } failure)
        {
            return failure;
        }
        try
        {
            return new DueResult(Format(calendar.Due(from.Value, amount), calendar.Zone));
        }
        catch (ArgumentOutOfRangeException)
        {
            return OutOfRangeFailure(calendar);
        }
    }

    public async Task<Outcome<ElapsedResult>> ElapsedAsync(Guid id, string? from, string? to, CancellationToken ct = default)
    {
        var errors = text.Errors();
        var start = Instant("from", from, errors);
        var end = Instant("to", to, errors);
        // An unknown calendar is 404 whatever else is wrong with the request.
        if (await cache.FindAsync(id, ct) is not { } calendar)
        {
            return text.NotFound();
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        if ((OutOfRange(calendar, start!.Value) ?? OutOfRange(calendar, end!.Value)) is { } failure)
        {
            return failure;
        }
        return new ElapsedResult(Math.Round(calendar.Elapsed(start.Value, end!.Value), 6));
    }

    /// <summary>ISO 8601 in the calendar's own offset (<c>+08:00</c>), or <c>Z</c> when that offset is zero.</summary>
    public static string Format(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return local.Offset == TimeSpan.Zero
            ? local.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
            : local.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
    }

    private DateTimeOffset? Instant(string field, string? value, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "Validation.Required");
            return null;
        }
        // An instant needs its offset: a bare local time would be ambiguous across time zones.
        if (DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            && (value.Contains('Z', StringComparison.OrdinalIgnoreCase) || value.LastIndexOfAny(['+', '-']) > 10))
        {
            return instant;
        }
        errors.AddMessage(field, text["Calendar.Problem.bad-instant"]);
        return null;
    }

    private Failure? OutOfRange(BusinessCalendar calendar, DateTimeOffset instant)
    {
        var date = calendar.LocalDate(instant);
        return date < calendar.FirstDate || date > calendar.LastDate ? OutOfRangeFailure(calendar) : null;
    }

    private Failure OutOfRangeFailure(BusinessCalendar calendar) => new(FailureKind.Validation,
        text["Calendar.Problem.out-of-range", CalendarInputs.DateText(calendar.FirstDate), CalendarInputs.DateText(calendar.LastDate)]);
}
