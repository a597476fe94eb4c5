using Certus.Identity.Domain;
using Certus.Identity.Features;
using Certus.Kernel.Http;
using Certus.Kernel.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Certus.Identity.Pages.Account.Public;

[Microsoft.AspNetCore.Authorization.AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.SignIn)]
public sealed class TwoFactorModel(SignInManager<CertusUser> signIn, SignInAudit audit, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Remember { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("SignIn") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var code = Code?.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal) ?? "";
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        var wasLockedOut = await audit.IsLockedOutAsync(user);
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, Remember, rememberClient: false);
        if (result.Succeeded)
        {
            await audit.SignedInAsync(user!, SignInAudit.Methods.PageWithCode, HttpContext.RequestAborted);
            if (Cultures.IsSupported(user?.Culture))
            {
                CultureCookie.Remember(HttpContext, user!.Culture!);
            }
            return LocalRedirect(SignInModel.SafeReturnUrl(ReturnUrl));
        }
        if (user is not null)
        {
            await audit.RefusedAsync(user.Email, user, SignInAudit.Methods.PageWithCode,
                result.IsLockedOut ? SignInAudit.Refusals.LockedOut : SignInAudit.Refusals.WrongCode, wasLockedOut, HttpContext.RequestAborted);
        }
        ModelState.AddModelError(string.Empty, result.IsLockedOut ? text["SignIn.LockedOut"] : text["TwoFactor.CodeInvalid"]);
        return Page();
    }
}
