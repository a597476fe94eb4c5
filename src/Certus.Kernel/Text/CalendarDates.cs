using System.Globalization;

namespace Certus.Kernel.Text;

/// <summary>
/// Calendar dates as records keep them: <c>yyyy-MM-dd</c> text, which sorts and compares the same on both databases,
/// on the provider's calendar (China Standard Time, the manual's).
/// </summary>
public static class CalendarDates
{
    public const string Format = "yyyy-MM-dd";

    /// <summary>The provider's time zone offset: China Standard Time.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>True for a blank value (<paramref name="date"/> stays null) or a valid <c>yyyy-MM-dd</c> date, normalised.</summary>
    public static bool TryParse(string? value, out string? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }
        if (DateOnly.TryParseExact(value.Trim(), Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            date = d.ToString(Format, CultureInfo.InvariantCulture);
            return true;
        }
        return false;
    }

    /// <summary>The provider's calendar day at <paramref name="at"/>.</summary>
    public static string Day(DateTimeOffset at) => at.ToOffset(Offset).ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>The provider's calendar year at <paramref name="at"/>.</summary>
    public static int Year(DateTimeOffset at) => at.ToOffset(Offset).Year;

    /// <summary>Midnight on the provider's calendar at the start of <paramref name="date"/>, in UTC.</summary>
    public static DateTimeOffset StartOf(string date) =>
        new DateTimeOffset(DateOnly.ParseExact(date, Format, CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue), Offset).ToUniversalTime();

    public static string AddDays(string date, int days) =>
        DateOnly.ParseExact(date, Format, CultureInfo.InvariantCulture).AddDays(days).ToString(Format, CultureInfo.InvariantCulture);

    public static string AddMonths(string date, int months) =>
        DateOnly.ParseExact(date, Format, CultureInfo.InvariantCulture).AddMonths(months).ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Null for blank text, otherwise the text trimmed.</summary>
    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
