using Certus.Kernel.Errors;
using Certus.Kernel.Security;

namespace Certus.Problems.Features;

/// <summary>Names under which problems appear in the audit trail, and the fields it records of one.</summary>
public static class ProblemAudit
{
    public const string RecordType = "problem";

    /// <summary>The fields the audit trail records of a problem, read back from what was stored.</summary>
    internal static Dictionary<string, object?> FieldsOf(ProblemView p) => new(StringComparer.Ordinal)
    {
        ["state"] = p.State,
        ["title"] = p.Title,
        ["description"] = p.Description,
        ["symptoms"] = p.Symptoms,
        ["serviceCode"] = p.ServiceCode,
        ["cis"] = string.Join(", ", p.Cis.Select(c => c.Identifier).Order(StringComparer.Ordinal)),
        ["category"] = p.Category,
        ["priority"] = p.Priority,
        ["ownerId"] = p.OwnerId,
        ["assignmentGroupId"] = p.AssignmentGroupId,
        ["source"] = p.SourceRef is null ? p.SourceKind : $"{p.SourceKind}:{p.SourceRef}",
        ["rootCause"] = p.RootCause,
        ["workaround"] = p.Workaround,
        ["resolution"] = p.Resolution,
        ["closureNote"] = p.ClosureNote,
        ["cancelReason"] = p.CancelReason,
        ["knownErrorAt"] = p.KnownErrorAt,
        ["fixedByChange"] = p.FixedByChange,
        ["resolvedAt"] = p.ResolvedAt,
        ["closedAt"] = p.ClosedAt,
    };
}

/// <summary>
/// Thrown inside a write to roll it back with a failure the caller shows: the group commit would keep rows written
/// before a returned failure, so a failure found after writing must unwind instead.
/// </summary>
internal sealed class RollbackException(Failure failure) : Exception(failure.Message)
{
    public Failure Failure { get; } = failure;
}

/// <summary>
/// The actor of what problem management does by itself in reaction to another process (a problem resolved because its
/// change was implemented): the audit trail names "system", not the person who moved the change.
/// </summary>
internal sealed class SystemActor : ICurrentUser
{
    public static readonly SystemActor Instance = new();

    public bool IsAuthenticated => false;
    public Guid UserId => Guid.Empty;
    public string DisplayName => "system";
    public Guid OrganisationId => Guid.Empty;
    public bool IsProviderStaff => true;
    public IReadOnlySet<string> Roles { get; } = new HashSet<string>(StringComparer.Ordinal);
    public bool HasPermission(string permission) => true;
}
