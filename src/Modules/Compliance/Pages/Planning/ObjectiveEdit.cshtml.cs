using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Compliance.Pages.Planning;

/// <summary>Changes an objective; the version read guards against overwriting someone else's change.</summary>
[RequirePermission(CompliancePermissions.Manage)]
public sealed class ObjectiveEditModel(Objectives objectives, ObjectiveValues values, IDirectory directory, IStringLocalizer<PlanningStrings> text) : PageModel
{
    [BindProperty]
    public Objectives.Request Input { get; set; } = new(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    [BindProperty]
    public int Version { get; set; }

    public ObjectiveView Objective { get; private set; } = null!;

    public ObjectiveFields Fields { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await objectives.GetAsync(id, withValues: false, ct) is not { } o)
        {
            return NotFound();
        }
        Input = new Objectives.Request(o.TitleEn, o.TitleZh, o.Description, o.OwnerId, o.Process, o.MeasureKey, o.ManualMeasure, o.ManualUnit, o.Target,
            o.Direction, o.Period, o.PlanActions, o.PlanResources, o.PlanResponsibleId, o.PlanDueOn, o.PlanEvaluation);
        Version = o.Version;
        await LoadAsync(o, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var outcome = await objectives.UpdateAsync(id, Version, Input with { Direction = string.IsNullOrEmpty(Input.Direction) ? null : Input.Direction }, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/compliance/objectives/{id}");
        }
        if (await objectives.GetAsync(id, withValues: false, ct) is not { } o)
        {
            return NotFound();
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        await LoadAsync(o, ct);
        return Page();
    }

    private async Task LoadAsync(ObjectiveView o, CancellationToken ct)
    {
        Objective = o;
        Fields = new ObjectiveFields(Input, await directory.StaffAsync(Roles.Staff, ct), values.Options());
    }
}
