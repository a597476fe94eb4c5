using Certus.Changes.Contracts;
using Certus.Changes.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Certus.Changes.Pages.Changes;

/// <summary>
/// Raises a request for change: the type first, then for a standard change its template (whose plans the form copies),
/// otherwise the affected CIs and services, the risk questionnaire and the plans. Prefilled when raised from an incident.
/// </summary>
[RequirePermission(ChangePermissions.Request)]
public sealed class NewModel(
    RequestChange change, ChangeSettings settings, IDirectory directory, IEnumerable<IServiceLookup> services, IEnumerable<ICiLookup> cis,
    ICurrentUser caller, IStringLocalizer<Strings> text)
    : ChangeFormModel(settings, directory, services, cis, caller, text)
{
    public override bool IsNew => true;

    public async Task<IActionResult> OnGetAsync(string? type, Guid? template, string? source, string? @ref, string? ci, CancellationToken ct)
    {
        if (!Caller.IsProviderStaff)
        {
            return Forbid();
        }
        Input.Type = type;
        if (!string.IsNullOrWhiteSpace(source) && !string.IsNullOrWhiteSpace(@ref))
        {
            Input.SourceKind = source.Trim().ToLowerInvariant();
            Input.SourceRef = @ref.Trim().ToUpperInvariant();
            Input.Reason = Text["New.FromSource", Text[$"Source.{Input.SourceKind}"], Input.SourceRef].Value;
        }
        if (!string.IsNullOrWhiteSpace(ci))
        {
            Input.Cis.Add(ci.Trim());
        }
        await LoadChoicesAsync(ct);
        if (template is { } chosen && Templates.FirstOrDefault(t => t.Id == chosen) is { } picked)
        {
            // The template is the pre-authorised recipe: its plans are copied for the requester to adjust.
            Input.TemplateId = picked.Id;
            Input.Title = picked.Name;
            Input.Description = picked.Description;
            Input.ImplementationPlan = picked.ImplementationPlan;
            Input.BackoutPlan = picked.BackoutPlan;
            Input.TestPlan = picked.TestPlan;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!Caller.HasPermission(ChangePermissions.Request))
        {
            return Forbid();
        }
        return await AfterAsync(await change.CreateAsync(Input.ToRequest(), null, ct), ct);
    }
}
