using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Compliance.Pages.Planning;

/// <summary>The objectives with their value this period against the target (6.2.1 monitored), for every member of staff.</summary>
[RequirePermission(CompliancePermissions.PlanningRead)]
public sealed class ObjectivesModel(Objectives objectives, ICurrentUser caller) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public IReadOnlyList<ObjectiveView> List { get; private set; } = [];

    public bool CanManage => caller.HasPermission(CompliancePermissions.Manage);

    public int Count(string result) => List.Count(o => o.Status == "active" && o.Current?.Result == result);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Status = Status is "retired" or "all" ? Status : "active";
        List = await objectives.ListAsync(Status, withValues: true, ct);
    }
}
