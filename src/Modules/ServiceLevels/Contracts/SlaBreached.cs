using Certus.Kernel.Events;

namespace Certus.ServiceLevels.Contracts;

/// <summary>
/// An SLA clock passed its target: a nonconformity for service reporting and the improvement register
/// (ISO 20000-1:2018 10.1). Published once per incident, agreement and metric, in the transaction that records it.
/// </summary>
/// <param name="IncidentId">The incident that missed the target.</param>
/// <param name="AgreementId">The agreement whose target was missed.</param>
/// <param name="Metric"><c>response</c> or <c>resolution</c>.</param>
/// <param name="OrganisationId">The customer.</param>
/// <param name="ServiceId">The service, when the incident names one.</param>
/// <param name="Priority">The incident's priority when the target passed.</param>
/// <param name="DueAt">The target instant that passed.</param>
public sealed record SlaBreached(Guid IncidentId, Guid AgreementId, string Metric, Guid OrganisationId, Guid? ServiceId, int Priority, DateTimeOffset DueAt)
    : IDomainEvent;
