namespace Certus.Audits.Domain;

/// <summary>Where an internal audit is (manual §3.4.1; the audit life cycle plan → conduct → report → follow up).</summary>
public enum AuditStatus
{
    Planned,
    InProgress,
    Reported,
    Closed,
    Cancelled,
}

/// <summary>What moves an audit on.</summary>
public enum AuditTrigger
{
    Start,
    Report,
    Close,
    Cancel,
}

/// <summary>The one transition table of an internal audit: (status, trigger) → status.</summary>
public static class AuditLifecycle
{
    private static readonly Dictionary<(AuditStatus From, AuditTrigger Trigger), AuditStatus> Table = new()
    {
        [(AuditStatus.Planned, AuditTrigger.Start)] = AuditStatus.InProgress,
        [(AuditStatus.Planned, AuditTrigger.Cancel)] = AuditStatus.Cancelled,
        [(AuditStatus.InProgress, AuditTrigger.Report)] = AuditStatus.Reported,
        // Closed only when every finding is closed (checked by the use case).
        [(AuditStatus.Reported, AuditTrigger.Close)] = AuditStatus.Closed,
    };

    public static AuditStatus? Next(AuditStatus from, AuditTrigger trigger) => Table.TryGetValue((from, trigger), out var to) ? to : null;

    public static IReadOnlyList<AuditTrigger> Allowed(AuditStatus from) => Table.Keys.Where(k => k.From == from).Select(k => k.Trigger).ToList();

    /// <summary>Conducted and reported: counts as an internal audit held.</summary>
    public static bool IsCompleted(AuditStatus status) => status switch
    {
        AuditStatus.Reported or AuditStatus.Closed => true,
        AuditStatus.Planned or AuditStatus.InProgress or AuditStatus.Cancelled => false,
    };
}

/// <summary>What an auditor found against one criterion.</summary>
public enum FindingKind
{
    Conformity,
    Observation,
    Minor,
    Major,
}

/// <summary>Wire names of the audit enums.</summary>
public static class AuditNames
{
    public static readonly IReadOnlyList<string> FindingKinds = ["conformity", "observation", "minor", "major"];
    public static readonly IReadOnlyList<string> ChecklistResults = ["conforming", "observation", "nonconforming", "not-applicable"];

    public static string Key(this AuditStatus status) => status switch
    {
        AuditStatus.Planned => "planned",
        AuditStatus.InProgress => "in-progress",
        AuditStatus.Reported => "reported",
        AuditStatus.Closed => "closed",
        AuditStatus.Cancelled => "cancelled",
    };

    public static string Key(this AuditTrigger trigger) => trigger switch
    {
        AuditTrigger.Start => "start",
        AuditTrigger.Report => "report",
        AuditTrigger.Close => "close",
        AuditTrigger.Cancel => "cancel",
    };

    public static AuditStatus ParseStatus(string key) => Enum.GetValues<AuditStatus>().First(s => s.Key() == key);

    public static AuditTrigger? ParseTrigger(string? key) => Enum.GetValues<AuditTrigger>().Where(t => t.Key() == key).Select(t => (AuditTrigger?)t).FirstOrDefault();

    /// <summary>Minor and major nonconformities open a nonconformity record and need an effectiveness check to close.</summary>
    public static bool IsNonconformity(string kind) => kind is "minor" or "major";
}
