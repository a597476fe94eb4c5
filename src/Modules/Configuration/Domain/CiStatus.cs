namespace Certus.Configuration.Domain;

/// <summary>Where a configuration item is in its life, from order to disposal (manual §8.1.4-§8.1.5).</summary>
public enum CiStatus
{
    Ordered,
    Received,
    UnderTest,
    InUse,
    Changed,
    Withdrawn,
    Disposed,
    Cancelled,
}

/// <summary>How much a CI's failure hurts.</summary>
public enum Criticality
{
    Critical,
    High,
    Medium,
    Low,
}

/// <summary>The type of a CI class attribute.</summary>
public enum AttributeType
{
    Text,
    Number,
    Date,
    Enum,
    Reference,
}

/// <summary>
/// Which end of a relationship a failure spreads to. <see cref="Source"/>: when the target fails the source is
/// affected (an application runs on a server). <see cref="Target"/>: when the source fails the target is affected
/// (a disk is part of an array). <see cref="None"/>: the relationship records a fact but carries no failure.
/// </summary>
public enum ImpactDirection
{
    Source,
    Target,
    Both,
    None,
}

/// <summary>The CI lifecycle as one explicit table, and the rule of which statuses are under change control.</summary>
public static class CiLifecycle
{
    private static readonly Dictionary<CiStatus, CiStatus[]> Moves = new()
    {
        [CiStatus.Ordered] = [CiStatus.Received, CiStatus.Cancelled],
        [CiStatus.Received] = [CiStatus.UnderTest, CiStatus.InUse, CiStatus.Withdrawn, CiStatus.Cancelled],
        [CiStatus.UnderTest] = [CiStatus.InUse, CiStatus.Received, CiStatus.Withdrawn],
        [CiStatus.InUse] = [CiStatus.Changed, CiStatus.Withdrawn],
        [CiStatus.Changed] = [CiStatus.InUse, CiStatus.UnderTest, CiStatus.Withdrawn],
        [CiStatus.Withdrawn] = [CiStatus.InUse, CiStatus.Disposed],
        [CiStatus.Disposed] = [],
        [CiStatus.Cancelled] = [],
    };

    /// <summary>The statuses a CI may be registered in: bought, delivered, on the test bench, or already running.</summary>
    public static readonly IReadOnlyList<CiStatus> Initial = [CiStatus.Ordered, CiStatus.Received, CiStatus.UnderTest, CiStatus.InUse];

    public static IReadOnlyList<CiStatus> AllowedFrom(CiStatus status) => Moves[status];

    public static bool CanMove(CiStatus from, CiStatus to) => Moves[from].Contains(to);

    /// <summary>
    /// A CI in use (or being changed) is part of the live service: it is added, modified, replaced or removed only
    /// under an authorised change (manual §8.1.4; ISO/IEC 20000-1:2018 8.5.1.1).
    /// </summary>
    public static bool IsControlled(CiStatus status) => status is CiStatus.InUse or CiStatus.Changed;

    /// <summary>Disposed and cancelled CIs are history: they take no new relationships and no edits.</summary>
    public static bool IsFinal(CiStatus status) => status is CiStatus.Disposed or CiStatus.Cancelled;
}

/// <summary>Wire names (kebab case) shared by the API, pages, SQL and resource keys.</summary>
public static class ConfigurationNames
{
    public static string Key(this CiStatus status) => status switch
    {
        CiStatus.Ordered => "ordered",
        CiStatus.Received => "received",
        CiStatus.UnderTest => "under-test",
        CiStatus.InUse => "in-use",
        CiStatus.Changed => "changed",
        CiStatus.Withdrawn => "withdrawn",
        CiStatus.Disposed => "disposed",
        CiStatus.Cancelled => "cancelled",
    };

    public static string Key(this Criticality value) => value switch
    {
        Criticality.Critical => "critical",
        Criticality.High => "high",
        Criticality.Medium => "medium",
        Criticality.Low => "low",
    };

    public static string Key(this AttributeType value) => value switch
    {
        AttributeType.Text => "text",
        AttributeType.Number => "number",
        AttributeType.Date => "date",
        AttributeType.Enum => "enum",
        AttributeType.Reference => "reference",
    };

    public static string Key(this ImpactDirection value) => value switch
    {
        ImpactDirection.Source => "source",
        ImpactDirection.Target => "target",
        ImpactDirection.Both => "both",
        ImpactDirection.None => "none",
    };

    public static CiStatus? ParseStatus(string? key) => Parse<CiStatus>(key, Key);

    public static Criticality? ParseCriticality(string? key) => Parse<Criticality>(key, Key);

    public static AttributeType? ParseAttributeType(string? key) => Parse<AttributeType>(key, Key);

    public static ImpactDirection? ParseImpact(string? key) => Parse<ImpactDirection>(key, Key);

    private static T? Parse<T>(string? key, Func<T, string> name) where T : struct, Enum =>
        string.IsNullOrWhiteSpace(key) ? null : Enum.GetValues<T>().Where(v => string.Equals(name(v), key.Trim(), StringComparison.OrdinalIgnoreCase)).Select(v => (T?)v).FirstOrDefault();
}
