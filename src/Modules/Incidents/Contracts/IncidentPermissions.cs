namespace Certus.Incidents.Contracts;

/// <summary>Permissions of incident management.</summary>
public static class IncidentPermissions
{
    /// <summary>See incidents (customers: their own organisation's).</summary>
    public const string Read = "incidents.read";

    /// <summary>Log an incident (customers: for their own organisation).</summary>
    public const string Create = "incidents.create";

    /// <summary>Work incidents: assign, start, pend, resolve, edit, internal notes, links.</summary>
    public const string Work = "incidents.work";

    /// <summary>Confirm or reject a resolution on the caller's side.</summary>
    public const string Confirm = "incidents.confirm";

    /// <summary>Edit categories and the priority matrix.</summary>
    public const string Settings = "incidents.settings";
}
