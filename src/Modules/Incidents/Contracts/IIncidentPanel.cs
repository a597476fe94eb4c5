namespace Certus.Incidents.Contracts;

/// <summary>
/// A panel another module shows on the incident page (configuration management: the services and customers the
/// incident's CI puts at risk). Any number may be registered; the page renders each in <see cref="Order"/>.
/// </summary>
public interface IIncidentPanel
{
    /// <summary>
    /// The view component to render; invoked with <c>incidentId</c> (Guid), <c>incidentNumber</c> (such as
    /// <c>INC-000123</c>), <c>ciRef</c> and <c>serviceRef</c> (strings, null when the incident names none); a component
    /// declares the parameters it needs. The page has already checked that the caller may see the
    /// incident; the component checks its own module's permissions and renders nothing when it has nothing to say.
    /// </summary>
    string Component { get; }

    /// <summary>Where the panel goes in the side column, lowest first (the SLA panel comes before all of them).</summary>
    int Order { get; }
}
