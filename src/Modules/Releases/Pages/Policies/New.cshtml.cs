using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Certus.Releases.Contracts;
using Certus.Releases.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Certus.Releases.Pages.Policies;

/// <summary>Defines the release policy of a service.</summary>
[RequirePermission(ReleasePermissions.Configure)]
public sealed class NewModel(ReleasePolicies policies, IServiceLookup services, IStringLocalizer<Strings> text) : PolicyFormPage(services)
{
    public override bool IsNew => true;

    public Task OnGetAsync(CancellationToken ct) => LoadServicesAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await policies.CreateAsync(Input.ToRequest(), ct);
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
