using System.Globalization;

namespace Certus.Problems.Domain;

/// <summary>Incident numbers as problem management stores and shows them: <c>INC-000123</c>, page <c>/incidents/123</c>.</summary>
public static class IncidentNumberText
{
    public const string Prefix = "INC-";

    public static string Format(long number) => Prefix + number.ToString("D6", CultureInfo.InvariantCulture);

    public static string Path(long number) => "/incidents/" + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>The number of <c>INC-000123</c> or <c>123</c>, or null.</summary>
    public static long? Parse(string? text)
    {
        var t = text?.Trim() ?? "";
        if (t.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            t = t[Prefix.Length..];
        }
        return long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
    }
}
