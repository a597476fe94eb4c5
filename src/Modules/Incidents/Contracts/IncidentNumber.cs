using System.Globalization;

namespace Certus.Incidents.Contracts;

/// <summary>The human number of an incident, <c>INC-000123</c>.</summary>
public readonly record struct IncidentNumber(long Value)
{
    public const string Prefix = "INC-";

    public override string ToString() => Prefix + Value.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The incident's page, which addresses it by its plain number.</summary>
    public string Path => "/incidents/" + Value.ToString(CultureInfo.InvariantCulture);

    public static IncidentNumber? Parse(string? text)
    {
        var t = text?.Trim() ?? "";
        if (t.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            t = t[Prefix.Length..];
        }
        return long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? new IncidentNumber(n) : null;
    }
}
