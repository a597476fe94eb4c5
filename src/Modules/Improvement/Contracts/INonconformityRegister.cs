using System.Data.Common;

namespace Certus.Improvement.Contracts;

/// <summary>
/// A nonconformity another module found (an audit finding, a review decision): what it is and where it came from.
/// <c>Source</c> is <c>audit</c>, <c>review</c>, <c>sla-breach</c>, <c>incident</c>, <c>complaint</c> or <c>manual</c>;
/// <c>Severity</c> is <c>minor</c> or <c>major</c>; <c>Clause</c> such as <c>2018:8.5.1</c>.
/// </summary>
public sealed record RaiseNonconformity(
    string Source, string SourceRef, string? SourceId, string Title, string? Description, string Severity, string? Clause);

/// <summary>A nonconformity as other modules may know it: its number, state and whether its corrective action was found effective.</summary>
/// <param name="Id">The nonconformity's id.</param>
/// <param name="Number">Such as <c>NC-000012</c>.</param>
/// <param name="Title">What is wrong.</param>
/// <param name="Status"><c>open</c>, <c>analysed</c>, <c>action</c>, <c>verification</c>, <c>verified</c>, <c>closed</c> or <c>rejected</c>.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="DueDate">When the corrective action is due (yyyy-MM-dd), once planned.</param>
/// <param name="EffectivenessResult"><c>effective</c>, <c>not-effective</c>, or null before any check.</param>
public sealed record NonconformitySummary(Guid Id, string Number, string Title, string Status, string Source, string? DueDate, string? EffectivenessResult)
{
    /// <summary>The page of the record.</summary>
    public string Path => $"/nonconformities/{Id}";
}

/// <summary>The register's figures over a period, for the management review (ISO/IEC 20000-1:2018 9.3 c).</summary>
public sealed record NonconformityFigures(
    int Raised, int Closed, int Open, int OpenPastDue, int CorrectiveActionsEffective, int CorrectiveActionsIneffective,
    IReadOnlyDictionary<string, int> RaisedBySource, IReadOnlyList<NonconformitySummary> OpenRecords);

/// <summary>An improvement in the register, for the management review.</summary>
public sealed record ImprovementSummary(Guid Id, string Number, string Title, string Status, string? Priority)
{
    /// <summary>The page of the record.</summary>
    public string Path => $"/improvements/{Id}";
}

/// <summary>Improvement proposals over a period, for the management review (ISO/IEC 20000-1:2018 9.3, 10.2).</summary>
public sealed record ImprovementFigures(int Proposed, int Done, int Open, IReadOnlyList<ImprovementSummary> OpenRecords);

/// <summary>
/// The one register of nonconformities, corrective and preventive actions and improvements (ISO/IEC 20000-1:2018
/// 10.1, 10.2; manual §3.4.5). Other modules raise nonconformities through it, never into its tables.
/// </summary>
public interface INonconformityRegister
{
    /// <summary>Raises a nonconformity inside the caller's transaction, so it exists exactly when the finding that raised it does.</summary>
    Task<NonconformitySummary> RaiseAsync(RaiseNonconformity request, DbConnection connection, DbTransaction transaction, CancellationToken ct);

    /// <summary>The nonconformities with these ids; unknown ids are left out.</summary>
    Task<IReadOnlyDictionary<Guid, NonconformitySummary>> FindAsync(IEnumerable<Guid> ids, CancellationToken ct);

    /// <summary>Raised and closed in [from, to); open and past due at <paramref name="now"/>.</summary>
    Task<NonconformityFigures> NonconformitiesAsync(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, CancellationToken ct);

    /// <summary>Proposed and done in [from, to); open now.</summary>
    Task<ImprovementFigures> ImprovementsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct);
}
