using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.ServiceLevels.Pages.Agreements;

/// <summary>Drafts an agreement with its first version's terms.</summary>
[RequirePermission(ServiceLevelPermissions.Manage)]
public sealed class NewModel(
    Features.Agreements agreements, ServicePortfolio portfolio, CalendarQueries calendars, IDirectory directory, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty]
    public string Kind { get; set; } = "sla";

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public Guid? ServiceId { get; set; }

    [BindProperty]
    public Guid? OrganisationId { get; set; }

    [BindProperty]
    public Guid? GroupId { get; set; }

    [BindProperty]
    public string? Supplier { get; set; }

    [BindProperty]
    public TermsForm Terms { get; set; } = new();

    public IReadOnlyList<ServiceView> Services { get; private set; } = [];

    public IReadOnlyList<OrganisationSummary> Customers { get; private set; } = [];

    public IReadOnlyList<GroupSummary> Groups { get; private set; } = [];

    public IReadOnlyList<CalendarSummary> Calendars { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            var outcome = await agreements.CreateAsync(
                new Features.Agreements.CreateRequest(Kind, Title, ServiceId, OrganisationId, GroupId, Supplier, null, Terms.ToTerms()), ct);
            if (outcome.Succeeded)
            {
                return Redirect($"/service-levels/agreements/{outcome.Value!.Id}");
            }
            ModelState.AddOutcome(outcome.Failure!, text, prefix: "");
            TermsForm.PrefixErrors(ModelState);
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Services = await portfolio.ListAsync(ct: ct);
        Customers = [.. (await directory.OrganisationsAsync(ct)).Where(o => o.Kind == OrganisationKind.Customer)];
        Groups = await directory.ProviderGroupsAsync(ct);
        Calendars = await calendars.ListAsync(ct);
    }
}
