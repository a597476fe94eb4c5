using Certus.Identity.Contracts;
using Certus.Improvement.Contracts;
using Certus.Improvement.Domain;
using Certus.Improvement.Features;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Improvement.Pages.Nonconformities;

/// <summary>The nonconformity register: the list by status or source, and raising one by hand.</summary>
[RequirePermission(ImprovementPermissions.Read)]
public sealed class IndexModel(Features.Nonconformities nonconformities, IDirectory directory, ICurrentUser caller) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Source { get; set; }

    [BindProperty]
    public Features.Nonconformities.Request Input { get; set; } = new(null, null, null, null, null, null, null, null, null);

    public IReadOnlyList<NonconformityView> All { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public bool CanManage => caller.HasPermission(ImprovementPermissions.Manage);

    /// <summary>
    /// <c>?raise=incident&amp;ref=INC-000123</c> (from the incident page) opens the form with the source filled in.
    /// </summary>
    public async Task OnGetAsync(string? raise, string? @ref, CancellationToken ct)
    {
        if (raise is not null && NcNames.ManualSources.Contains(raise, StringComparer.Ordinal))
        {
            Input = Input with { Kind = "nonconformity", Source = raise, SourceRef = string.IsNullOrWhiteSpace(@ref) ? null : @ref.Trim() };
        }
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await nonconformities.CreateAsync(Input, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/nonconformities/{outcome.Value!.Id}");
        }
        ModelState.AddFailure(outcome.Failure!);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        All = await nonconformities.ListAsync(string.IsNullOrEmpty(Status) ? null : Status, string.IsNullOrEmpty(Source) ? null : Source, ct: ct);
        Staff = await directory.StaffAsync(Roles.Staff, ct);
    }
}
