using Certus.Identity.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Certus.Identity.Infrastructure;

/// <summary>Identity's sign-in, refusing deactivated users.</summary>
internal sealed class CertusSignInManager(
    UserManager<CertusUser> users,
    IHttpContextAccessor accessor,
    IUserClaimsPrincipalFactory<CertusUser> claims,
    IOptions<IdentityOptions> options,
    ILogger<SignInManager<CertusUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<CertusUser> confirmation)
    : SignInManager<CertusUser>(users, accessor, claims, options, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(CertusUser user) => user.IsActive && await base.CanSignInAsync(user);
}
