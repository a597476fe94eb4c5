using Certus.Kernel.Events;

namespace Certus.Releases.Contracts;

/// <summary>
/// A failed or backed-out release revealed a cause that is not yet understood (manual §9.1.6: a latent cause goes to
/// problem management; ISO/IEC 20000-1:2018 8.5.3, 8.6.3). Published inside the write that recorded the cause, so a
/// problem module subscribing to it opens its problem record in the same transaction.
/// </summary>
/// <param name="ReleaseId">The release.</param>
/// <param name="Number">Its reference, such as <c>REL-000003</c>.</param>
/// <param name="Identifier">Its identifier under the service's release policy, such as <c>COLO-2026.4</c>.</param>
/// <param name="ServiceCode">The service released.</param>
/// <param name="Title">The release's title.</param>
/// <param name="Cause">The latent cause as the release manager described it.</param>
/// <param name="ChangeNumbers">The changes the release carried.</param>
/// <param name="CiIds">The configuration items the release touched.</param>
/// <param name="FoundAt">When the cause was recorded.</param>
/// <param name="FoundBy">Who recorded it, or null for Certus itself.</param>
public sealed record LatentCauseFound(
    Guid ReleaseId, string Number, string Identifier, string ServiceCode, string Title, string Cause, IReadOnlyList<string> ChangeNumbers,
    IReadOnlyList<Guid> CiIds, DateTimeOffset FoundAt, Guid? FoundBy) : IDomainEvent;

/// <summary>Raised after a release moved from one state to another, inside the write that moved it.</summary>
/// <param name="ReleaseId">The release.</param>
/// <param name="Number">Its reference, such as <c>REL-000003</c>.</param>
/// <param name="From">State key before the move.</param>
/// <param name="To">State key after the move.</param>
/// <param name="Trigger">The move, such as <c>deploy</c>.</param>
/// <param name="ChangeNumbers">The changes the release carries.</param>
public sealed record ReleaseStateChanged(Guid ReleaseId, string Number, string From, string To, string Trigger, IReadOnlyList<string> ChangeNumbers) : IDomainEvent;
