using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Certus.Releases.Contracts;
using Certus.Releases.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Certus.Releases.Pages.Policies;

/// <summary>A service's release policy; those who may not configure policies read it here.</summary>
[RequirePermission(ReleasePermissions.Read)]
public sealed class EditModel(ReleasePolicies policies, IServiceLookup services, ICurrentUser caller, IStringLocalizer<Strings> text) : PolicyFormPage(services)
{
    public PolicyView Policy { get; private set; } = null!;

    [BindProperty]
    public int Version { get; set; }

    public override bool IsNew => false;

    public bool CanConfigure => caller.HasPermission(ReleasePermissions.Configure);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await policies.GetAsync(id, ct) is not { } policy)
        {
            return NotFound();
        }
        Policy = policy;
        Version = policy.Version;
        Input = PolicyInput.From(policy);
        await LoadServicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!CanConfigure)
        {
            return Forbid();
        }
        if (await policies.GetAsync(id, ct) is not { } policy)
        {
            return NotFound();
        }
        Policy = policy;
        var outcome = await policies.UpdateAsync(id, Version, Input.ToRequest(), ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Policy.Saved", outcome.Value!.Name].Value;
            return Redirect("/releases/policies");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        await LoadServicesAsync(ct);
        return Page();
    }
}
