using Certus.Identity.Features;
using Certus.Kernel;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Identity.Pages.Admin.Organisations;

[RequirePermission(PlatformPermissions.OrganisationsManage)]
public sealed class DetailsModel(
    GetOrganisation get, UpdateOrganisation update, GetUser users, ListGroups groups, CreateGroup createGroup, IStringLocalizer<Strings> text) : PageModel
{
    public OrganisationView Organisation { get; private set; } = null!;

    public Page<UserView> Users { get; private set; } = new([], 0, 1, 200);

    public IReadOnlyList<GroupView> Groups { get; private set; } = [];

    [BindProperty]
    public UpdateOrganisation.Request Input { get; set; } = new(null, null, null);

    [BindProperty]
    public int Version { get; set; }

    [BindProperty]
    public string? GroupName { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        Input = new UpdateOrganisation.Request(Organisation.Name, Organisation.Description, null);
        Version = Organisation.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var outcome = await update.HandleAsync(id, Version, Input, ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Common.Saved"].Value;
            return RedirectToPage(new { id });
        }
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (outcome.Failure!.Kind == FailureKind.PreconditionFailed)
        {
            // Show the other person's version; the user re-applies their change knowingly.
            ModelState.Clear();
            ModelState.AddModelError(string.Empty, text["Common.Stale"]);
            Input = new UpdateOrganisation.Request(Organisation.Name, Organisation.Description, Input.Reason);
            Version = Organisation.Version;
            return Page();
        }
        ModelState.AddFailure(outcome.Failure!);
        return Page();
    }

    public async Task<IActionResult> OnPostGroupAsync(Guid id, CancellationToken ct)
    {
        var outcome = await createGroup.HandleAsync(new CreateGroup.Request(id, GroupName, null), ct);
        if (outcome.Succeeded)
        {
            return RedirectToPage(new { id });
        }
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        Input = new UpdateOrganisation.Request(Organisation.Name, Organisation.Description, null);
        Version = Organisation.Version;
        foreach (var message in outcome.Failure!.Fields?.SelectMany(f => f.Value) ?? [outcome.Failure.Message])
        {
            ModelState.AddModelError(nameof(GroupName), message);
        }
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var organisation = await get.HandleAsync(id, ct);
        if (organisation is null)
        {
            return false;
        }
        Organisation = organisation;
        Users = await users.ListAsync(id, null, null, PageRequest.From(1, 200), ct);
        Groups = await groups.HandleAsync(id, ct);
        return true;
    }
}
