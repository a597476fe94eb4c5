namespace Certus.Incidents.Domain;

/// <summary>
/// The one transition table of an incident: (status, trigger) → status. Everything that moves an incident
/// asks this table, so the API, the pages and the scheduled close cannot disagree.
/// </summary>
public static class IncidentLifecycle
{
    private static readonly Dictionary<(IncidentStatus From, IncidentTrigger Trigger), IncidentStatus> Table = new()
    {
        [(IncidentStatus.New, IncidentTrigger.Assign)] = IncidentStatus.Assigned,
        [(IncidentStatus.Assigned, IncidentTrigger.Assign)] = IncidentStatus.Assigned,
        [(IncidentStatus.InProgress, IncidentTrigger.Assign)] = IncidentStatus.Assigned,
        [(IncidentStatus.Pending, IncidentTrigger.Assign)] = IncidentStatus.Assigned,

        [(IncidentStatus.Assigned, IncidentTrigger.Start)] = IncidentStatus.InProgress,
        [(IncidentStatus.Pending, IncidentTrigger.Start)] = IncidentStatus.InProgress,

        [(IncidentStatus.InProgress, IncidentTrigger.Pend)] = IncidentStatus.Pending,

        // First-call resolution at the desk is allowed straight from New.
        [(IncidentStatus.New, IncidentTrigger.Resolve)] = IncidentStatus.Resolved,
        [(IncidentStatus.Assigned, IncidentTrigger.Resolve)] = IncidentStatus.Resolved,
        [(IncidentStatus.InProgress, IncidentTrigger.Resolve)] = IncidentStatus.Resolved,
        [(IncidentStatus.Pending, IncidentTrigger.Resolve)] = IncidentStatus.Resolved,

        // Manual §7.2.4: closed only when the caller confirms the service is restored, or after the quiet period.
        [(IncidentStatus.Resolved, IncidentTrigger.Confirm)] = IncidentStatus.Closed,
        [(IncidentStatus.Resolved, IncidentTrigger.AutoClose)] = IncidentStatus.Closed,
        [(IncidentStatus.Resolved, IncidentTrigger.RejectResolution)] = IncidentStatus.InProgress,
        [(IncidentStatus.Resolved, IncidentTrigger.Reopen)] = IncidentStatus.InProgress,

        [(IncidentStatus.New, IncidentTrigger.Cancel)] = IncidentStatus.Cancelled,
        [(IncidentStatus.Assigned, IncidentTrigger.Cancel)] = IncidentStatus.Cancelled,
    };

    public static IncidentStatus? Next(IncidentStatus from, IncidentTrigger trigger) =>
        Table.TryGetValue((from, trigger), out var to) ? to : null;

    /// <summary>The moves possible from <paramref name="from"/>, for the 409 message and the page's buttons.</summary>
    public static IReadOnlyList<IncidentTrigger> Allowed(IncidentStatus from) =>
        Table.Keys.Where(k => k.From == from).Select(k => k.Trigger).Distinct().ToList();

    /// <summary>Closed and cancelled incidents are records now: no more replies, files or edits.</summary>
    public static bool IsEditable(IncidentStatus status) => status is not (IncidentStatus.Closed or IncidentStatus.Cancelled);

    /// <summary>The moves a person can ask for (the scheduled close is the system's own).</summary>
    public static IReadOnlyList<IncidentTrigger> AllowedToPeople(IncidentStatus from) =>
        Allowed(from).Where(t => t != IncidentTrigger.AutoClose).ToList();

    public static bool IsOpen(IncidentStatus status) => status switch
    {
        IncidentStatus.New or IncidentStatus.Assigned or IncidentStatus.InProgress or IncidentStatus.Pending => true,
        IncidentStatus.Resolved or IncidentStatus.Closed or IncidentStatus.Cancelled => false,
    };
}
