using Certus.Changes.Contracts;
using Certus.Changes.Domain;
using Certus.Changes.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Certus.Changes.Pages.Changes;

/// <summary>Edits a change while it is a draft or only submitted.</summary>
[RequirePermission(ChangePermissions.Request)]
public sealed class EditModel(
    RequestChange change, ChangeQueries queries, ChangeSettings settings, IDirectory directory, IEnumerable<IServiceLookup> services,
    IEnumerable<ICiLookup> cis, ICurrentUser caller, IStringLocalizer<Strings> text)
    : ChangeFormModel(settings, directory, services, cis, caller, text)
{
    public override bool IsNew => false;

    [BindProperty]
    public int Version { get; set; }

    public ChangeView Change { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken ct)
    {
        if (await queries.GetAsync(reference, ct) is not { } found)
        {
            return NotFound();
        }
        if (!ChangeLifecycle.IsEditable(found.ParsedState))
        {
            return Redirect($"/changes/{found.Number}");
        }
        Change = found;
        Version = found.Version;
        Input = ChangeInput.From(found);
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string reference, CancellationToken ct)
    {
        if (await queries.GetAsync(reference, ct) is not { } found)
        {
            return NotFound();
        }
        Change = found;
        if (!Caller.HasPermission(ChangePermissions.Request))
        {
            return Forbid();
        }
        return await AfterAsync(await change.UpdateAsync(found.Id, Version, Input.ToRequest(), ct), ct);
    }
}
