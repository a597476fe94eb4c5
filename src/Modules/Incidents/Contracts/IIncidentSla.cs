namespace Certus.Incidents.Contracts;

/// <summary>
/// What service level management tells incident management about an incident's SLA clocks. Implemented by the
/// service level module; incident management works without it.
/// </summary>
public interface IIncidentSla
{
    /// <summary>The incident's clocks, targets and the reasons for them, as the API's <c>sla</c> block; null when nothing times it.</summary>
    Task<object?> DescribeAsync(Guid incidentId, CancellationToken ct);

    /// <summary>
    /// A SQL query selecting <c>incident_id</c> of incidents whose running clocks have passed their warning threshold
    /// (the "breaching soon" queue). It reads the parameter <c>@slaNow</c>.
    /// </summary>
    string AtRiskIncidentsSql { get; }

    /// <summary>The view component that shows the clocks on the incident page; invoked with <c>incidentId</c>.</summary>
    string PanelComponent { get; }
}
