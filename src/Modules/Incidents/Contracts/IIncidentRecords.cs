namespace Certus.Incidents.Contracts;

/// <summary>What another process may read of an incident: enough to link it, describe it and find trends.</summary>
/// <param name="Id">The incident.</param>
/// <param name="Number">Such as <c>INC-000123</c>.</param>
/// <param name="Title">What the incident is about.</param>
/// <param name="Status">Its status key (<c>new</c> … <c>closed</c>, <c>cancelled</c>).</param>
/// <param name="Priority">1 (highest) to 5.</param>
/// <param name="OrganisationId">The customer (or the provider) it was logged for.</param>
/// <param name="ServiceRef">The affected service as recorded (a service code), if any.</param>
/// <param name="CiRef">The affected configuration item as recorded (identifier or name), if any.</param>
/// <param name="IsMajor">True for a major incident.</param>
/// <param name="CreatedAt">When it was logged.</param>
/// <param name="Path">The incident's page.</param>
public sealed record IncidentRecord(
    Guid Id, string Number, string Title, string Status, int Priority, Guid OrganisationId, string? ServiceRef, string? CiRef, bool IsMajor,
    DateTimeOffset CreatedAt, string Path);

/// <summary>Incidents of a period sharing one affected CI (<c>Kind</c> <c>ci</c>) or one service (<c>service</c>), as recorded.</summary>
/// <param name="Kind"><c>ci</c> or <c>service</c>.</param>
/// <param name="Reference">The CI or service reference the incidents share, as first recorded.</param>
/// <param name="Incidents">The incidents, newest first.</param>
public sealed record IncidentCluster(string Kind, string Reference, IReadOnlyList<IncidentRecord> Incidents);

/// <summary>
/// Incident management's read surface for other processes (problem management links incidents and analyses their trends,
/// ISO/IEC 20000-1:2018 8.6.3). Every read is scoped to the incidents the caller may see.
/// </summary>
public interface IIncidentRecords
{
    /// <summary>The incidents with these numbers (<c>INC-000123</c> or <c>123</c>) the caller may see; others are left out.</summary>
    Task<IReadOnlyList<IncidentRecord>> FindAsync(IReadOnlyCollection<string> numbers, CancellationToken ct);

    /// <summary>
    /// Incidents logged in [from, to), not cancelled, grouped by affected CI and by service (case-insensitive), for the
    /// groups of at least <paramref name="minimum"/> incidents; largest groups first.
    /// </summary>
    Task<IReadOnlyList<IncidentCluster>> ClustersAsync(DateTimeOffset from, DateTimeOffset to, int minimum, CancellationToken ct);
}
