using Certus.Changes.Contracts;
using Certus.Kernel.Security;
using Certus.Releases.Contracts;
using Certus.Releases.Domain;
using Certus.Releases.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Certus.Releases.Pages.Releases;

/// <summary>Edits a release's plan (until accepted) and, while it is planned, the changes and CIs it carries.</summary>
[RequirePermission(ReleasePermissions.Manage)]
public sealed class EditModel(PlanRelease plan, ReleaseQueries queries, IChangeRecords changes, IStringLocalizer<Strings> text) : ReleaseFormPage(changes)
{
    public ReleaseView Release { get; private set; } = null!;

    [BindProperty]
    public int Version { get; set; }

    public override bool IsNew => false;

    public override bool ContentEditable => ReleaseLifecycle.ContentEditable(ReleaseNames.ParseState(Release.State) ?? ReleaseState.Closed);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await queries.GetAsync(id, ct) is not { } release)
        {
            return NotFound();
        }
        Release = release;
        Version = release.Version;
        Input = ReleaseInput.From(release);
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await queries.GetAsync(id, ct) is not { } release)
        {
            return NotFound();
        }
        Release = release;
        var i = Input;
        var content = ContentEditable;
        var outcome = await plan.UpdateAsync(id, Version, new PlanRelease.UpdateRequest(
            i.Title ?? "", i.Description ?? "", Show.Parse(i.PlannedStart), Show.Parse(i.PlannedEnd), i.Deliverables ?? "", i.SiteActivities ?? "",
            i.BackOutPlan ?? "", i.AcceptanceCriteria ?? "", i.Communication ?? "", i.Risks ?? "", i.ProblemsClosed ?? "", null,
            content ? Show.Lines(i.Changes) : null, content ? i.ParsedItems() : null, i.Reason), ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Release.Saved", outcome.Value!.Number].Value;
            return Redirect($"/releases/{id}");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        await LoadChoicesAsync(ct);
        return Page();
    }
}
