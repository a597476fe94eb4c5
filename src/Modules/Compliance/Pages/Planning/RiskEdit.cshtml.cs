using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Compliance.Pages.Planning;

/// <summary>Changes a risk's assessment or treatment: managers and the risk's owner.</summary>
[RequirePermission(CompliancePermissions.PlanningRead)]
public sealed class RiskEditModel(Risks risks, IDirectory directory, IEnumerable<IServiceLookup> services, IStringLocalizer<PlanningStrings> text) : PageModel
{
    [BindProperty]
    public Risks.Request Input { get; set; } = new(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    [BindProperty]
    public string[]? Services { get; set; }

    [BindProperty]
    public int Version { get; set; }

    public RiskView Risk { get; private set; } = null!;

    public RiskFields Fields { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await risks.GetAsync(id, ct) is not { } r)
        {
            return NotFound();
        }
        if (!risks.CanWork(r))
        {
            return Forbid();
        }
        Input = new Risks.Request(r.Kind, r.Title, r.Description, r.Category, r.Cause, r.Consequence, r.Services, r.OwnerId, r.Likelihood, r.Impact, r.Treatment,
            r.TreatmentPlan, r.ResidualLikelihood, r.ResidualImpact, r.ReviewOn);
        Version = r.Version;
        Risk = r;
        Fields = await RiskForm.FieldsAsync(Input, directory, services, r.Treatment == Domain.RiskLifecycle.AcceptTreatment, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await risks.GetAsync(id, ct) is not { } r)
        {
            return NotFound();
        }
        if (!risks.CanWork(r))
        {
            return Forbid();
        }
        var request = RiskForm.Normalise(Input, Services);
        var outcome = await risks.UpdateAsync(id, Version, request, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/compliance/risks/{id}");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        Risk = r;
        Fields = await RiskForm.FieldsAsync(request, directory, services, r.Treatment == Domain.RiskLifecycle.AcceptTreatment, ct);
        return Page();
    }
}
