using Certus.Changes.Contracts;
using Certus.Changes.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Changes.Pages.Approve;

/// <summary>
/// The approval e-mail's link. Signing in is required: the link names the vote, the signed-in member casts it, so a
/// forwarded mail decides nothing. A link that is not the caller's, expired or already used says so.
/// </summary>
[RequirePermission(ChangePermissions.Read)]
public sealed class IndexModel(DecideChange decide, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    public DecideChange.LinkView Link { get; private set; } = null!;

    /// <summary>The change is shown only to the member the link was sent to.</summary>
    public bool Mine { get; private set; }

    public string? Reason { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct) =>
        await LoadAsync(token, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string token, bool approve, string? reason, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct))
        {
            return NotFound();
        }
        if (!caller.HasPermission(ChangePermissions.Approve) || !Mine)
        {
            return Forbid();
        }
        var outcome = await decide.DecideByLinkAsync(token, approve, new DecideChange.Request(reason), ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text[approve ? "Approval.Approved" : "Approval.Rejected", outcome.Value!.Number].Value;
            return Redirect($"/changes/{outcome.Value.Number}");
        }
        if (outcome.Failure!.Kind == FailureKind.NotFound)
        {
            return NotFound();
        }
        Reason = reason;
        ModelState.AddOutcome(outcome.Failure, text, "");
        return Page();
    }

    private async Task<bool> LoadAsync(string token, CancellationToken ct)
    {
        if (await decide.ReadLinkAsync(token, ct) is not { } link)
        {
            return false;
        }
        Link = link;
        Mine = link.Change.Approvals.Any(a => a.ApproverId == caller.UserId && a.ApproverName == link.ApproverName);
        return true;
    }
}
