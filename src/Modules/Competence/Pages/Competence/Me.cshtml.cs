using Certus.Competence.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Competence.Pages.Competence;

/// <summary>"My training record": the signed-in person's own record.</summary>
[RequirePermission(CompetencePermissions.OwnRecord)]
public sealed class MeModel(ICurrentUser caller) : PageModel
{
    public IActionResult OnGet() => Redirect($"/competence/people/{caller.UserId}");
}
