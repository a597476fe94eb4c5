using Certus.Incidents.Contracts;
using Certus.Incidents.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;

namespace Certus.Incidents.Components;

/// <summary>The home page's service desk tiles: open incidents per queue.</summary>
public sealed class IncidentQueueCountsViewComponent(IncidentQueries queries, ICurrentUser caller) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (!caller.HasPermission(IncidentPermissions.Read))
        {
            return Content("");
        }
        var counts = await queries.CountsAsync(HttpContext.RequestAborted);
        var shown = caller.IsProviderStaff ? counts : counts.Where(c => c.Key == "open").ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        return View(shown);
    }
}
