namespace Certus.Incidents.Domain;

/// <summary>Where an incident is in its life (manual §7.2; ISO/IEC 20000-1:2018 8.6.1).</summary>
public enum IncidentStatus
{
    New,
    Assigned,
    InProgress,
    Pending,
    Resolved,
    Closed,
    Cancelled,
}

/// <summary>What moves an incident from one status to another.</summary>
public enum IncidentTrigger
{
    Assign,
    Start,
    Pend,
    Resolve,
    Confirm,
    RejectResolution,
    Reopen,
    Cancel,
    AutoClose,
}

/// <summary>Why an incident waits.</summary>
public enum PendingReason
{
    AwaitingCustomer,
    AwaitingSupplier,
    AwaitingChange,
}

/// <summary>How the incident reached the service desk.</summary>
public enum Channel
{
    Phone,
    Email,
    Web,
    Monitoring,
    WalkIn,
}

/// <summary>Impact or urgency.</summary>
public enum Level
{
    High,
    Medium,
    Low,
}

/// <summary>Wire names (kebab case) of the incident enums, shared by the API, pages and SQL.</summary>
public static class IncidentNames
{
    public static string Key(this IncidentStatus status) => status switch
    {
        IncidentStatus.New => "new",
        IncidentStatus.Assigned => "assigned",
        IncidentStatus.InProgress => "in-progress",
        IncidentStatus.Pending => "pending",
        IncidentStatus.Resolved => "resolved",
        IncidentStatus.Closed => "closed",
        IncidentStatus.Cancelled => "cancelled",
    };

    public static string Key(this IncidentTrigger trigger) => trigger switch
    {
        IncidentTrigger.Assign => "assign",
        IncidentTrigger.Start => "start",
        IncidentTrigger.Pend => "pend",
        IncidentTrigger.Resolve => "resolve",
        IncidentTrigger.Confirm => "confirm",
        IncidentTrigger.RejectResolution => "reject-resolution",
        IncidentTrigger.Reopen => "reopen",
        IncidentTrigger.Cancel => "cancel",
        IncidentTrigger.AutoClose => "auto-close",
    };

    public static string Key(this PendingReason reason) => reason switch
    {
        PendingReason.AwaitingCustomer => "awaiting-customer",
        PendingReason.AwaitingSupplier => "awaiting-supplier",
        PendingReason.AwaitingChange => "awaiting-change",
    };

    public static string Key(this Channel channel) => channel switch
    {
        Channel.Phone => "phone",
        Channel.Email => "email",
        Channel.Web => "web",
        Channel.Monitoring => "monitoring",
        Channel.WalkIn => "walk-in",
    };

    public static string Key(this Level level) => level switch
    {
        Level.High => "high",
        Level.Medium => "medium",
        Level.Low => "low",
    };

    public static IncidentStatus? ParseStatus(string? key) => Parse<IncidentStatus>(key, Key);

    public static PendingReason? ParsePendingReason(string? key) => Parse<PendingReason>(key, Key);

    public static Channel? ParseChannel(string? key) => Parse<Channel>(key, Key);

    public static Level? ParseLevel(string? key) => Parse<Level>(key, Key);

    public static IReadOnlyList<string> Keys<T>(Func<T, string> key) where T : struct, Enum => Enum.GetValues<T>().Select(key).ToList();

    private static T? Parse<T>(string? key, Func<T, string> name) where T : struct, Enum =>
        key is null ? null : Enum.GetValues<T>().Cast<T?>().FirstOrDefault(v => string.Equals(name(v!.Value), key.Trim(), StringComparison.OrdinalIgnoreCase));
}
