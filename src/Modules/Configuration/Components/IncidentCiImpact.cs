using Certus.Configuration.Contracts;
using Certus.Configuration.Domain;
using Certus.Configuration.Features;
using Certus.Incidents.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;

namespace Certus.Configuration.Components;

/// <summary>Registers the CI impact panel on the incident page.</summary>
public sealed class IncidentCiImpactPanel : IIncidentPanel
{
    public string Component => "IncidentCiImpact";

    public int Order => 100;
}

/// <summary>What the panel shows: the CI the incident names (null when the CMDB has no such CI) and what its failure puts at risk.</summary>
public sealed record IncidentCiImpactView(string CiRef, CiView? Ci, ImpactAnalysis.Result? Impact);

/// <summary>
/// The services and customers an incident's CI puts at risk (with their SLAs), from impact analysis at the default
/// depth, so that the desk sees within a second who a failing switch takes down (ISO/IEC 20000-1:2018 8.6.1).
/// </summary>
public sealed class IncidentCiImpactViewComponent(ConfigurationItems items, ImpactAnalysis impact, ICurrentUser caller) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid incidentId, string? ciRef, string? serviceRef)
    {
        _ = (incidentId, serviceRef);
        if (string.IsNullOrWhiteSpace(ciRef) || !caller.HasPermission(ConfigurationPermissions.Read))
        {
            return Content("");
        }
        var ct = HttpContext.RequestAborted;
        // Scoped like every CMDB read: a customer finds only the CIs serving their organisation.
        if (await items.FindAsync(ciRef, ct) is not { } ci)
        {
            return caller.IsProviderStaff ? View(new IncidentCiImpactView(ciRef.Trim(), null, null)) : Content("");
        }
        var result = await impact.HandleAsync(ci.Id, ImpactAnalysis.DefaultDepth, WalkDirection.Impact, ct);
        return View(new IncidentCiImpactView(ciRef.Trim(), ci, result));
    }
}
