using Certus.Kernel.Conformity;

namespace Certus.Audits.Contracts;

/// <summary>
/// One input section of a management review, compiled from live data over the review's period: a summary, figures and
/// the records behind them, in the caller's language.
/// </summary>
public sealed record ReviewInputSection(string Summary, IReadOnlyList<CheckFigure> Figures, IReadOnlyList<EvidenceRecord> Records);

/// <summary>
/// A source of management review input (ISO/IEC 20000-1:2018 9.3; manual §3.4.3). Modules register theirs in DI; the
/// review compiles every registered input while it is planned and freezes them into the review when it is held.
/// Keys listed in <see cref="ReviewInputKeys.Expected"/> that no module provides show as "no input yet".
/// </summary>
public interface IManagementReviewInput
{
    /// <summary>One of <see cref="ReviewInputKeys"/> or a module's own, such as <c>objectives</c>.</summary>
    string Key { get; }

    /// <summary>Position in the review's agenda.</summary>
    int Order { get; }

    /// <summary>The section's heading in the caller's language.</summary>
    string Title { get; }

    /// <summary>Compiles the section over [from, to).</summary>
    Task<ReviewInputSection> CompileAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct);
}

/// <summary>The input sections a management review is expected to cover (ISO/IEC 20000-1:2018 9.3 a-h).</summary>
public static class ReviewInputKeys
{
    public const string PreviousActions = "previous-actions";
    public const string Objectives = "objectives";
    public const string ServiceLevels = "service-levels";
    public const string CustomerSatisfaction = "customer-satisfaction";
    public const string AuditResults = "audit-results";
    public const string Nonconformities = "nonconformities";
    public const string Changes = "changes";
    public const string MajorIncidents = "major-incidents";
    public const string Risks = "risks";
    public const string Improvements = "improvements";

    /// <summary>Every expected section, in agenda order.</summary>
    public static readonly IReadOnlyList<string> Expected =
    [
        PreviousActions, Objectives, ServiceLevels, CustomerSatisfaction, AuditResults, Nonconformities, Changes, MajorIncidents, Risks, Improvements,
    ];
}
