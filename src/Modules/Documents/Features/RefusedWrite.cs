using Certus.Kernel.Errors;

namespace Certus.Documents.Features;

/// <summary>
/// A refusal found after the first write of a unit of work: thrown so the whole transaction rolls back (a failure
/// returned from inside <c>Database.WriteAsync</c> would still commit what was written before it).
/// </summary>
internal sealed class RefusedWrite(Failure failure) : Exception(failure.Message)
{
    public Failure Failure { get; } = failure;
}
