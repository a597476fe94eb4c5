using Certus.Kernel.Events;

namespace Certus.Problems.Contracts;

/// <summary>Raised after a problem moved from one state to another, inside the write that moved it.</summary>
/// <param name="ProblemId">The problem.</param>
/// <param name="Number">Its reference, such as <c>PRB-000012</c>.</param>
/// <param name="From">State key before the move; empty when the problem was just recorded.</param>
/// <param name="To">State key after the move, such as <c>known-error</c>.</param>
/// <param name="Trigger">The move, such as <c>resolve</c>, or <c>create</c>.</param>
public sealed record ProblemStateChanged(Guid ProblemId, string Number, string From, string To, string Trigger) : IDomainEvent;
