using Certus.Improvement.Contracts;
using Certus.Improvement.Features;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Improvement.Pages.Improvements;

/// <summary>The improvement register and the proposal form.</summary>
[RequirePermission(ImprovementPermissions.Read)]
public sealed class IndexModel(Features.Improvements improvements, ICurrentUser caller) : PageModel
{
    [BindProperty]
    public Features.Improvements.Request Input { get; set; } = new(null, null, null, null);

    public IReadOnlyList<ImprovementView> All { get; private set; } = [];

    public bool CanPropose => caller.HasPermission(ImprovementPermissions.Propose);

    public async Task OnGetAsync(CancellationToken ct) => All = await improvements.ListAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanPropose)
        {
            return Forbid();
        }
        var outcome = await improvements.CreateAsync(Input, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/improvements/{outcome.Value!.Id}");
        }
        ModelState.AddFailure(outcome.Failure!);
        All = await improvements.ListAsync(ct);
        return Page();
    }
}
