using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.ServiceLevels.Pages.Projects;

[RequirePermission(ServiceLevelPermissions.Read)]
public sealed class IndexModel(ServiceProjects projects, ICurrentUser caller) : PageModel
{
    public IReadOnlyList<ProjectView> Projects { get; private set; } = [];

    public bool CanManage => caller.HasPermission(ServiceLevelPermissions.Manage);

    public async Task OnGetAsync(CancellationToken ct) => Projects = await projects.ListAsync(ct: ct);
}
