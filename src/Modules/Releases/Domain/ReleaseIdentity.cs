using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Certus.Releases.Domain;

/// <summary>The reference of a release, <c>REL-000123</c>, unique across services.</summary>
public readonly record struct ReleaseNumber(long Value)
{
    public const string Prefix = "REL-";

    public override string ToString() => Prefix + Value.ToString("D6", CultureInfo.InvariantCulture);

    public static ReleaseNumber? Parse(string? text)
    {
        var t = text?.Trim() ?? "";
        if (t.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            t = t[Prefix.Length..];
        }
        return long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? new ReleaseNumber(n) : null;
    }
}

/// <summary>
/// How a service's release policy names its releases (manual §9.1.1 unique identification), such as
/// <c>{service}-{yyyy}.{seq}</c> → <c>COLO-2026.4</c>. Tokens: <c>{service}</c>, <c>{type}</c>, <c>{yyyy}</c>,
/// <c>{mm}</c> and the required <c>{seq}</c>, the policy's running number (per year when the scheme has <c>{yyyy}</c>).
/// </summary>
public static partial class IdentificationScheme
{
    public const string Default = "{service}-{yyyy}.{seq}";
    public const int MaxLength = 60;

    private static readonly string[] Tokens = ["{service}", "{type}", "{yyyy}", "{mm}", "{seq}"];

    [GeneratedRegex("^[A-Za-z0-9._/-]*$")]
    private static partial Regex Literal();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Token();

    /// <summary>What is wrong with a scheme: <c>null</c> when it is usable, else <c>unknown-token</c>, <c>no-sequence</c> or <c>characters</c>.</summary>
    public static string? Problem(string scheme)
    {
        foreach (Match m in Token().Matches(scheme))
        {
            if (!Tokens.Contains(m.Value, StringComparer.Ordinal))
            {
                return "unknown-token";
            }
        }
        if (!scheme.Contains("{seq}", StringComparison.Ordinal))
        {
            return "no-sequence";
        }
        return Literal().IsMatch(Token().Replace(scheme, "")) ? null : "characters";
    }

    /// <summary>Which running number the identifier takes: one per policy, or one per policy and year.</summary>
    public static string SequenceName(Guid policyId, string scheme, DateTimeOffset at) =>
        scheme.Contains("{yyyy}", StringComparison.Ordinal)
            ? $"policy:{policyId:N}:{at.Year.ToString(CultureInfo.InvariantCulture)}"
            : $"policy:{policyId:N}";

    public static string Format(string scheme, string serviceCode, string type, DateTimeOffset at, long sequence)
    {
        var result = new StringBuilder(scheme)
            .Replace("{service}", serviceCode)
            .Replace("{type}", type)
            .Replace("{yyyy}", at.Year.ToString("D4", CultureInfo.InvariantCulture))
            .Replace("{mm}", at.Month.ToString("D2", CultureInfo.InvariantCulture))
            .Replace("{seq}", sequence.ToString(CultureInfo.InvariantCulture));
        return result.ToString();
    }
}

/// <summary>A release type a policy allows, such as <c>major</c>, with how often such releases go out.</summary>
public sealed record ReleaseType(string Key, string Frequency);

/// <summary>The shape rules of release type keys.</summary>
public static partial class ReleaseTypes
{
    /// <summary>The types a new policy starts with (manual §9.1.1).</summary>
    public static readonly IReadOnlyList<string> Standard = ["major", "minor", "emergency"];

    /// <summary>The type whose releases fix something broken now: it raises emergency changes when re-attempted.</summary>
    public const string Emergency = "emergency";

    [GeneratedRegex("^[a-z][a-z0-9-]{0,29}$")]
    private static partial Regex KeyShape();

    public static bool IsWellFormed(string key) => KeyShape().IsMatch(key);
}
