namespace Certus.Compliance.Domain;

/// <summary>How serious a risk is, or how valuable an opportunity, from its score.</summary>
public enum RiskLevel { Low, Medium, High, Critical }

/// <summary>
/// The 5 × 5 matrix (ISO/IEC 20000-1:2018 6.1.2 asks for criteria to judge risks by): likelihood 1 rare, 2 unlikely,
/// 3 possible, 4 likely, 5 almost certain; impact 1 negligible, 2 minor, 3 moderate, 4 major, 5 severe. The score is
/// likelihood × impact: 1-4 low, 5-9 medium, 10-16 high, 20-25 critical. A high or critical risk may be accepted only
/// by top management, with a reason.
/// </summary>
public static class RiskMatrix
{
    public const int Min = 1;
    public const int Max = 5;

    public static bool IsRating(int? value) => value is >= Min and <= Max;

    public static int Score(int likelihood, int impact) => likelihood * impact;

    public static RiskLevel Level(int score) => score switch
    {
        >= 20 => RiskLevel.Critical,
        >= 10 => RiskLevel.High,
        >= 5 => RiskLevel.Medium,
        _ => RiskLevel.Low,
    };

    public static RiskLevel Level(int likelihood, int impact) => Level(Score(likelihood, impact));

    /// <summary>Accepting a risk this serious takes top management's approval and a reason (6.1.2 acceptance criteria).</summary>
    public static bool AcceptanceNeedsApproval(RiskLevel level) => level is RiskLevel.High or RiskLevel.Critical;

    /// <summary>Months to the next review when none is given: the more serious, the sooner.</summary>
    public static int ReviewMonths(RiskLevel level) => level switch
    {
        RiskLevel.Critical or RiskLevel.High => 3,
        RiskLevel.Medium => 6,
        RiskLevel.Low => 12,
    };

    public static string Key(this RiskLevel level) => level switch
    {
        RiskLevel.Low => "low",
        RiskLevel.Medium => "medium",
        RiskLevel.High => "high",
        RiskLevel.Critical => "critical",
    };

    public static RiskLevel? ParseLevel(string? key) =>
        Enum.GetValues<RiskLevel>().Cast<RiskLevel?>().FirstOrDefault(l => string.Equals(l!.Value.Key(), key, StringComparison.Ordinal));

    public static IReadOnlyList<string> LevelKeys { get; } = [.. Enum.GetValues<RiskLevel>().Select(l => l.Key())];
}
