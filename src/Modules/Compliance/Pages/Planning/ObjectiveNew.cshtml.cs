using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Compliance.Pages.Planning;

/// <summary>Sets a new objective: what, who, measured how, against which target, and the plan to reach it.</summary>
[RequirePermission(CompliancePermissions.Manage)]
public sealed class ObjectiveNewModel(Objectives objectives, ObjectiveValues values, IDirectory directory, IStringLocalizer<PlanningStrings> text) : PageModel
{
    [BindProperty]
    public Objectives.Request Input { get; set; } = new(null, null, null, null, "sms", null, null, null, null, null, "quarter", null, null, null, null, null);

    public ObjectiveFields Fields { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await objectives.CreateAsync(Input with { Direction = string.IsNullOrEmpty(Input.Direction) ? null : Input.Direction }, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/compliance/objectives/{outcome.Value!.Id}");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) => Fields = new ObjectiveFields(Input, await directory.StaffAsync(Roles.Staff, ct), values.Options());
}
