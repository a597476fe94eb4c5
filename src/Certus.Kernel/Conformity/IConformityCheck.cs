namespace Certus.Kernel.Conformity;

/// <summary>A clause of one edition of ISO/IEC 20000-1: <c>Edition</c> is <c>2018</c> or <c>2005</c>, <c>Number</c> such as <c>8.5.1</c>.</summary>
public readonly record struct ClauseRef(string Edition, string Number)
{
    public static ClauseRef Of2018(string number) => new("2018", number);

    public static ClauseRef Of2005(string number) => new("2005", number);

    public override string ToString() => $"{Edition}:{Number}";
}

/// <summary>What an automatic check found.</summary>
public enum CheckVerdict
{
    /// <summary>The live data shows the requirement met.</summary>
    Conforming,

    /// <summary>The live data shows the requirement not met (the figures and records say where).</summary>
    Gap,

    /// <summary>There is nothing yet to judge by (no records of the kind the check reads).</summary>
    NoEvidence,
}

/// <summary>A figure behind a verdict, labelled in the caller's language (<c>Unit</c> such as <c>%</c>, or null for a count).</summary>
public sealed record CheckFigure(string Label, decimal Value, string? Unit = null);

/// <summary>A record behind a verdict: its reference as users know it and the path of its page.</summary>
public sealed record EvidenceRecord(string Reference, string Title, string Path);

/// <summary>The verdict of one check with its figures and up to a page of the records behind it.</summary>
public sealed record CheckResult(CheckVerdict Verdict, string Summary, IReadOnlyList<CheckFigure> Figures, IReadOnlyList<EvidenceRecord> Records);

/// <summary>
/// An automatic check over live data that gives evidence for (or against) clauses of ISO/IEC 20000-1, such as
/// "incidents closed without the customer's confirmation = 0". Modules register theirs in DI; the compliance module
/// runs them for the conformity view, its trend and the audit pack. A check reads provider-wide data and must not write.
/// </summary>
public interface IConformityCheck
{
    /// <summary>Stable key, <c>module.what</c>, such as <c>incidents.closed-without-confirmation</c>.</summary>
    string Key { get; }

    /// <summary>The clauses this check gives evidence for, in both editions.</summary>
    IReadOnlyList<ClauseRef> Clauses { get; }

    /// <summary>What the check verifies, in the caller's language.</summary>
    string Title { get; }

    Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct);
}
