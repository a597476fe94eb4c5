using System.Globalization;

namespace Certus.Audits.Features;

/// <summary>Calendar dates as the audit records keep them: yyyy-MM-dd text, which sorts the same on both databases.</summary>
internal static class Dates
{
    public static bool TryParse(string? value, out string? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            date = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return true;
        }
        return false;
    }

    /// <summary>Midnight China Standard Time (the manual's calendar) at the start of <paramref name="date"/>.</summary>
    public static DateTimeOffset StartOf(string date) =>
        new DateTimeOffset(DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).ToUniversalTime();

    public static string Day(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
