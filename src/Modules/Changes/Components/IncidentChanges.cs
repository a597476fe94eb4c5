using Certus.Changes.Contracts;
using Certus.Changes.Features;
using Certus.Configuration.Contracts;
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

/// <summary>
/// What the panel shows: the incident, its CI, the changes raised from it, the changes carried out on its CI in the last
/// <see cref="IncidentChangesViewComponent.RecentDays"/> days, and whether the caller may raise one.
/// </summary>
public sealed record IncidentChangesView(string IncidentNumber, string? CiRef, IReadOnlyList<ChangeRow> Changes, IReadOnlyList<ChangeRow> Recent, bool CanRaise);

/// <summary>
/// The requests for change raised from an incident, and a button to raise one prefilled with the incident and its CI
/// (manual §8.2.1: changes are raised from incidents and problems as well as directly). For the provider's staff, also
/// the changes recently carried out on the incident's CI, the first suspects of a failure, and what a post-implementation
/// review later records as incidents caused.
/// </summary>
public sealed class IncidentChangesViewComponent(ChangeQueries queries, IConfigurationRecords cmdb, ICurrentUser caller, TimeProvider clock) : ViewComponent
{
    public const int RecentDays = 7;

    public async Task<IViewComponentResult> InvokeAsync(string incidentNumber, string? ciRef)
    {
        if (!caller.HasPermission(ChangePermissions.Read))
        {
            return Content("");
        }
        var ct = HttpContext.RequestAborted;
        var ci = string.IsNullOrWhiteSpace(ciRef) ? null : ciRef.Trim();
        var changes = await queries.RaisedFromAsync("incident", incidentNumber, ct);
        IReadOnlyList<ChangeRow> recent = [];
        if (ci is not null && caller.IsProviderStaff && (await cmdb.FindAsync([ci], ct)) is [var found, ..])
        {
            recent = await queries.CarriedOutOnAsync(found.Id, clock.GetUtcNow().AddDays(-RecentDays), 5, ct);
        }
        var canRaise = caller.IsProviderStaff && caller.HasPermission(ChangePermissions.Request);
        return changes.Count == 0 && recent.Count == 0 && !canRaise
            ? Content("")
            : View(new IncidentChangesView(incidentNumber, ci, changes, recent, canRaise));
    }
}
