using Certus.Identity.Contracts;
using Certus.Incidents.Contracts;
using Certus.Incidents.Features;
using Certus.Kernel.Http;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Incidents.Pages.Incidents;

[RequirePermission(IncidentPermissions.Create)]
public sealed class NewModel(
    LogIncident log, IncidentSettings settings, IDirectory directory, ICurrentUser caller, IEnumerable<IServiceLookup> serviceLookups,
    IEnumerable<ICiLookup> ciLookups, IStringLocalizer<Strings> text)
    : PageModel
{
    [BindProperty]
    public LogIncident.Request Input { get; set; } = new(null, Channel: "phone", Impact: "medium", Urgency: "medium");

    /// <summary>How many CIs the CI field suggests; beyond that the field still takes any identifier.</summary>
    public const int CiOptionLimit = 500;

    public bool IsStaff => caller.IsProviderStaff;

    public IReadOnlyList<CategoryView> Categories { get; private set; } = [];

    public IReadOnlyList<OrganisationSummary> Organisations { get; private set; } = [];

    public IReadOnlyList<GroupSummary> Groups { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    /// <summary>Services to suggest for the service field; null when no portfolio is installed (free text).</summary>
    public IReadOnlyList<ServiceOption>? ServiceOptions { get; private set; }

    /// <summary>CIs to suggest for the CI field; null when no CMDB is installed (free text).</summary>
    public IReadOnlyList<CiOption>? CiOptions { get; private set; }

    public async Task OnGetAsync(Guid? organisationId, CancellationToken ct)
    {
        if (organisationId is not null)
        {
            Input = Input with { OrganisationId = organisationId };
        }
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await log.HandleAsync(Input, ct: ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddFailure(outcome.Failure!);
            await LoadAsync(ct);
            return Page();
        }
        var incident = outcome.Value!.Incident;
        TempData["Flash"] = text["Incidents.Logged", incident.Number].Value;
        return Redirect($"/incidents/{incident.NumberValue}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Categories = await settings.CategoriesAsync(ct);
        if (ciLookups.FirstOrDefault() is { } cis)
        {
            CiOptions = await cis.SuggestAsync(null, CiOptionLimit, ct);
        }
        if (!IsStaff)
        {
            return;
        }
        Groups = await directory.ProviderGroupsAsync(ct);
        Staff = await directory.StaffAsync(IncidentRules.Workers, ct);
        Organisations = await directory.OrganisationsAsync(ct);
        if (serviceLookups.FirstOrDefault() is { } lookup)
        {
            ServiceOptions = await lookup.ForOrganisationAsync(Input.OrganisationId, ct);
        }
    }
}
