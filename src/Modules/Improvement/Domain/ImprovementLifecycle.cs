namespace Certus.Improvement.Domain;

/// <summary>Where an improvement proposal is (ISO/IEC 20000-1:2018 10.2: evaluated, prioritised, approved, done).</summary>
public enum ImpStatus
{
    Proposed,
    Evaluated,
    Approved,
    InProgress,
    Done,
    Rejected,
}

/// <summary>What moves an improvement on.</summary>
public enum ImpTrigger
{
    Evaluate,
    Approve,
    Start,
    Complete,
    Reject,
}

/// <summary>The one transition table of an improvement: (status, trigger) → status.</summary>
public static class ImprovementLifecycle
{
    private static readonly Dictionary<(ImpStatus From, ImpTrigger Trigger), ImpStatus> Table = new()
    {
        [(ImpStatus.Proposed, ImpTrigger.Evaluate)] = ImpStatus.Evaluated,
        [(ImpStatus.Proposed, ImpTrigger.Reject)] = ImpStatus.Rejected,
        [(ImpStatus.Evaluated, ImpTrigger.Evaluate)] = ImpStatus.Evaluated,
        [(ImpStatus.Evaluated, ImpTrigger.Approve)] = ImpStatus.Approved,
        [(ImpStatus.Evaluated, ImpTrigger.Reject)] = ImpStatus.Rejected,
        [(ImpStatus.Approved, ImpTrigger.Start)] = ImpStatus.InProgress,
        [(ImpStatus.InProgress, ImpTrigger.Complete)] = ImpStatus.Done,
    };

    public static ImpStatus? Next(ImpStatus from, ImpTrigger trigger) => Table.TryGetValue((from, trigger), out var to) ? to : null;

    public static IReadOnlyList<ImpTrigger> Allowed(ImpStatus from) => Table.Keys.Where(k => k.From == from).Select(k => k.Trigger).ToList();

    public static bool IsOpen(ImpStatus status) => status switch
    {
        ImpStatus.Proposed or ImpStatus.Evaluated or ImpStatus.Approved or ImpStatus.InProgress => true,
        ImpStatus.Done or ImpStatus.Rejected => false,
    };
}

/// <summary>Wire names of the improvement enums.</summary>
public static class ImpNames
{
    public static readonly IReadOnlyList<string> Priorities = ["high", "medium", "low"];
    public static readonly IReadOnlyList<string> Sources = ["manual", "review", "audit", "nonconformity", "customer"];

    public static string Key(this ImpStatus status) => status switch
    {
        ImpStatus.Proposed => "proposed",
        ImpStatus.Evaluated => "evaluated",
        ImpStatus.Approved => "approved",
        ImpStatus.InProgress => "in-progress",
        ImpStatus.Done => "done",
        ImpStatus.Rejected => "rejected",
    };

    public static string Key(this ImpTrigger trigger) => trigger switch
    {
        ImpTrigger.Evaluate => "evaluate",
        ImpTrigger.Approve => "approve",
        ImpTrigger.Start => "start",
        ImpTrigger.Complete => "complete",
        ImpTrigger.Reject => "reject",
    };

    public static ImpStatus ParseStatus(string key) =>
        Enum.GetValues<ImpStatus>().First(s => s.Key() == key);

    public static ImpTrigger? ParseTrigger(string? key) =>
        Enum.GetValues<ImpTrigger>().Where(t => t.Key() == key).Select(t => (ImpTrigger?)t).FirstOrDefault();
}
