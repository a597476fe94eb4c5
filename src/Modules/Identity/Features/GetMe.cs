using Certus.Kernel.Security;

namespace Certus.Identity.Features;

/// <summary>Who the caller is: the answer to <c>GET /api/v1/me</c> and the account page.</summary>
public sealed class GetMe(GetUser users, GetOrganisation organisations, ICurrentUser caller, PermissionCatalog catalog)
{
    public sealed record OrganisationRef(Guid Id, string Name, string Kind);

    public sealed record Response(
        Guid Id,
        string Email,
        string DisplayName,
        OrganisationRef Organisation,
        IReadOnlyList<string> Roles,
        IReadOnlyList<string> Permissions,
        string? Culture,
        bool TwoFactorEnabled,
        int Version);

    public async Task<Response?> HandleAsync(CancellationToken ct = default)
    {
        var user = await users.HandleAsync(caller.UserId, ct);
        var organisation = user is null ? null : await organisations.HandleAsync(user.OrganisationId, ct);
        if (user is null || organisation is null)
        {
            return null;
        }
        return new Response(user.Id, user.Email, user.DisplayName,
            new OrganisationRef(organisation.Id, organisation.Name, organisation.Kind),
            user.Roles, catalog.For(user.Roles).Order(StringComparer.Ordinal).ToList(), user.Culture, user.TwoFactorEnabled, user.Version);
    }
}
