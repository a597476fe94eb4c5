namespace Certus.Incidents.Contracts;

/// <summary>A major incident as the management review sees it.</summary>
/// <param name="Id">The incident.</param>
/// <param name="Number">Such as <c>INC-000123</c>.</param>
/// <param name="Title">What happened.</param>
/// <param name="Status">Its status key.</param>
/// <param name="CreatedAt">When it was logged.</param>
/// <param name="ResolvedAt">When it was resolved, if it was.</param>
/// <param name="Path">The incident's page.</param>
public sealed record MajorIncidentFact(Guid Id, string Number, string Title, string Status, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt, string Path);

/// <summary>
/// The major incidents of a period, provider-wide, for the management review and the improvement register
/// (ISO/IEC 20000-1:2018 8.6.1, 9.3). Implemented by incident management.
/// </summary>
public interface IMajorIncidentLog
{
    /// <summary>Major incidents logged in [from, to), oldest first.</summary>
    Task<IReadOnlyList<MajorIncidentFact>> LoggedAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct);
}
