using Certus.Incidents.Contracts;
using Certus.Kernel.Security;
using Certus.Problems.Contracts;
using Certus.Problems.Features;
using Microsoft.AspNetCore.Mvc;

namespace Certus.Problems.Components;

/// <summary>Registers the problem panel on the incident page; it comes first, since a known workaround restores service soonest.</summary>
public sealed class IncidentProblemsPanel : IIncidentPanel
{
    public string Component => "IncidentProblems";

    public int Order => 50;
}

/// <summary>What the panel shows: the problems the incident is linked to, the known errors matching its CI or service, and what the caller may do.</summary>
public sealed record IncidentProblemsView(
    string IncidentNumber, IReadOnlyList<ProblemView> Linked, IReadOnlyList<KnownErrorView> KnownErrors, bool CanRaise);

/// <summary>
/// The service desk's knowledge at hand (manual §7.2.2): the problems behind an incident, the known errors with their
/// workarounds for its CI or service, and the way to raise a problem or link the incident to one. Provider staff only:
/// customers see nothing of problem management.
/// </summary>
public sealed class IncidentProblemsViewComponent(ProblemQueries queries, ICurrentUser caller) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string incidentNumber, string? ciRef, string? serviceRef)
    {
        if (!caller.IsProviderStaff || !caller.HasPermission(ProblemPermissions.Read))
        {
            return Content("");
        }
        var ct = HttpContext.RequestAborted;
        var linked = await queries.LinkedToAsync(incidentNumber, ct);
        var known = (await queries.MatchingKnownErrorsAsync(ciRef, serviceRef, ct)).Where(k => linked.All(l => l.Id != k.Id)).ToList();
        var canRaise = caller.HasPermission(ProblemPermissions.Raise);
        return linked.Count == 0 && known.Count == 0 && !canRaise
            ? Content("")
            : View(new IncidentProblemsView(incidentNumber, linked, known, canRaise));
    }
}
