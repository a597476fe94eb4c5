using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc;

namespace Certus.ServiceLevels.Components;

/// <summary>
/// The SLA panel on the incident page: each clock's agreement, state, due time, business time used and left, and why
/// it has the target it has. Incident management renders it through <c>IIncidentSla.PanelComponent</c>.
/// </summary>
public sealed class IncidentSlaViewComponent(IncidentSla sla, ICurrentUser caller) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid incidentId)
    {
        // The incident page has already checked that the caller may see the incident.
        if (!caller.HasPermission(ServiceLevelPermissions.Read) || await sla.ViewAsync(incidentId, HttpContext.RequestAborted) is not { } view)
        {
            return Content("");
        }
        // A customer sees the clocks of their own SLA, not the provider's internal OLAs and contracts.
        var clocks = caller.IsProviderStaff ? view.Clocks : [.. view.Clocks.Where(c => c.Agreement.Kind == "sla")];
        return clocks.Count == 0 ? Content("") : View(view with { Clocks = clocks });
    }
}
