using Certus.Kernel.Events;

namespace Certus.Incidents.Contracts;

/// <summary>
/// What other modules may know of an incident at one moment: enough to time it and to report on it. <c>Status</c> is a
/// status key (<c>new</c>, <c>assigned</c>, <c>in-progress</c>, <c>pending</c>, <c>resolved</c>, <c>closed</c>,
/// <c>cancelled</c>); <c>ServiceRef</c> is the affected service as recorded on the incident (a service code).
/// </summary>
public sealed record IncidentFacts(
    Guid Id,
    long Number,
    Guid OrganisationId,
    string? ServiceRef,
    Guid? AssignmentGroupId,
    Guid? AssigneeId,
    int Priority,
    string Status,
    string? PendingReason,
    string Title,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FirstResponseAt,
    DateTimeOffset? ResolvedAt)
{
    /// <summary>The incident's human number, such as <c>INC-000123</c>.</summary>
    public string NumberText => $"INC-{Number:D6}";
}

/// <summary>
/// An incident was logged or changed (status, priority, assignment, service, first response). Published inside the
/// transaction that changed it, with the incident as it now stands.
/// </summary>
/// <param name="Incident">The incident as it now stands.</param>
/// <param name="PreviousStatus">Status before the change; null when the incident was just logged.</param>
/// <param name="At">When the change happened.</param>
public sealed record IncidentChanged(IncidentFacts Incident, string? PreviousStatus, DateTimeOffset At) : IDomainEvent;
