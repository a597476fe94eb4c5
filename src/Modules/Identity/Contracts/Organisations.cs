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
/// <param name="Id">The user's id.</param>
/// <param name="DisplayName">Name shown to others.</param>
/// <param name="Email">Sign-in and notification address.</param>
/// <param name="OrganisationId">The organisation the user belongs to.</param>
/// <param name="IsActive">False once the account is deactivated.</param>
/// <param name="Culture">The language the user chose (<c>zh-CN</c> or <c>en-US</c>), or <c>null</c> when they never chose.</param>
public sealed record UserSummary(Guid Id, string DisplayName, string Email, Guid OrganisationId, bool IsActive = true, string? Culture = null);

/// <summary>What other modules may know of a department or team.</summary>
public sealed record GroupSummary(Guid Id, string Name, Guid OrganisationId, Guid? LeadId = null);

/// <summary>Looks up organisations, users and groups for other modules without exposing the identity tables.</summary>
public interface IDirectory
{
    Task<OrganisationSummary?> FindOrganisationAsync(Guid id, CancellationToken ct = default);

    Task<UserSummary?> FindUserAsync(Guid id, CancellationToken ct = default);

    Task<GroupSummary?> FindGroupAsync(Guid id, CancellationToken ct = default);

    /// <summary>Users by id, for showing names in lists; unknown ids are left out.</summary>
    Task<IReadOnlyDictionary<Guid, UserSummary>> FindUsersAsync(IEnumerable<Guid> ids, CancellationToken ct = default);

    /// <summary>Groups by id; unknown ids are left out.</summary>
    Task<IReadOnlyDictionary<Guid, GroupSummary>> FindGroupsAsync(IEnumerable<Guid> ids, CancellationToken ct = default);

    Task<IReadOnlyDictionary<Guid, OrganisationSummary>> FindOrganisationsAsync(IEnumerable<Guid> ids, CancellationToken ct = default);

    /// <summary>The groups <paramref name="userId"/> belongs to.</summary>
    Task<IReadOnlyList<Guid>> GroupsOfAsync(Guid userId, CancellationToken ct = default);

    /// <summary>Active users of the provider holding any of <paramref name="roles"/>, for assignment pickers.</summary>
    Task<IReadOnlyList<UserSummary>> StaffAsync(IReadOnlyList<string> roles, CancellationToken ct = default);

    /// <summary>Every organisation, the provider first, for pickers.</summary>
    Task<IReadOnlyList<OrganisationSummary>> OrganisationsAsync(CancellationToken ct = default);

    /// <summary>The provider's groups, for assignment pickers.</summary>
    Task<IReadOnlyList<GroupSummary>> ProviderGroupsAsync(CancellationToken ct = default);
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
