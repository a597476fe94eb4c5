using System.Globalization;

namespace Certus.Competence.Features;

/// <summary>Calendar dates as the competence records keep them: yyyy-MM-dd text in China Standard Time, the manual's calendar.</summary>
public static class Dates
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    /// <summary>True for a blank value (date stays null) or a valid yyyy-MM-dd date.</summary>
    public static bool TryParse(string? value, out string? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year is >= 1950 and <= 2200)
        {
            date = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return true;
        }
        return false;
    }

    public static string Day(DateTimeOffset at) => at.ToOffset(ChinaStandardTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static int Year(DateTimeOffset at) => at.ToOffset(ChinaStandardTime).Year;

    public static string AddDays(string date, int days) =>
        DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string AddMonths(string date, int months) =>
        DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddMonths(months).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The name in the caller's language: Chinese for zh-*, English otherwise.</summary>
    public static string Pick(string en, string zh) =>
        CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? zh : en;
}
