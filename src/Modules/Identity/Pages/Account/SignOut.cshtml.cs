using Certus.Identity.Domain;
using Certus.Identity.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Identity.Pages.Account;

public sealed class SignOutModel(SignInManager<CertusUser> signIn, UserManager<CertusUser> users, SignInAudit audit) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        await signIn.SignOutAsync();
        if (user is not null)
        {
            await audit.SignedOutAsync(user, HttpContext.RequestAborted);
        }
        return LocalRedirect("/account/sign-in");
    }
}
