using Certus.Audits.Contracts;
using Certus.Audits.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Audits.Pages.Reviews;

/// <summary>Management reviews: the list and planning a new one.</summary>
[RequirePermission(AuditPermissions.Read)]
public sealed class IndexModel(ManagementReviews reviews, IDirectory directory, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty]
    public ManagementReviews.Request Input { get; set; } = new(null, null, null, null, null, null);

    public IReadOnlyList<ReviewView> All { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public bool CanManage => caller.HasPermission(AuditPermissions.Manage);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await reviews.CreateAsync(Input, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/management-reviews/{outcome.Value!.Id}");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        All = await reviews.ListAsync(ct);
        Staff = await directory.StaffAsync(Roles.Staff, ct);
    }
}
