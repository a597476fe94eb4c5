using System.Security.Claims;
using Certus.Data;
using Certus.Identity.Contracts;
using Certus.Identity.Domain;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Certus.Identity.Infrastructure;

/// <summary>Adds organisation, roles, display name and language to the principal of a signed-in user.</summary>
internal sealed class CertusClaimsFactory(UserManager<CertusUser> users, IOptions<IdentityOptions> options, Database database)
    : UserClaimsPrincipalFactory<CertusUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(CertusUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        await using var connection = await database.OpenAsync();
        var kind = await connection.ExecuteScalarAsync<string>(
            "SELECT kind FROM idn_organisations WHERE id = @OrganisationId", user);
        var roles = await connection.QueryAsync<string>("SELECT role FROM idn_user_roles WHERE user_id = @Id", user);
        Principals.AddCertusClaims(identity, user.OrganisationId, user.DisplayName, user.Culture, kind ?? OrganisationKinds.Customer, roles);
        return identity;
    }
}

internal static class Principals
{
    public static void AddCertusClaims(
        ClaimsIdentity identity, Guid organisationId, string displayName, string? culture, string organisationKind, IEnumerable<string> roles)
    {
        identity.AddClaim(new Claim(IdentityClaims.OrganisationId, organisationId.ToString("D")));
        identity.AddClaim(new Claim(IdentityClaims.OrganisationKind, organisationKind));
        identity.AddClaim(new Claim(IdentityClaims.DisplayName, displayName));
        if (culture is not null)
        {
            identity.AddClaim(new Claim(IdentityClaims.Culture, culture));
        }
        foreach (var role in roles)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        }
    }
}
