namespace Certus.Compliance.Domain;

/// <summary>Where a risk or opportunity stands in the register.</summary>
public enum RiskStatus { Identified, Treating, Monitored, Closed }

/// <summary>What moves it.</summary>
public enum RiskMove { Treat, Accept, Monitor, Close, Reopen }

/// <summary>
/// The one transition table of the risk register (ISO/IEC 20000-1:2018 6.1.3): identified → treating (a treatment is
/// chosen and planned) → monitored (the treatment is in place and the residual risk assessed); or identified → monitored
/// by accepting it as it is. Monitoring that finds it worse treats it again; a risk that no longer applies is closed,
/// and may be reopened. Closing and reopening need a reason.
/// </summary>
public static class RiskLifecycle
{
    private static readonly Dictionary<(RiskStatus From, RiskMove Move), RiskStatus> Table = new()
    {
        [(RiskStatus.Identified, RiskMove.Treat)] = RiskStatus.Treating,
        [(RiskStatus.Identified, RiskMove.Accept)] = RiskStatus.Monitored,
        [(RiskStatus.Treating, RiskMove.Monitor)] = RiskStatus.Monitored,
        [(RiskStatus.Treating, RiskMove.Accept)] = RiskStatus.Monitored,
        [(RiskStatus.Monitored, RiskMove.Treat)] = RiskStatus.Treating,
        [(RiskStatus.Identified, RiskMove.Close)] = RiskStatus.Closed,
        [(RiskStatus.Treating, RiskMove.Close)] = RiskStatus.Closed,
        [(RiskStatus.Monitored, RiskMove.Close)] = RiskStatus.Closed,
        [(RiskStatus.Closed, RiskMove.Reopen)] = RiskStatus.Identified,
    };

    /// <summary>The treatment options of a risk (avoid, reduce, transfer, accept) and of an opportunity (exploit, enhance, share, accept).</summary>
    public static readonly IReadOnlyList<string> RiskTreatments = ["avoid", "reduce", "transfer", "accept"];

    public static readonly IReadOnlyList<string> OpportunityTreatments = ["exploit", "enhance", "share", "accept"];

    public const string AcceptTreatment = "accept";

    public static readonly IReadOnlyList<string> Kinds = ["risk", "opportunity"];

    /// <summary>Where a risk comes from: the categories the register is sorted by.</summary>
    public static readonly IReadOnlyList<string> Categories =
        ["service", "supplier", "security", "capacity", "continuity", "technology", "organisation", "compliance", "financial", "customer"];

    public static IReadOnlyList<string> Treatments(string kind) => kind == "opportunity" ? OpportunityTreatments : RiskTreatments;

    public static RiskStatus? Next(RiskStatus from, RiskMove move) => Table.TryGetValue((from, move), out var to) ? to : null;

    public static IReadOnlyList<RiskMove> Allowed(RiskStatus from) => [.. Table.Keys.Where(k => k.From == from).Select(k => k.Move)];

    public static bool IsOpen(RiskStatus status) => status != RiskStatus.Closed;

    public static string Key(this RiskStatus status) => status switch
    {
        RiskStatus.Identified => "identified",
        RiskStatus.Treating => "treating",
        RiskStatus.Monitored => "monitored",
        RiskStatus.Closed => "closed",
    };

    public static string Key(this RiskMove move) => move switch
    {
        RiskMove.Treat => "treat",
        RiskMove.Accept => "accept",
        RiskMove.Monitor => "monitor",
        RiskMove.Close => "close",
        RiskMove.Reopen => "reopen",
    };

    public static RiskStatus ParseStatus(string key) => Enum.GetValues<RiskStatus>().First(s => string.Equals(s.Key(), key, StringComparison.Ordinal));

    public static RiskMove? ParseMove(string? key) =>
        Enum.GetValues<RiskMove>().Cast<RiskMove?>().FirstOrDefault(m => string.Equals(m!.Value.Key(), key?.Trim(), StringComparison.Ordinal));

    public static IReadOnlyList<string> StatusKeys { get; } = [.. Enum.GetValues<RiskStatus>().Select(s => s.Key())];
}
