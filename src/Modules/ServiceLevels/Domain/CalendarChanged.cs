using Certus.Kernel.Events;

namespace Certus.ServiceLevels.Domain;

/// <summary>
/// A business calendar was created or changed (working hours, time zone, holidays or working days). Published in
/// the writer's transaction, so SLA clocks timed on the calendar can be re-evaluated before it commits.
/// </summary>
/// <param name="CalendarId">The calendar that changed.</param>
public sealed record CalendarChanged(Guid CalendarId) : IDomainEvent;
