using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Web.Pages;

[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int? Code { get; private set; }

    public void OnGet(int? code)
    {
        Code = code;
        if (code is >= 400 and < 600)
        {
            Response.StatusCode = code.Value;
        }
    }
}
