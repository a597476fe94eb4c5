using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Domain;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.ServiceLevels.Pages.Projects;

/// <summary>What the new and edit pages of a service project share.</summary>
public abstract class ProjectFormModel(ServiceProjects projects, ServicePortfolio portfolio, IDirectory directory, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty]
    public ServiceProjects.Request Input { get; set; } = new(null, null, null, null, null, null, null, [], []);

    public IReadOnlyList<UserSummary> Managers { get; private set; } = [];

    public IReadOnlyList<OrganisationSummary> Customers { get; private set; } = [];

    public IReadOnlyList<ServiceView> Services { get; private set; } = [];

    public virtual bool CustomerFixed => false;

    /// <summary>The process table as the input has it.</summary>
    public IReadOnlyList<ProcessChoice> Choices =>
    [
        .. ServiceProcesses.Mandatory.Select(p => new ProcessChoice(p, true, true)),
        .. ServiceProcesses.Optional.Select(p => new ProcessChoice(p, (Input.Processes ?? []).Contains(p, StringComparer.Ordinal), false)),
    ];

    protected ServiceProjects Projects => projects;

    protected async Task LoadChoicesAsync(CancellationToken ct)
    {
        Managers = await directory.StaffAsync(Roles.Staff, ct);
        Customers = [.. (await directory.OrganisationsAsync(ct)).Where(o => o.Kind == OrganisationKind.Customer)];
        Services = await portfolio.ListAsync(ct: ct);
    }

    protected async Task<IActionResult> AfterAsync(Outcome<ProjectView> outcome, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            return Redirect($"/service-levels/projects/{outcome.Value!.Id}");
        }
        if (outcome.Failure!.Kind == FailureKind.NotFound)
        {
            return NotFound();
        }
        ModelState.AddOutcome(outcome.Failure, text);
        await LoadChoicesAsync(ct);
        return Page();
    }
}

[RequirePermission(ServiceLevelPermissions.Manage)]
public sealed class NewModel(ServiceProjects projects, ServicePortfolio portfolio, IDirectory directory, IStringLocalizer<Strings> text)
    : ProjectFormModel(projects, portfolio, directory, text)
{
    public async Task OnGetAsync(CancellationToken ct) => await LoadChoicesAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            await LoadChoicesAsync(ct);
            return Page();
        }
        return await AfterAsync(await Projects.CreateAsync(Input, ct), ct);
    }
}

[RequirePermission(ServiceLevelPermissions.Manage)]
public sealed class EditModel(ServiceProjects projects, ServicePortfolio portfolio, IDirectory directory, IStringLocalizer<Strings> text)
    : ProjectFormModel(projects, portfolio, directory, text)
{
    [BindProperty]
    public int Version { get; set; }

    public override bool CustomerFixed => true;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await Projects.GetAsync(id, ct) is not { } p)
        {
            return NotFound();
        }
        Version = p.Version;
        Input = new ServiceProjects.Request(p.Code, p.Name, p.OrganisationId, p.ManagerId, p.ContractRef, p.StartsOn, p.EndsOn, p.Processes, p.ServiceIds);
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            await LoadChoicesAsync(ct);
            return Page();
        }
        return await AfterAsync(await Projects.UpdateAsync(id, Version, Input, ct), ct);
    }
}
