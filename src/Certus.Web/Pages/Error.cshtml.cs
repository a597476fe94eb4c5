using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Web.Pages;

/// <summary>
/// The error page: visited as <c>/error/{code}</c>, or rendered in place of a missing page (the status code pages
/// re-run the request here, with its method, so the page answers any method and keeps the original status).
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int? Code { get; private set; }

    /// <summary>For a refused form (400): the page it was sent to, without the handler, to open it afresh.</summary>
    public string? FormPage { get; private set; }

    public override void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
        Code = int.TryParse(RouteData.Values["code"]?.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            ? code
            : null;
        if (Code is >= 400 and < 600)
        {
            Response.StatusCode = Code.Value;
        }
        if (Code == 400 && HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is { } original)
        {
            FormPage = original.OriginalPathBase + original.OriginalPath;
        }
    }
}
