using Certus.Kernel.Security;
using Certus.Releases.Contracts;
using Certus.Releases.Features;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Releases.Pages.Policies;

/// <summary>The release policy of each service (manual §9.1.1).</summary>
[RequirePermission(ReleasePermissions.Read)]
public sealed class IndexModel(ReleasePolicies policies, ICurrentUser caller) : PageModel
{
    public IReadOnlyList<PolicyView> All { get; private set; } = [];

    public bool CanConfigure => caller.HasPermission(ReleasePermissions.Configure);

    public async Task OnGetAsync(CancellationToken ct) => All = await policies.ListAsync(ct);
}
