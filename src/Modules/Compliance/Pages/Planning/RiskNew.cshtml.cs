using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Compliance.Pages.Planning;

/// <summary>Records a risk or opportunity with its first assessment.</summary>
[RequirePermission(CompliancePermissions.Manage)]
public sealed class RiskNewModel(Risks risks, IDirectory directory, IEnumerable<IServiceLookup> services, IStringLocalizer<PlanningStrings> text) : PageModel
{
    [BindProperty]
    public Risks.Request Input { get; set; } = new("risk", null, null, "service", null, null, null, null, null, null, null, null, null, null, null);

    /// <summary>Service codes picked (or typed, comma-separated, where no portfolio is there to pick from).</summary>
    [BindProperty]
    public string[]? Services { get; set; }

    public RiskFields Fields { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Fields = await RiskForm.FieldsAsync(Input, directory, services, false, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var request = RiskForm.Normalise(Input, Services);
        var outcome = await risks.CreateAsync(request, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/compliance/risks/{outcome.Value!.Id}");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        Fields = await RiskForm.FieldsAsync(request, directory, services, false, ct);
        return Page();
    }
}

/// <summary>What the new and edit pages share: the choices of the form and how its fields come back.</summary>
internal static class RiskForm
{
    public static async Task<RiskFields> FieldsAsync(Risks.Request input, IDirectory directory, IEnumerable<IServiceLookup> services, bool accepted, CancellationToken ct) =>
        new(input, await directory.StaffAsync(Roles.Staff, ct),
            services.FirstOrDefault() is { } lookup ? await lookup.ForOrganisationAsync(null, ct) : [], accepted);

    /// <summary>Empty selects posted as "" mean none; typed services are split on commas.</summary>
    public static Risks.Request Normalise(Risks.Request input, string[]? services) => input with
    {
        Treatment = string.IsNullOrEmpty(input.Treatment) ? null : input.Treatment,
        Services = [.. (services ?? []).SelectMany(s => s.Split([',', '，', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
    };
}
