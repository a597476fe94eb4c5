namespace Certus.ServiceLevels.Domain;

/// <summary>Where a service stands in the portfolio (ISO 20000-1:2018 8.2.2).</summary>
public enum ServiceLifecycle { Proposed, InDesign, Live, Retiring, Retired }

/// <summary>SLA with a customer, OLA with an internal group, underpinning contract with a supplier.</summary>
public enum AgreementKind { Sla, Ola, Uc }

/// <summary>Draft versions are edited; approved ones take effect on their date and are never edited again.</summary>
public enum VersionStatus { Draft, Approved }

public enum SlaMetric { Response, Resolution }

/// <summary>Running and paused clocks count towards a target; stopped ones are final; cancelled ones are out of the figures.</summary>
public enum ClockState { Running, Paused, Stopped, Cancelled }

/// <summary>What a reopened incident does to its resolution clock.</summary>
public enum ReopenPolicy { Resume, Restart }

/// <summary>Process areas of a service project (manual §2.1.4.1).</summary>
public static class ServiceProcesses
{
    /// <summary>Always part of every service project.</summary>
    public static readonly IReadOnlyList<string> Mandatory =
        ["service-desk", "incident", "business-relationship", "information-security", "supplier", "financial"];

    /// <summary>Chosen per contract.</summary>
    public static readonly IReadOnlyList<string> Optional =
        ["problem", "release", "configuration", "change", "availability-continuity", "capacity", "service-level", "service-reporting"];
}

/// <summary>The kebab-case names the API, the database and the resource keys use.</summary>
public static class ServiceLevelNames
{
    public static string Key(this ServiceLifecycle value) => value switch
    {
        ServiceLifecycle.Proposed => "proposed",
        ServiceLifecycle.InDesign => "in-design",
        ServiceLifecycle.Live => "live",
        ServiceLifecycle.Retiring => "retiring",
        ServiceLifecycle.Retired => "retired",
    };

    public static string Key(this AgreementKind value) => value switch
    {
        AgreementKind.Sla => "sla",
        AgreementKind.Ola => "ola",
        AgreementKind.Uc => "uc",
    };

    public static string Key(this VersionStatus value) => value switch
    {
        VersionStatus.Draft => "draft",
        VersionStatus.Approved => "approved",
    };

    public static string Key(this SlaMetric value) => value switch
    {
        SlaMetric.Response => "response",
        SlaMetric.Resolution => "resolution",
    };

    public static string Key(this ClockState value) => value switch
    {
        ClockState.Running => "running",
        ClockState.Paused => "paused",
        ClockState.Stopped => "stopped",
        ClockState.Cancelled => "cancelled",
    };

    public static string Key(this ReopenPolicy value) => value switch
    {
        ReopenPolicy.Resume => "resume",
        ReopenPolicy.Restart => "restart",
    };

    public static ServiceLifecycle? ParseLifecycle(string? key) => Parse<ServiceLifecycle>(key, Key);

    public static AgreementKind? ParseKind(string? key) => Parse<AgreementKind>(key, Key);

    public static SlaMetric? ParseMetric(string? key) => Parse<SlaMetric>(key, Key);

    public static ClockState? ParseState(string? key) => Parse<ClockState>(key, Key);

    public static ReopenPolicy? ParseReopen(string? key) => Parse<ReopenPolicy>(key, Key);

    private static T? Parse<T>(string? key, Func<T, string> name) where T : struct, Enum =>
        Enum.GetValues<T>().Cast<T?>().FirstOrDefault(v => string.Equals(name(v!.Value), key?.Trim(), StringComparison.OrdinalIgnoreCase));
}
