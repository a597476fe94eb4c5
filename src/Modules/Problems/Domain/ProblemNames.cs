using System.Globalization;

namespace Certus.Problems.Domain;

/// <summary>Wire names (kebab case) of the problem enums and the fixed lists a problem picks from.</summary>
public static class ProblemNames
{
    /// <summary>Where a problem came from (ISO/IEC 20000-1:2018 8.6.3: from incidents, from trends; manual §9.1.6: from a failed release).</summary>
    public static readonly IReadOnlyList<string> SourceKinds = ["incident", "major-incident", "trend", "release", "proactive", "audit"];

    /// <summary>Sources that name the record they came from.</summary>
    public static readonly IReadOnlyList<string> SourcesWithReference = ["incident", "major-incident", "release"];

    public static readonly IReadOnlyList<string> Categories =
        ["network", "server", "storage", "facilities", "application", "security", "supplier", "process", "other"];

    public static string Key(this ProblemState state) => state switch
    {
        ProblemState.Logged => "logged",
        ProblemState.Investigating => "investigating",
        ProblemState.KnownError => "known-error",
        ProblemState.FixPending => "fix-pending",
        ProblemState.Resolved => "resolved",
        ProblemState.Closed => "closed",
        ProblemState.Cancelled => "cancelled",
    };

    public static string Key(this ProblemTrigger trigger) => trigger switch
    {
        ProblemTrigger.Investigate => "investigate",
        ProblemTrigger.KnownError => "known-error",
        ProblemTrigger.AwaitFix => "await-fix",
        ProblemTrigger.Resolve => "resolve",
        ProblemTrigger.Close => "close",
        ProblemTrigger.Reopen => "reopen",
        ProblemTrigger.Cancel => "cancel",
    };

    public static ProblemState? ParseState(string? key) => Parse<ProblemState>(key, Key);

    public static ProblemTrigger? ParseTrigger(string? key) => Parse<ProblemTrigger>(key, Key);

    public static IReadOnlyList<string> StateKeys { get; } = [.. Enum.GetValues<ProblemState>().Select(Key)];

    private static T? Parse<T>(string? key, Func<T, string> name) where T : struct, Enum =>
        key is null ? null : Enum.GetValues<T>().Cast<T?>().FirstOrDefault(v => string.Equals(name(v!.Value), key.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>What change management's states mean to a problem waiting for its fix.</summary>
public static class ChangeOutcome
{
    /// <summary>Change states on the way to implementation.</summary>
    public static readonly IReadOnlyList<string> PendingStates = ["draft", "submitted", "assessed", "authorised", "scheduled", "implementing"];

    /// <summary>The change is still on its way to implementation.</summary>
    public static bool IsPending(string state) => PendingStates.Contains(state, StringComparer.Ordinal);

    /// <summary>The change will not remove the cause.</summary>
    public static bool IsDead(string state) => state is "rejected" or "cancelled" or "failed" or "backed-out";
}

/// <summary>How long a problem may take from logging to resolution, by priority (the measure <c>problems.resolved-within-target</c>).</summary>
public static class ResolutionTargets
{
    private static readonly int[] Days = [14, 30, 60, 90, 180];

    /// <summary>Days allowed for priority 1 (highest) to 5.</summary>
    public static int DaysFor(int priority) => Days[Math.Clamp(priority, 1, 5) - 1];

    /// <summary>A resolved problem not closed within this many days is unverified (the check <c>problems.resolved-unverified</c>).</summary>
    public const int VerifyWithinDays = 30;
}

/// <summary>The human number of a problem, <c>PRB-000123</c>.</summary>
public readonly record struct ProblemNumber(long Value)
{
    public const string Prefix = "PRB-";

    public override string ToString() => Prefix + Value.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The problem's page.</summary>
    public string Path => "/problems/" + ToString();

    public static ProblemNumber? Parse(string? text)
    {
        var t = text?.Trim() ?? "";
        if (!t.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return long.TryParse(t[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? new ProblemNumber(n) : null;
    }
}
