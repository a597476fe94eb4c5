using Certus.Kernel;
using Certus.Kernel.Security;
using Certus.Releases.Contracts;
using Certus.Releases.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Releases.Pages.Releases;

/// <summary>The releases, newest first, filtered by state, service or text.</summary>
[RequirePermission(ReleasePermissions.Read)]
public sealed class IndexModel(ReleaseQueries queries, ReleasePolicies policies, ICurrentUser caller) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? State { get; set; } = "open";

    [BindProperty(SupportsGet = true)]
    public string? Service { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Page<ReleaseSummary> Releases { get; private set; } = new([], 0, 1, 50);

    public IReadOnlyList<PolicyView> Policies { get; private set; } = [];

    public bool CanManage => caller.HasPermission(ReleasePermissions.Manage);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Policies = await policies.ListAsync(ct);
        Releases = await queries.ListAsync(new ReleaseQueries.ListQuery(State == "all" ? null : State, Service, Q, PageNumber, 50), ct);
    }
}
