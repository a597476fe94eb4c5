namespace Certus.Identity.Contracts;

/// <summary>The service provider runs Certus; customers take its services.</summary>
public enum OrganisationKind
{
    Provider,
    Customer,
}

/// <summary>What other modules may know of an organisation.</summary>
public sealed record OrganisationSummary(Guid Id, string Name, OrganisationKind Kind);

/// <summary>What other modules may know of a user.</summary>
public sealed record UserSummary(Guid Id, string DisplayName, string Email, Guid OrganisationId);

/// <summary>Looks up organisations and users for other modules without exposing the identity tables.</summary>
public interface IDirectory
{
    Task<OrganisationSummary?> FindOrganisationAsync(Guid id, CancellationToken ct = default);

    Task<UserSummary?> FindUserAsync(Guid id, CancellationToken ct = default);
}

/// <summary>Wire names of <see cref="OrganisationKind"/>.</summary>
public static class OrganisationKinds
{
    public const string Provider = "provider";
    public const string Customer = "customer";

    public static string ToKey(this OrganisationKind kind) => kind switch
    {
        OrganisationKind.Provider => Provider,
        OrganisationKind.Customer => Customer,
    };

    public static OrganisationKind? Parse(string? key) => key?.Trim().ToLowerInvariant() switch
    {
        Provider => OrganisationKind.Provider,
        Customer => OrganisationKind.Customer,
        _ => null,
    };
}
