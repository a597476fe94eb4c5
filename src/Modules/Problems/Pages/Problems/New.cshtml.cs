using Certus.Configuration.Contracts;
using Certus.Identity.Contracts;
using Certus.Incidents.Contracts;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Certus.Problems.Contracts;
using Certus.Problems.Domain;
using Certus.Problems.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Certus.Problems.Pages.Problems;

/// <summary>
/// Records a problem. Raised from an incident (<c>?incident=INC-000042</c>) the form takes the incident's title, service,
/// CI and priority, its source (major incident or incident) and links it; raised from a trend (<c>?source=trend</c>) it
/// takes the CI or service and the incidents of the trend.
/// </summary>
[RequirePermission(ProblemPermissions.Raise)]
public sealed class NewModel(
    RaiseProblem raise, IIncidentRecords incidents, IConfigurationRecords cmdb, IDirectory directory, IEnumerable<IServiceLookup> services, IEnumerable<ICiLookup> cis,
    ICurrentUser caller, IStringLocalizer<Strings> text)
    : ProblemFormModel(directory, services, cis, caller, text)
{
    public override bool IsNew => true;

    public async Task<IActionResult> OnGetAsync(
        string? incident, string? source, string? @ref, string? ci, string? service, string? title, [FromQuery(Name = "incidents")] string? linked, CancellationToken ct)
    {
        if (!Caller.IsProviderStaff)
        {
            return Forbid();
        }
        if (!string.IsNullOrWhiteSpace(incident) && await incidents.FindAsync([incident.Trim()], ct) is [var from, ..])
        {
            Input.Title = from.Title;
            Input.Description = Text["New.FromIncident", from.Number, from.Title].Value;
            Input.Service = from.ServiceRef;
            Input.Priority = from.Priority;
            Input.SourceKind = from.IsMajor ? "major-incident" : "incident";
            Input.SourceRef = from.Number;
            // The incident's CI is free text; only a CI the CMDB knows goes into the form (the description keeps the incident's words).
            if (!string.IsNullOrWhiteSpace(from.CiRef) && await cmdb.FindAsync([from.CiRef], ct) is [var known, ..])
            {
                Input.Cis.Add(known.Identifier);
            }
        }
        else if (!string.IsNullOrWhiteSpace(source) && ProblemNames.SourceKinds.Contains(source.Trim().ToLowerInvariant(), StringComparer.Ordinal))
        {
            Input.SourceKind = source.Trim().ToLowerInvariant();
            Input.SourceRef = string.IsNullOrWhiteSpace(@ref) ? null : @ref.Trim();
            Input.Service = string.IsNullOrWhiteSpace(service) ? null : service.Trim();
            Input.Title = string.IsNullOrWhiteSpace(title) ? null : title.Trim();
            Input.Incidents = linked;
            if (!string.IsNullOrWhiteSpace(ci))
            {
                Input.Cis.Add(ci.Trim());
            }
        }
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!Caller.HasPermission(ProblemPermissions.Raise))
        {
            return Forbid();
        }
        return await AfterAsync(await raise.CreateAsync(Input.ToRequest(true), null, ct), ct);
    }
}
