using Certus.Improvement.Contracts;
using Certus.Improvement.Features;
using Certus.Incidents.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;

namespace Certus.Improvement.Components;

/// <summary>Registers the nonconformity panel on the incident page.</summary>
public sealed class IncidentNonconformitiesPanel : IIncidentPanel
{
    public string Component => "IncidentNonconformities";

    public int Order => 300;
}

/// <summary>What the panel shows: the incident, the nonconformities entered from it, and whether the caller may raise one.</summary>
public sealed record IncidentNonconformitiesView(string IncidentNumber, IReadOnlyList<NonconformityView> Nonconformities, bool CanRaise);

/// <summary>
/// The nonconformities entered from an incident, and a way to raise one with the incident as its source
/// (ISO/IEC 20000-1:2018 10.1; manual §3.4.5: nonconformities come from incidents as well as audits and complaints).
/// Staff only: customers never see the register.
/// </summary>
public sealed class IncidentNonconformitiesViewComponent(Nonconformities nonconformities, ICurrentUser caller) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string incidentNumber)
    {
        if (!caller.IsProviderStaff || !caller.HasPermission(ImprovementPermissions.Read))
        {
            return Content("");
        }
        var raised = await nonconformities.ListAsync(null, "incident", incidentNumber, HttpContext.RequestAborted);
        var canRaise = caller.HasPermission(ImprovementPermissions.Manage);
        return raised.Count == 0 && !canRaise ? Content("") : View(new IncidentNonconformitiesView(incidentNumber, raised, canRaise));
    }
}
