using System.Data.Common;

namespace Certus.Configuration.Contracts;

/// <summary>What is being done to configuration items under change control.</summary>
/// <param name="ChangeRef">The change the user names, such as <c>CHG-000123</c>; null when none was given.</param>
/// <param name="CiIds">The controlled CIs the action touches.</param>
/// <param name="Action"><c>register</c>, <c>update</c>, <c>status</c>, <c>relate</c> or <c>unrelate</c>.</param>
public sealed record ChangeControlRequest(string? ChangeRef, IReadOnlyList<Guid> CiIds, string Action);

/// <summary>The answer: allowed, or refused with a message in the caller's language.</summary>
public sealed record ChangeControlDecision(bool Allowed, string? Refusal = null)
{
    public static readonly ChangeControlDecision Allow = new(true);

    public static ChangeControlDecision Refuse(string message) => new(false, message);
}

/// <summary>
/// Decides whether a change reference authorises modifying, replacing or removing CIs that are in use (manual §8.1.4;
/// ISO/IEC 20000-1:2018 8.5.1). Configuration management asks it inside its write transaction; change management
/// implements it (replacing the default, which requires a reference and records it unverified).
/// </summary>
public interface IChangeControl
{
    Task<ChangeControlDecision> AuthoriseAsync(ChangeControlRequest request, DbConnection connection, DbTransaction transaction, CancellationToken ct);
}
