using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.ServiceLevels.Pages.Projects;

[RequirePermission(ServiceLevelPermissions.Read)]
public sealed class DetailsModel(ServiceProjects projects, ServicePortfolio portfolio, ICurrentUser caller) : PageModel
{
    public ProjectView Project { get; private set; } = null!;

    public IReadOnlyList<ServiceView> Services { get; private set; } = [];

    public bool CanManage => caller.HasPermission(ServiceLevelPermissions.Manage);

    public bool IsStaff => caller.IsProviderStaff;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await projects.GetAsync(id, ct) is not { } project)
        {
            return NotFound();
        }
        Project = project;
        Services = [.. (await portfolio.ListAsync(ct: ct)).Where(s => project.ServiceIds.Contains(s.Id))];
        return Page();
    }
}
