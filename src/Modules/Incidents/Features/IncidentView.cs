using Certus.Incidents.Contracts;
using Certus.Incidents.Domain;

namespace Certus.Incidents.Features;

/// <summary>An incident as the API and pages show it.</summary>
public sealed class IncidentView : Certus.Kernel.Http.IVersioned
{
    public Guid Id { get; init; }
    public long NumberValue { get; init; }
    public string Number => new IncidentNumber(NumberValue).ToString();
    public Guid OrganisationId { get; init; }
    public string? OrganisationName { get; set; }
    public Guid? CallerId { get; init; }
    public string CallerName { get; init; } = "";
    public string? CallerContact { get; init; }
    public string Channel { get; init; } = "";
    public string Title { get; init; } = "";
    public string Description { get; init; } = "";
    public Guid? CategoryId { get; init; }
    public string? ServiceRef { get; init; }
    public string? CiRef { get; init; }
    public string Impact { get; init; } = "";
    public string Urgency { get; init; } = "";
    public int Priority { get; init; }
    public string Status { get; init; } = "";
    public string? PendingReason { get; init; }
    public Guid? AssignmentGroupId { get; init; }
    public string? AssignmentGroupName { get; set; }
    public Guid? AssigneeId { get; init; }
    public string? AssigneeName { get; set; }
    public bool IsMajor { get; init; }
    public Guid? ParentId { get; init; }
    public string? ResolutionCode { get; init; }
    public string? ResolutionNotes { get; init; }
    public string? CancelReason { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? FirstResponseAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The caller's rating when they confirmed the resolution: 1 (very dissatisfied) to 5 (very satisfied).</summary>
    public int? Satisfaction { get; init; }
    public string? SatisfactionComment { get; init; }
    public DateTimeOffset? SatisfactionAt { get; init; }
    public int Version { get; init; }

    /// <summary>The SLA clocks, when service level management times this incident (see <see cref="Contracts.IIncidentSla"/>).</summary>
    public object? Sla { get; set; }

    /// <summary>The transitions possible now, by their API names.</summary>
    public IReadOnlyList<string> AllowedActions =>
        IncidentNames.ParseStatus(Status) is { } s ? IncidentLifecycle.AllowedToPeople(s).Select(t => t.Key()).ToList() : [];

    internal const string Columns = """
        i.id, i.number AS number_value, i.organisation_id, i.caller_id, i.caller_name, i.caller_contact, i.channel, i.title, i.description,
        i.category_id, i.service_ref, i.ci_ref, i.impact, i.urgency, i.priority, i.status, i.pending_reason, i.assignment_group_id,
        i.assignee_id, i.is_major, i.parent_id, i.resolution_code, i.resolution_notes, i.cancel_reason, i.created_at, i.updated_at,
        i.first_response_at, i.resolved_at, i.closed_at, i.satisfaction, i.satisfaction_comment, i.satisfaction_at, i.version
        """;

    internal IncidentStatus ParsedStatus => IncidentNames.ParseStatus(Status)!.Value;
}

/// <summary>A reply (public) or work note (internal) on an incident.</summary>
public sealed class CommentView
{
    public Guid Id { get; init; }
    public Guid IncidentId { get; init; }
    public Guid? AuthorId { get; init; }
    public string AuthorName { get; init; } = "";
    public bool IsPublic { get; init; }
    public string Body { get; init; } = "";
    public int MinutesSpent { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A link between two incidents, seen from one of them.</summary>
public sealed class LinkView
{
    public Guid RelatedId { get; init; }
    public long RelatedNumber { get; init; }
    public string RelatedNumberText => new IncidentNumber(RelatedNumber).ToString();
    public string RelatedTitle { get; init; } = "";
    public string RelatedStatus { get; init; } = "";
    public string Kind { get; init; } = "";
}
