using Certus.Identity.Features;
using Certus.Kernel;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Identity.Pages.Admin.Organisations;

[RequirePermission(PlatformPermissions.OrganisationsManage)]
public sealed class IndexModel(GetOrganisation get, CreateOrganisation create) : PageModel
{
    public Page<OrganisationView> Organisations { get; private set; } = new([], 0, 1, 200);

    [BindProperty]
    public CreateOrganisation.Request Input { get; set; } = new(null, "customer", null);

    public async Task OnGetAsync(CancellationToken ct) => Organisations = await get.ListAsync(null, null, PageRequest.From(1, 200), ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await create.HandleAsync(Input, ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddFailure(outcome.Failure!);
            await OnGetAsync(ct);
            return Page();
        }
        return Redirect($"/admin/organisations/{outcome.Value!.Id}");
    }
}
