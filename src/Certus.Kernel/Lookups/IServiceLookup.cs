namespace Certus.Kernel.Lookups;

/// <summary>A service a ticket may name: its code and its name in the caller's language.</summary>
/// <param name="Code">The service code tickets store, such as <c>IDC-HOSTING</c>.</param>
/// <param name="Name">The service's name in the current UI language.</param>
public sealed record ServiceOption(string Code, string Name);

/// <summary>What another module may know of a service in the portfolio.</summary>
/// <param name="Code">The service code, upper case.</param>
/// <param name="Name">The service's name in the current UI language.</param>
/// <param name="Lifecycle">Where it stands in the portfolio, such as <c>live</c>.</param>
/// <param name="CustomerIds">The customer organisations that take it.</param>
public sealed record ServiceFacts(string Code, string Name, string Lifecycle, IReadOnlyList<Guid> CustomerIds);

/// <summary>
/// Lists the services tickets can name, for pickers. Implemented by the service portfolio; a module that uses it
/// keeps working with free text when none is registered.
/// </summary>
public interface IServiceLookup
{
    /// <summary>
    /// Live and retiring services, ordered by code: those <paramref name="organisationId"/> takes, or every one when it
    /// is null. A customer caller only ever gets their own organisation's services.
    /// </summary>
    Task<IReadOnlyList<ServiceOption>> ForOrganisationAsync(Guid? organisationId, CancellationToken ct);

    /// <summary>The services with these codes (any lifecycle, case-insensitive); unknown codes are left out.</summary>
    Task<IReadOnlyList<ServiceFacts>> FindAsync(IReadOnlyCollection<string> codes, CancellationToken ct);
}
