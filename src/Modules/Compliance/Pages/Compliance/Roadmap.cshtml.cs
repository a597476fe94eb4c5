using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Compliance.Pages.Compliance;

/// <summary>The implementation roadmap: each phase with owner, dates and status.</summary>
[RequirePermission(CompliancePermissions.Read)]
public sealed class RoadmapModel(Roadmap roadmap, IDirectory directory, ICurrentUser caller) : PageModel
{
    public IReadOnlyList<RoadmapStep> Steps { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public bool CanManage => caller.HasPermission(CompliancePermissions.Manage);

    [BindProperty]
    public Guid Id { get; set; }

    [BindProperty]
    public int Version { get; set; }

    [BindProperty]
    public Roadmap.Request? Input { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await roadmap.UpdateAsync(Id, Version, Input ?? new(null, null, null, null, null), ct);
        if (outcome.Succeeded)
        {
            return Redirect("/compliance/roadmap");
        }
        ModelState.AddFailure(outcome.Failure!);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Steps = await roadmap.ListAsync(ct);
        Staff = await directory.StaffAsync(Roles.Staff, ct);
    }
}
