using Certus.Kernel.Security;
using Certus.Problems.Contracts;
using Certus.Problems.Features;
using Certus.Releases.Contracts;
using Microsoft.AspNetCore.Mvc;

namespace Certus.Problems.Components;

/// <summary>Registers the problem panel on the release page.</summary>
public sealed class ReleaseProblemsPanel : IReleasePanel
{
    public string Component => "ReleaseProblems";

    public int Order => 50;
}

/// <summary>
/// The problems and known errors a release closes (manual §9.1.2), read live from the problems its changes are linked
/// to: each is resolved, and its known error marked fixed, when its change is implemented, which for a release's change
/// is when the release completes (§9.1.7). Provider staff who read problems; nothing when no change fixes one.
/// </summary>
public sealed class ReleaseProblemsViewComponent(ProblemQueries queries, ICurrentUser caller) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid releaseId, IReadOnlyList<Guid> changeIds)
    {
        if (!caller.IsProviderStaff || !caller.HasPermission(ProblemPermissions.Read))
        {
            return Content("");
        }
        var fixes = await queries.FixedByAsync(changeIds, HttpContext.RequestAborted);
        return fixes.Count == 0 ? Content("") : View(fixes);
    }
}
