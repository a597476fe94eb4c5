using System.Data.Common;
using Certus.Kernel.Errors;
using Certus.Kernel.Events;

namespace Certus.Changes.Contracts;

/// <summary>
/// What other modules may know of a change. <c>Number</c> is its reference (<c>CHG-000123</c>); <c>Type</c> is
/// <c>standard</c>, <c>normal</c> or <c>emergency</c>; <c>State</c> is one of <c>draft</c>, <c>submitted</c>,
/// <c>assessed</c>, <c>authorised</c>, <c>rejected</c>, <c>scheduled</c>, <c>implementing</c>, <c>implemented</c>,
/// <c>failed</c>, <c>backed-out</c>, <c>reviewed</c>, <c>closed</c>, <c>cancelled</c>. <c>Authorised</c> is true once the
/// change has been authorised and stays true through implementation, review and closure.
/// </summary>
public sealed record ChangeFacts(
    Guid Id, string Number, string Title, string Type, string State, bool Authorised, Guid OrganisationId,
    DateTimeOffset? PlannedStart, DateTimeOffset? PlannedEnd, IReadOnlyList<Guid> CiIds, IReadOnlyList<string> ServiceCodes);

/// <summary>
/// A request for change raised by another process: <c>Type</c> <c>standard</c>, <c>normal</c> or <c>emergency</c>;
/// CIs by id, identifier or unique name; <c>SourceKind</c> <c>incident</c>, <c>problem</c> or <c>release</c> and the
/// raising record's reference, such as <c>INC-000042</c> or <c>REL-000003</c>.
/// </summary>
public sealed record RaiseChange(
    string Type, string Title, string Reason, string? Description, IReadOnlyList<string> CiReferences, string? SourceKind, string? SourceReference);

/// <summary>Where a release carrying changes has got to (manual §9.1.4-§9.1.5); its changes follow.</summary>
public enum ReleaseStep
{
    /// <summary>Deployment started: the changes are being implemented (scheduled first in the release's window when their type needs it).</summary>
    Deploying,

    /// <summary>Deployed successfully: the changes are implemented, and the CMDB updates each declares are applied.</summary>
    Deployed,

    /// <summary>Deployment failed: the changes being implemented failed.</summary>
    Failed,

    /// <summary>Backed out by the release's plan: the changes are backed out.</summary>
    BackedOut,
}

/// <summary>
/// A release's step that its changes follow. <c>Reason</c> is kept on each change (required for failure and back-out);
/// <c>WindowStart</c> and <c>WindowEnd</c> are the release's planned window, used to schedule a change that has none.
/// </summary>
public sealed record ReleaseProgress(
    ReleaseStep Step, string ReleaseNumber, IReadOnlyList<Guid> ChangeIds, string Reason, DateTimeOffset? WindowStart, DateTimeOffset? WindowEnd);

/// <summary>
/// Change management's surface for other processes (ISO/IEC 20000-1:2018 8.5.1; manual §8.2). Reads are scoped to the
/// caller's organisation.
/// </summary>
public interface IChangeRecords
{
    /// <summary>The changes with these numbers the caller may see; unknown numbers are left out.</summary>
    Task<IReadOnlyList<ChangeFacts>> FindAsync(IReadOnlyCollection<string> numbers, CancellationToken ct);

    /// <summary>Authorised changes not yet implemented (authorised or scheduled), newest first, matching a search on number or title.</summary>
    Task<IReadOnlyList<ChangeFacts>> AuthorisedAsync(string? search, int limit, CancellationToken ct);

    /// <summary>Raises a draft request for change for the caller, linked to the record that raised it.</summary>
    Task<Outcome<ChangeFacts>> RaiseAsync(RaiseChange request, CancellationToken ct);

    /// <summary>
    /// Raises the draft inside the caller's transaction, for a process that records the change in the same write (a
    /// problem's fix, a release's re-attempt): when that write fails, no request is left behind. A failure returned here
    /// must roll the caller's write back.
    /// </summary>
    Task<Outcome<ChangeFacts>> RaiseAsync(RaiseChange request, DbConnection connection, DbTransaction transaction, CancellationToken ct);

    /// <summary>
    /// Moves the changes a release carries with the release, inside the release's own write, so that a change is
    /// implementing while its release deploys, implemented once it succeeded, failed or backed out with it. Each move is
    /// audited on the change and raises <see cref="ChangeStateChanged"/>; a change already at or past the step is left
    /// as it is. A change that cannot make the move refuses the whole step (the caller rolls its write back).
    /// </summary>
    Task<Outcome<IReadOnlyList<ChangeFacts>>> FollowReleaseAsync(ReleaseProgress progress, DbConnection connection, DbTransaction tx, CancellationToken ct);
}

/// <summary>Raised after a change moved from one state to another, inside the write that moved it.</summary>
public sealed record ChangeStateChanged(Guid ChangeId, string Number, string Type, string From, string To, string Trigger) : IDomainEvent;
