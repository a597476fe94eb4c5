namespace Certus.Kernel.Lookups;

/// <summary>An agreement in force, as another module may cite it.</summary>
/// <param name="Id">The agreement's id.</param>
/// <param name="Reference">Its human reference, such as <c>SLA-0003</c>.</param>
/// <param name="Title">Its title.</param>
/// <param name="Kind"><c>sla</c>, <c>ola</c> or <c>uc</c>.</param>
/// <param name="OrganisationId">The customer of an SLA.</param>
/// <param name="ServiceCode">The service it covers; null when it covers all the customer's services.</param>
public sealed record AgreementFacts(Guid Id, string Reference, string Title, string Kind, Guid? OrganisationId, string? ServiceCode);

/// <summary>
/// Finds the service level agreements in force for customers and services (impact analysis cites them).
/// Implemented by service level management.
/// </summary>
public interface IAgreementLookup
{
    /// <summary>
    /// SLAs with an approved version in force now, for any of <paramref name="organisationIds"/>, that cover one of
    /// <paramref name="serviceCodes"/> or all of the customer's services.
    /// </summary>
    Task<IReadOnlyList<AgreementFacts>> InForceAsync(IReadOnlyCollection<Guid> organisationIds, IReadOnlyCollection<string> serviceCodes, CancellationToken ct);
}
