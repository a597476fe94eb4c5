using Certus.Changes.Contracts;
using Certus.Kernel.Security;
using Certus.Releases.Contracts;
using Certus.Releases.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Certus.Releases.Pages.Releases;

/// <summary>Plans a new release under its service's policy.</summary>
[RequirePermission(ReleasePermissions.Manage)]
public sealed class NewModel(PlanRelease plan, ReleasePolicies policies, IChangeRecords changes, IStringLocalizer<Strings> text) : ReleaseFormPage(changes)
{
    public override bool IsNew => true;

    public async Task OnGetAsync(string? service, CancellationToken ct)
    {
        Input.ServiceCode = service;
        await LoadAsync(ct);
        Input.Type ??= Policies.FirstOrDefault(p => string.Equals(p.ServiceCode, service, StringComparison.OrdinalIgnoreCase))?.Types is [var first, ..] ? first.Key : null;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var i = Input;
        var outcome = await plan.CreateAsync(new PlanRelease.CreateRequest(
            i.ServiceCode, i.Type, i.Title, i.Description, Show.Parse(i.PlannedStart), Show.Parse(i.PlannedEnd), i.Deliverables, i.SiteActivities,
            i.BackOutPlan, i.AcceptanceCriteria, i.Communication, i.Risks, i.ProblemsClosed, null, Show.Lines(i.Changes), i.ParsedItems()), ct: ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Release.Created", outcome.Value!.Number, outcome.Value.Identifier].Value;
            return Redirect($"/releases/{outcome.Value.Id}");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Policies = await policies.ListAsync(ct);
        await LoadChoicesAsync(ct);
    }
}
