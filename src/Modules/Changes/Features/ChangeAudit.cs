using Certus.Kernel.Errors;

namespace Certus.Changes.Features;

/// <summary>Names under which changes appear in the audit trail.</summary>
public static class ChangeAudit
{
    public const string RecordType = "change";
}

/// <summary>
/// Thrown inside a write to roll it back with a failure the caller shows: the group commit would keep rows written
/// before a returned failure, so a failure found after writing (the CMDB refusing an update) must unwind instead.
/// </summary>
internal sealed class RollbackException(Failure failure) : Exception(failure.Message)
{
    public Failure Failure { get; } = failure;
}
