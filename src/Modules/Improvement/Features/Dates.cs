using System.Globalization;

namespace Certus.Improvement.Features;

/// <summary>Calendar dates as the register keeps them: yyyy-MM-dd text, which sorts and compares the same on both databases.</summary>
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

    /// <summary>The provider's calendar day at <paramref name="now"/> (China Standard Time, the manual's).</summary>
    public static string Today(DateTimeOffset now) => now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
