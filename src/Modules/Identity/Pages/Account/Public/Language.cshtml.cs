using Certus.Identity.Features;
using Certus.Kernel.Localization;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Identity.Pages.Account.Public;

/// <summary>The language switch: remembered on this browser, and on the account when signed in.</summary>
[Microsoft.AspNetCore.Authorization.AllowAnonymous]
public sealed class LanguageModel(ChangeMyLanguage change, ICurrentUser caller) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync(string? culture, string? returnUrl, CancellationToken ct)
    {
        if (Cultures.IsSupported(culture))
        {
            CultureCookie.Remember(HttpContext, culture!);
            if (caller.IsAuthenticated)
            {
                await change.HandleAsync(culture, ct);
            }
        }
        return LocalRedirect(SignInModel.SafeReturnUrl(returnUrl));
    }
}
