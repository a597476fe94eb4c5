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
public sealed class SignInModel(SignInManager<CertusUser> signIn, UserManager<CertusUser> users, IStringLocalizer<Strings> text) : PageModel
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
        var result = await signIn.PasswordSignInAsync(Input.Email.Trim(), Input.Password, Input.Remember, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("TwoFactor", new { ReturnUrl, remember = Input.Remember });
        }
        if (result.IsLockedOut)
        {
            ModelState.AddModelError(string.Empty, text["SignIn.LockedOut"]);
            return Page();
        }
        if (!result.Succeeded)
        {
            ModelState.AddModelError(string.Empty, text["SignIn.Failed"]);
            return Page();
        }
        var user = await users.FindByEmailAsync(Input.Email.Trim());
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
