namespace Certus.Changes.Domain;

/// <summary>The risk levels a questionnaire's score falls into, lowest first.</summary>
public enum RiskLevel
{
    Low,
    Medium,
    High,
    VeryHigh,
}

/// <summary>
/// Turns the questionnaire's summed answer scores into a risk level: a score up to <see cref="MediumFrom"/> − 1 is low,
/// then medium, high from <see cref="HighFrom"/>, very high from <see cref="VeryHighFrom"/>.
/// </summary>
public sealed record RiskScale(int MediumFrom, int HighFrom, int VeryHighFrom)
{
    public static readonly RiskScale Default = new(4, 8, 12);

    public bool IsValid => MediumFrom > 0 && HighFrom > MediumFrom && VeryHighFrom > HighFrom;

    public RiskLevel LevelOf(int score) =>
        score >= VeryHighFrom ? RiskLevel.VeryHigh : score >= HighFrom ? RiskLevel.High : score >= MediumFrom ? RiskLevel.Medium : RiskLevel.Low;

    public static string Key(RiskLevel level) => level switch
    {
        RiskLevel.Low => "low",
        RiskLevel.Medium => "medium",
        RiskLevel.High => "high",
        RiskLevel.VeryHigh => "very-high",
    };

    public static RiskLevel? Parse(string? key) => key?.Trim().ToLowerInvariant() switch
    {
        "low" => RiskLevel.Low,
        "medium" => RiskLevel.Medium,
        "high" => RiskLevel.High,
        "very-high" => RiskLevel.VeryHigh,
        _ => null,
    };
}
