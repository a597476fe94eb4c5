using Certus.Identity.Domain;
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
public sealed class TwoFactorModel(SignInManager<CertusUser> signIn, IStringLocalizer<Strings> text) : PageModel
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
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, Remember, rememberClient: false);
        if (result.Succeeded)
        {
            if (Cultures.IsSupported(user?.Culture))
            {
                CultureCookie.Remember(HttpContext, user!.Culture!);
            }
            return LocalRedirect(SignInModel.SafeReturnUrl(ReturnUrl));
        }
        ModelState.AddModelError(string.Empty, result.IsLockedOut ? text["SignIn.LockedOut"] : text["TwoFactor.CodeInvalid"]);
        return Page();
    }
}
