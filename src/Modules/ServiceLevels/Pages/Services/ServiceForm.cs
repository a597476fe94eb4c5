using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.ServiceLevels.Pages.Services;

/// <summary>What the new and edit pages of a service share: the input, the pickers, and how a refusal shows.</summary>
public abstract class ServiceFormModel(ServicePortfolio portfolio, IDirectory directory, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty]
    public ServicePortfolio.Request Input { get; set; } = new(null, null, null, null, null, null, "proposed", null, []);

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public IReadOnlyList<OrganisationSummary> Customers { get; private set; } = [];

    protected ServicePortfolio Portfolio => portfolio;

    protected async Task LoadChoicesAsync(CancellationToken ct)
    {
        Staff = await directory.StaffAsync(Roles.Staff, ct);
        Customers = [.. (await directory.OrganisationsAsync(ct)).Where(o => o.Kind == OrganisationKind.Customer)];
    }

    protected async Task<IActionResult> AfterAsync(Certus.Kernel.Errors.Outcome<ServiceView> outcome, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            return Redirect($"/services/{outcome.Value!.Id}");
        }
        if (outcome.Failure!.Kind == Certus.Kernel.Errors.FailureKind.NotFound)
        {
            return NotFound();
        }
        ModelState.AddOutcome(outcome.Failure, text);
        await LoadChoicesAsync(ct);
        return Page();
    }
}

[RequirePermission(ServiceLevelPermissions.Portfolio)]
public sealed class NewModel(ServicePortfolio portfolio, IDirectory directory, IStringLocalizer<Strings> text) : ServiceFormModel(portfolio, directory, text)
{
    public async Task OnGetAsync(CancellationToken ct) => await LoadChoicesAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            await LoadChoicesAsync(ct);
            return Page();
        }
        return await AfterAsync(await Portfolio.CreateAsync(Input, ct), ct);
    }
}

[RequirePermission(ServiceLevelPermissions.Portfolio)]
public sealed class EditModel(ServicePortfolio portfolio, IDirectory directory, IStringLocalizer<Strings> text) : ServiceFormModel(portfolio, directory, text)
{
    [BindProperty]
    public int Version { get; set; }

    public Guid Id { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await Portfolio.GetAsync(id, ct) is not { } s)
        {
            return NotFound();
        }
        Id = id;
        Version = s.Version;
        Input = new ServicePortfolio.Request(s.Code, s.NameEn, s.NameZh, s.DescriptionEn, s.DescriptionZh, s.OwnerId, s.Lifecycle, s.ServiceHours, s.CustomerIds);
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        Id = id;
        if (!ModelState.IsValid)
        {
            await LoadChoicesAsync(ct);
            return Page();
        }
        return await AfterAsync(await Portfolio.UpdateAsync(id, Version, Input, ct), ct);
    }
}
