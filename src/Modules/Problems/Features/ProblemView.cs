using Certus.Kernel.Http;
using Certus.Problems.Domain;

namespace Certus.Problems.Features;

/// <summary>A configuration item a problem affects, as it was named when recorded.</summary>
public sealed record ProblemCi(Guid Id, string Identifier, string Name);

/// <summary>An incident the problem explains: the link, and the incident as incident management shows it now (null when not visible).</summary>
public sealed record LinkedIncident(Guid Id, string Number, string? Title, string? Status, int? Priority, bool IsMajor, string Path, DateTimeOffset LinkedAt, string LinkedBy);

/// <summary>A change raised from the problem or linked to it, with its state now (as change management last reported it).</summary>
public sealed record LinkedChange(Guid Id, string Number, string? Title, string? Type, string State, string How, DateTimeOffset LinkedAt, string LinkedBy);

/// <summary>A problem and the numbers of the changes, among those asked about, that fix it.</summary>
public sealed record ProblemFix(ProblemView Problem, IReadOnlyList<string> ChangeNumbers);

/// <summary>A problem as the API and the pages show it.</summary>
public sealed class ProblemView : IVersioned
{
    public Guid Id { get; init; }
    public long NumberValue { get; init; }
    public string Number => new ProblemNumber(NumberValue).ToString();
    public Guid OrganisationId { get; init; }
    public string State { get; init; } = "";
    public string Title { get; init; } = "";
    public string Description { get; init; } = "";
    public string Symptoms { get; init; } = "";
    public string? ServiceCode { get; init; }
    public string? ServiceName { get; set; }
    public string Category { get; init; } = "";
    public int Priority { get; init; }
    public Guid? OwnerId { get; init; }
    public string? OwnerName { get; set; }
    public Guid? AssignmentGroupId { get; init; }
    public string? AssignmentGroupName { get; set; }
    public string SourceKind { get; init; } = "";
    public string? SourceRef { get; init; }
    public string RootCause { get; init; } = "";
    public string Workaround { get; init; } = "";
    public string Resolution { get; init; } = "";
    public string ClosureNote { get; init; } = "";
    public string? CancelReason { get; init; }

    /// <summary>When the problem became a known error; it stays in the known-error database from then on.</summary>
    public DateTimeOffset? KnownErrorAt { get; init; }

    /// <summary>The change whose implementation removed the cause (<c>CHG-000123</c>), once fixed.</summary>
    public string? FixedByChange { get; init; }
    public DateTimeOffset? FixedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>How often the problem was reopened after its resolution (recurrence).</summary>
    public int Reopened { get; init; }
    public IReadOnlyList<ProblemCi> Cis { get; set; } = [];
    public IReadOnlyList<LinkedIncident> Incidents { get; set; } = [];
    public IReadOnlyList<LinkedChange> Changes { get; set; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public Guid? CreatedBy { get; init; }
    public string CreatedByName { get; init; } = "";
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }

    /// <summary>True while the problem is in the known-error database and its cause is not yet removed.</summary>
    public bool IsKnownError => KnownErrorAt is not null && ProblemLifecycle.IsOpen(ParsedState);

    /// <summary>The transitions possible now, by their API names.</summary>
    public IReadOnlyList<string> AllowedActions => [.. ProblemLifecycle.Allowed(ParsedState).Select(t => t.Key())];

    internal ProblemState ParsedState => ProblemNames.ParseState(State)!.Value;
}

/// <summary>A problem in a list: enough to find it and see where it stands.</summary>
public sealed class ProblemRow
{
    public Guid Id { get; init; }
    public long NumberValue { get; init; }
    public string Number => new ProblemNumber(NumberValue).ToString();
    public string State { get; init; } = "";
    public string Title { get; init; } = "";
    public string? ServiceCode { get; init; }
    public string Category { get; init; } = "";
    public int Priority { get; init; }
    public Guid? OwnerId { get; init; }
    public string? OwnerName { get; set; }
    public string SourceKind { get; init; } = "";
    public string? SourceRef { get; init; }
    public DateTimeOffset? KnownErrorAt { get; init; }
    public int IncidentCount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A known error as the service desk reads it (manual §7.2.2): how it shows, why, and what to do meanwhile.</summary>
public sealed class KnownErrorView
{
    public Guid Id { get; init; }
    public long NumberValue { get; init; }
    public string Number => new ProblemNumber(NumberValue).ToString();
    public string State { get; init; } = "";
    public string Title { get; init; } = "";
    public string Symptoms { get; init; } = "";
    public string RootCause { get; init; } = "";
    public string Workaround { get; init; } = "";
    public string? ServiceCode { get; init; }
    public int Priority { get; init; }
    public DateTimeOffset? KnownErrorAt { get; init; }
    public string? FixedByChange { get; init; }
    public DateTimeOffset? FixedAt { get; init; }
    public IReadOnlyList<ProblemCi> Cis { get; set; } = [];

    /// <summary><c>active</c> while the cause is still there, <c>fixed</c> once the problem is resolved or closed.</summary>
    public string Status => State is "resolved" or "closed" ? "fixed" : "active";
}
