using Certus.Identity.Features;
using Certus.Kernel;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Identity.Pages.Admin.Users;

[RequirePermission(PlatformPermissions.UsersManage)]
public sealed class IndexModel(GetUser get, GetOrganisation organisations, CreateUser create) : PageModel
{
    public Page<UserView> Users { get; private set; } = new([], 0, 1, 200);

    public IReadOnlyList<OrganisationView> Organisations { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? OrganisationId { get; set; }

    [BindProperty]
    public CreateUser.Request Input { get; set; } = new(null, null, null, null, [], null, "zh-CN");

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Input = Input with { OrganisationId = OrganisationId };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await create.HandleAsync(Input, ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddFailure(outcome.Failure!);
            await LoadAsync(ct);
            return Page();
        }
        return Redirect($"/admin/users/{outcome.Value!.Id}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Users = await get.ListAsync(OrganisationId, null, Q, PageRequest.From(1, 200), ct);
        Organisations = (await organisations.ListAsync(null, null, PageRequest.From(1, 200), ct)).Items;
    }
}
