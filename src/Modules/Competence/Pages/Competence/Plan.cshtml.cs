using Certus.Competence.Contracts;
using Certus.Competence.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Certus.Kernel.Text;

namespace Certus.Competence.Pages.Competence;

/// <summary>The training plan of a year: its sessions month by month, how far it is done, and a new plan.</summary>
[RequirePermission(CompetencePermissions.Read)]
public sealed class PlanModel(TrainingPlans plans, Sessions sessions, ICurrentUser caller, IStringLocalizer<Strings> text, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Year { get; set; }

    [BindProperty]
    public TrainingPlans.Request Input { get; set; } = new(null, null, null);

    [BindProperty]
    public int Version { get; set; }

    public IReadOnlyList<PlanView> Plans { get; private set; } = [];

    public PlanView? Current { get; private set; }

    /// <summary>Sessions of the year outside the plan (ad hoc).</summary>
    public IReadOnlyList<SessionView> Unplanned { get; private set; } = [];

    public bool CanManage => caller.HasPermission(CompetencePermissions.Manage);

    public string Today { get; } = CalendarDates.Day(clock.GetUtcNow());

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Input = Current is { } p ? new TrainingPlans.Request(p.Year, p.Title, p.Goals) : new TrainingPlans.Request(Year, null, null);
        Version = Current?.Version ?? 0;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var existing = Input.Year is { } y ? await plans.GetAsync(y, ct) : null;
        var outcome = existing is null ? await plans.CreateAsync(Input, ct) : await plans.UpdateAsync(existing.Year, Version, Input, ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Saved"].Value;
            return Redirect($"/competence/plan?year={outcome.Value!.Year}");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        Year = Input.Year ?? Year;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Plans = await plans.ListAsync(ct);
        Year ??= CalendarDates.Year(clock.GetUtcNow());
        Current = Plans.FirstOrDefault(p => p.Year == Year);
        Unplanned = [.. (await sessions.ListAsync(Year, null, ct)).Where(s => !s.InPlan)];
    }
}
