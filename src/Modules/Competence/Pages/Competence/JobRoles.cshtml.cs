using Certus.Competence.Contracts;
using Certus.Competence.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Competence.Pages.Competence;

/// <summary>The job roles with what they require and who holds them, and a new role.</summary>
[RequirePermission(CompetencePermissions.Read)]
public sealed class JobRolesModel(Catalogue catalogue, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty]
    public Catalogue.JobRoleRequest Input { get; set; } = new(null, null, null, null, null);

    public IReadOnlyList<JobRoleView> Roles { get; private set; } = [];

    public bool CanManage => caller.HasPermission(CompetencePermissions.Manage);

    public async Task OnGetAsync(CancellationToken ct) => Roles = await catalogue.JobRolesAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await catalogue.CreateJobRoleAsync(Input with { Requirements = [] }, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/competence/job-roles/{outcome.Value!.Id}");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        Roles = await catalogue.JobRolesAsync(ct);
        return Page();
    }
}
