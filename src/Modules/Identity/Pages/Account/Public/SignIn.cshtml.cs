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
public sealed class SignInModel(SignInManager<CertusUser> signIn, UserManager<CertusUser> users, SignInAudit audit, IStringLocalizer<Strings> text) : PageModel
{
    public sealed class InputModel
    {
        public string? Email { get; set; }
        public string? Password { get; set; }
        public bool Remember { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Input.Email) || string.IsNullOrEmpty(Input.Password))
        {
            ModelState.AddModelError(string.Empty, text["SignIn.Failed"]);
            return Page();
        }
        var email = Input.Email.Trim();
        var user = await users.FindByEmailAsync(email);
        var wasLockedOut = await audit.IsLockedOutAsync(user);
        var result = await signIn.PasswordSignInAsync(email, Input.Password, Input.Remember, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
        {
            // Not signed in yet: the two-step page records the outcome.
            return RedirectToPage("TwoFactor", new { ReturnUrl, remember = Input.Remember });
        }
        if (!result.Succeeded)
        {
            var refusal = user is null ? SignInAudit.Refusals.UnknownAccount
                : result.IsLockedOut ? SignInAudit.Refusals.LockedOut
                : result.IsNotAllowed ? SignInAudit.Refusals.Inactive
                : SignInAudit.Refusals.WrongPassword;
            await audit.RefusedAsync(email, user, SignInAudit.Methods.Page, refusal, wasLockedOut, HttpContext.RequestAborted);
            ModelState.AddModelError(string.Empty, text[result.IsLockedOut ? "SignIn.LockedOut" : "SignIn.Failed"]);
            return Page();
        }
        await audit.SignedInAsync(user!, SignInAudit.Methods.Page, HttpContext.RequestAborted);
        if (Cultures.IsSupported(user?.Culture))
        {
            CultureCookie.Remember(HttpContext, user!.Culture!);
        }
        return LocalRedirect(SafeReturnUrl(ReturnUrl));
    }

    internal static string SafeReturnUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}
