using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Certus.Problems.Contracts;
using Certus.Problems.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Problems.Pages.Problems;

/// <summary>
/// The known-error database the service desk searches (manual §7.2.2): title, symptoms, root cause and workaround, by
/// service and CI; active known errors by default, fixed ones on request.
/// </summary>
[RequirePermission(ProblemPermissions.Read)]
public sealed class KnownErrorsModel(KnownErrors known, IEnumerable<IServiceLookup> services, ICurrentUser caller) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Service { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Ci { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public IReadOnlyList<KnownErrorView> Results { get; private set; } = [];

    public IReadOnlyList<ServiceOption> ServiceOptions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!caller.IsProviderStaff)
        {
            return Forbid();
        }
        Status = KnownErrors.Statuses.Contains(Status ?? "", StringComparer.Ordinal) ? Status : "active";
        Results = await known.SearchAsync(new KnownErrors.Query(Q, Service, Ci, Status, 100), ct);
        if (services.FirstOrDefault() is { } lookup)
        {
            ServiceOptions = await lookup.ForOrganisationAsync(null, ct);
        }
        return Page();
    }
}
