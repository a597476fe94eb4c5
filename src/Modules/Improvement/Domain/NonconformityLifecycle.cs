namespace Certus.Improvement.Domain;

/// <summary>Where a nonconformity (or a potential one, for preventive action) is in its handling (manual §3.4.5).</summary>
public enum NcStatus
{
    Open,
    Analysed,
    Action,
    Verification,
    Verified,
    Closed,
    Rejected,
}

/// <summary>What moves a nonconformity on.</summary>
public enum NcTrigger
{
    /// <summary>Record the correction made and the root cause found.</summary>
    Analyse,

    /// <summary>Plan the corrective (or preventive) action: what, who, by when.</summary>
    Plan,

    /// <summary>Report the action done.</summary>
    Implement,

    /// <summary>The effectiveness check found the action effective.</summary>
    ConfirmEffective,

    /// <summary>The effectiveness check found the action not effective: plan again.</summary>
    FindIneffective,

    /// <summary>Close; only after the action was found effective (ISO/IEC 20000-1:2018 10.1 e).</summary>
    Close,

    /// <summary>Not a nonconformity after all; the reason is kept.</summary>
    Reject,
}

/// <summary>The one transition table of a nonconformity: (status, trigger) → status.</summary>
public static class NonconformityLifecycle
{
    private static readonly Dictionary<(NcStatus From, NcTrigger Trigger), NcStatus> Table = new()
    {
        [(NcStatus.Open, NcTrigger.Analyse)] = NcStatus.Analysed,
        [(NcStatus.Open, NcTrigger.Reject)] = NcStatus.Rejected,
        [(NcStatus.Analysed, NcTrigger.Analyse)] = NcStatus.Analysed,
        [(NcStatus.Analysed, NcTrigger.Plan)] = NcStatus.Action,
        [(NcStatus.Analysed, NcTrigger.Reject)] = NcStatus.Rejected,
        [(NcStatus.Action, NcTrigger.Plan)] = NcStatus.Action,
        [(NcStatus.Action, NcTrigger.Implement)] = NcStatus.Verification,
        [(NcStatus.Verification, NcTrigger.ConfirmEffective)] = NcStatus.Verified,
        [(NcStatus.Verification, NcTrigger.FindIneffective)] = NcStatus.Action,
        [(NcStatus.Verified, NcTrigger.Close)] = NcStatus.Closed,
    };

    public static NcStatus? Next(NcStatus from, NcTrigger trigger) => Table.TryGetValue((from, trigger), out var to) ? to : null;

    /// <summary>The moves possible from <paramref name="from"/> as the API names them (both effectiveness outcomes are one move).</summary>
    public static IReadOnlyList<string> Allowed(NcStatus from) =>
        Table.Keys.Where(k => k.From == from).Select(k => NcNames.Move(k.Trigger)).Distinct(StringComparer.Ordinal).ToList();

    public static bool IsOpen(NcStatus status) => status switch
    {
        NcStatus.Open or NcStatus.Analysed or NcStatus.Action or NcStatus.Verification or NcStatus.Verified => true,
        NcStatus.Closed or NcStatus.Rejected => false,
    };
}

/// <summary>Wire names (kebab case) of the nonconformity enums.</summary>
public static class NcNames
{
    public static readonly IReadOnlyList<string> Kinds = ["nonconformity", "potential"];
    public static readonly IReadOnlyList<string> Severities = ["minor", "major"];
    public static readonly IReadOnlyList<string> Sources = ["manual", "complaint", "incident", "sla-breach", "audit", "review"];

    /// <summary>Sources a person may choose; audits and SLA breaches raise theirs themselves.</summary>
    public static readonly IReadOnlyList<string> ManualSources = ["manual", "complaint", "incident", "review"];

    public static readonly IReadOnlyList<string> Moves = ["analyse", "plan", "implement", "check-effectiveness", "close", "reject"];

    public static string Key(this NcStatus status) => status switch
    {
        NcStatus.Open => "open",
        NcStatus.Analysed => "analysed",
        NcStatus.Action => "action",
        NcStatus.Verification => "verification",
        NcStatus.Verified => "verified",
        NcStatus.Closed => "closed",
        NcStatus.Rejected => "rejected",
    };

    public static NcStatus ParseStatus(string key) => key switch
    {
        "open" => NcStatus.Open,
        "analysed" => NcStatus.Analysed,
        "action" => NcStatus.Action,
        "verification" => NcStatus.Verification,
        "verified" => NcStatus.Verified,
        "closed" => NcStatus.Closed,
        "rejected" => NcStatus.Rejected,
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown nonconformity status."),
    };

    /// <summary>The move a trigger belongs to, as the API and the audit trail name it.</summary>
    public static string Move(NcTrigger trigger) => trigger switch
    {
        NcTrigger.Analyse => "analyse",
        NcTrigger.Plan => "plan",
        NcTrigger.Implement => "implement",
        NcTrigger.ConfirmEffective or NcTrigger.FindIneffective => "check-effectiveness",
        NcTrigger.Close => "close",
        NcTrigger.Reject => "reject",
    };
}
