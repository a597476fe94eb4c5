using Certus.Identity.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Identity.Pages.Admin.Users;

[RequirePermission(PlatformPermissions.UsersManage)]
public sealed class DetailsModel(GetUser get, UpdateUser update, ListGroups groups, AdministerAccount accounts, IStringLocalizer<Strings> text) : PageModel
{
    public new UserView User { get; private set; } = null!;

    public IReadOnlyList<GroupView> Groups { get; private set; } = [];

    [BindProperty]
    public UpdateUser.Request Input { get; set; } = new(null, null, null, null, null, null);

    [BindProperty]
    public int Version { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    /// <summary>Why the administrator acts; recorded in the audit trail.</summary>
    [BindProperty]
    public string? AccountReason { get; set; }

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

    public async Task<IActionResult> OnPostSetPasswordAsync(Guid id, CancellationToken ct)
    {
        var outcome = await accounts.SetPasswordAsync(id, new AdministerAccount.PasswordRequest(NewPassword, AccountReason), ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Users.PasswordSet"].Value;
            return RedirectToPage(new { id });
        }
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        ResetInput(null);
        foreach (var message in outcome.Failure!.Fields?.SelectMany(f => f.Value) ?? [outcome.Failure.Message])
        {
            ModelState.AddModelError(nameof(NewPassword), message);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostUnlockAsync(Guid id, CancellationToken ct)
    {
        var outcome = await accounts.UnlockAsync(id, new AdministerAccount.ReasonRequest(AccountReason), ct);
        return AfterAction(id, outcome, "Users.Unlocked");
    }

    public async Task<IActionResult> OnPostResetTwoFactorAsync(Guid id, CancellationToken ct)
    {
        var outcome = await accounts.ResetTwoFactorAsync(id, new AdministerAccount.ReasonRequest(AccountReason), ct);
        return AfterAction(id, outcome, "Users.TwoFactorReset");
    }

    private IActionResult AfterAction(Guid id, Outcome<bool> outcome, string doneKey)
    {
        if (!outcome.Succeeded)
        {
            return NotFound();
        }
        TempData["Flash"] = text[doneKey].Value;
        return RedirectToPage(new { id });
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
