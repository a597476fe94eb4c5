using System.Globalization;
using Certus.Kernel.Text;

namespace Certus.Competence.Features;

/// <summary>What competence records add to <see cref="CalendarDates"/>: dates within 1950-2200, and names in the caller's language.</summary>
public static class Dates
{
    /// <summary>True for a blank value (date stays null) or a valid yyyy-MM-dd date between 1950 and 2200.</summary>
    public static bool TryParse(string? value, out string? date) =>
        CalendarDates.TryParse(value, out date) && (date is null || int.Parse(date.AsSpan(0, 4), CultureInfo.InvariantCulture) is >= 1950 and <= 2200);

    /// <summary>The name in the caller's language: Chinese for zh-*, English otherwise.</summary>
    public static string Pick(string en, string zh) =>
        CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? zh : en;
}
