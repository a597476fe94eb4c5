using System.Data.Common;

namespace Certus.Incidents.Contracts;

/// <summary>
/// What an escalation rule may do to an incident, on the caller's transaction. Each change is audited with the
/// reason and published as <see cref="IncidentChanged"/>, like any other change.
/// </summary>
public interface IIncidentEscalation
{
    /// <summary>The incident as it stands, or null.</summary>
    Task<IncidentFacts?> FindAsync(Guid incidentId, DbConnection connection, DbTransaction transaction, CancellationToken ct);

    /// <summary>Hands an open incident to another group (the assignee is cleared). False when it is no longer open.</summary>
    Task<bool> ReassignAsync(Guid incidentId, Guid groupId, string reason, DbConnection connection, DbTransaction transaction, CancellationToken ct);

    /// <summary>Raises an open incident's priority by one step (P3 → P2); false when it is already P1 or no longer open.</summary>
    Task<bool> RaisePriorityAsync(Guid incidentId, string reason, DbConnection connection, DbTransaction transaction, CancellationToken ct);
}
