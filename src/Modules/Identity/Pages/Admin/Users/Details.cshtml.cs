using Certus.Identity.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Identity.Pages.Admin.Users;

[RequirePermission(PlatformPermissions.UsersManage)]
public sealed class DetailsModel(GetUser get, UpdateUser update, ListGroups groups, IStringLocalizer<Strings> text) : PageModel
{
    public new UserView User { get; private set; } = null!;

    public IReadOnlyList<GroupView> Groups { get; private set; } = [];

    [BindProperty]
    public UpdateUser.Request Input { get; set; } = new(null, null, null, null, null, null);

    [BindProperty]
    public int Version { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        ResetInput(null);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        // Unticking every box posts nothing; that means "none", not "unchanged".
        var request = Input with { Roles = Input.Roles ?? [], GroupIds = Input.GroupIds ?? [] };
        var outcome = await update.HandleAsync(id, Version, request, ct);
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
            ModelState.Clear();
            ModelState.AddModelError(string.Empty, text["Common.Stale"]);
            ResetInput(Input.Reason);
            return Page();
        }
        ModelState.AddFailure(outcome.Failure!);
        return Page();
    }

    private void ResetInput(string? reason)
    {
        Input = new UpdateUser.Request(User.DisplayName, User.Roles, User.GroupIds, User.IsActive, User.Culture ?? "zh-CN", reason);
        Version = User.Version;
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var user = await get.HandleAsync(id, ct);
        if (user is null)
        {
            return false;
        }
        User = user;
        Groups = await groups.HandleAsync(user.OrganisationId, ct);
        return true;
    }
}
