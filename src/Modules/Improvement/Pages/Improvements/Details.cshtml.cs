using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Improvement.Contracts;
using Certus.Improvement.Features;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Improvement.Pages.Improvements;

/// <summary>One improvement: its evaluation, priority, owner and outcome, and the moves possible now.</summary>
[RequirePermission(ImprovementPermissions.Read)]
public sealed class DetailsModel(Features.Improvements improvements, IDirectory directory, AuditQueries history, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    public ImprovementView Item { get; private set; } = null!;

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public IReadOnlyList<AuditEntry> History { get; private set; } = [];

    public bool CanManage => caller.HasPermission(ImprovementPermissions.Manage);

    [BindProperty]
    public Features.Improvements.MoveRequest Input { get; set; } = new(null);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, int version, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await improvements.MoveAsync(id, version, Input, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/improvements/{id}");
        }
        if (outcome.Failure!.Kind == Kernel.Errors.FailureKind.PreconditionFailed)
        {
            ModelState.AddModelError(string.Empty, text["Page.Stale"]);
        }
        else
        {
            ModelState.AddFailure(outcome.Failure);
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await improvements.GetAsync(id, ct) is not { } found)
        {
            return false;
        }
        Item = found;
        Staff = await directory.StaffAsync(Roles.Staff, ct);
        History = await history.HistoryAsync(Features.Improvements.RecordType, id.ToString("D"), ct);
        return true;
    }
}
