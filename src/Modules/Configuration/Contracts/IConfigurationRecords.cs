using System.Data.Common;
using Certus.Kernel.Errors;

namespace Certus.Configuration.Contracts;

/// <summary>
/// What other modules may know of a configuration item. <c>Status</c> is the lifecycle key (<c>ordered</c>,
/// <c>received</c>, <c>under-test</c>, <c>in-use</c>, <c>changed</c>, <c>withdrawn</c>, <c>disposed</c>, <c>cancelled</c>);
/// <c>ServiceCode</c> is the portfolio service a business-service CI stands for.
/// </summary>
public sealed record CiFacts(
    Guid Id, string Identifier, string Name, string ClassKey, string ClassName, string Status, string Criticality, string? VersionLabel, string? ServiceCode, int Version);

/// <summary>A business service a set of CIs affects, with the customers it serves.</summary>
public sealed record ImpactedService(Guid CiId, string Identifier, string Name, string? ServiceCode);

/// <summary>A customer organisation affected, and the agreements in force for it on the affected services.</summary>
public sealed record ImpactedCustomer(Guid OrganisationId, string Name, IReadOnlyList<string> AgreementReferences);

/// <summary>
/// What a set of CIs takes down when it fails or is changed: every CI reached, the business services and the customers,
/// merged over all starting CIs. <see cref="Truncated"/> says a walk was cut short.
/// </summary>
public sealed record ImpactSummary(
    IReadOnlyList<CiFacts> Items, IReadOnlyList<ImpactedService> Services, IReadOnlyList<ImpactedCustomer> Customers, bool Truncated);

/// <summary>
/// One declared update of a CI, applied under a change: a new version label, a lifecycle move and attribute values
/// (keys of the CI's class; null removes a value). Fields left null are not touched.
/// </summary>
public sealed record CiUpdate(Guid CiId, string? VersionLabel = null, string? Status = null, IReadOnlyDictionary<string, string?>? Attributes = null);

/// <summary>A baseline taken for another module (a release's configuration after deployment).</summary>
public sealed record BaselineFacts(Guid Id, string Name, int ItemCount);

/// <summary>
/// Configuration management's surface for other processes: find CIs, ask for impact, and apply the CMDB updates a
/// change or release declares (ISO/IEC 20000-1:2018 8.5.1.3, 8.5.3; manual §8.1.4, §9.1.7).
/// Reads are scoped to the caller's organisation like the CMDB's own pages.
/// </summary>
public interface IConfigurationRecords
{
    /// <summary>The CIs named by id, identifier (<c>SRV-000001</c>) or unique name; unknown references are left out.</summary>
    Task<IReadOnlyList<CiFacts>> FindAsync(IReadOnlyCollection<string> references, CancellationToken ct);

    /// <summary>The CIs with these ids, in one read.</summary>
    Task<IReadOnlyList<CiFacts>> GetAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct);

    /// <summary>Impact of the CIs together (direction: what depends on them), to the default depth.</summary>
    Task<ImpactSummary> ImpactAsync(IReadOnlyCollection<Guid> ciIds, CancellationToken ct);

    /// <summary>
    /// Applies updates under <paramref name="changeRef"/> inside the caller's write transaction, so that the change's
    /// own state and the CMDB move together. Change control is asked as for any other edit. A refused or invalid
    /// update is a failure naming the CI; the caller must then roll back (throw) rather than commit.
    /// </summary>
    Task<Outcome<IReadOnlyList<CiFacts>>> ApplyAsync(
        string changeRef, string reason, IReadOnlyList<CiUpdate> updates, DbConnection connection, DbTransaction transaction, CancellationToken ct);

    /// <summary>Takes a baseline of the CIs (and what they depend on) as they stand now.</summary>
    Task<Outcome<BaselineFacts>> TakeBaselineAsync(string name, string? description, IReadOnlyCollection<Guid> ciIds, CancellationToken ct);
}
