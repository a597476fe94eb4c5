using Certus.Changes.Contracts;
using Certus.Changes.Features;
using Certus.Incidents.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;

namespace Certus.Changes.Components;

/// <summary>Registers the change panel on the incident page.</summary>
public sealed class IncidentChangesPanel : IIncidentPanel
{
    public string Component => "IncidentChanges";

    public int Order => 200;
}

/// <summary>What the panel shows: the incident, its CI, the changes raised from it and whether the caller may raise one.</summary>
public sealed record IncidentChangesView(string IncidentNumber, string? CiRef, IReadOnlyList<ChangeRow> Changes, bool CanRaise);

/// <summary>
/// The requests for change raised from an incident, and a button to raise one prefilled with the incident and its CI
/// (manual §8.2.1: changes are raised from incidents and problems as well as directly).
/// </summary>
public sealed class IncidentChangesViewComponent(ChangeQueries queries, ICurrentUser caller) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string incidentNumber, string? ciRef)
    {
        if (!caller.HasPermission(ChangePermissions.Read))
        {
            return Content("");
        }
        var changes = await queries.RaisedFromAsync("incident", incidentNumber, HttpContext.RequestAborted);
        var canRaise = caller.IsProviderStaff && caller.HasPermission(ChangePermissions.Request);
        return changes.Count == 0 && !canRaise
            ? Content("")
            : View(new IncidentChangesView(incidentNumber, string.IsNullOrWhiteSpace(ciRef) ? null : ciRef.Trim(), changes, canRaise));
    }
}
