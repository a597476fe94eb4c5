using Certus.Audits.Contracts;
using Certus.Audits.Features;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Audits.Pages.Reviews;

/// <summary>One management review: its inputs (live or frozen), minutes, decisions and actions.</summary>
[RequirePermission(AuditPermissions.Read)]
public sealed class DetailsModel(ManagementReviews reviews, IDirectory directory, AuditQueries history, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    public ReviewView Review { get; private set; } = null!;

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public IReadOnlyList<AuditEntry> History { get; private set; } = [];

    public bool CanManage => caller.HasPermission(AuditPermissions.Manage);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostMoveAsync(Guid id, int version, string? move, string? minutes, string? attendees, string? reason, CancellationToken ct) =>
        HandleAsync(id, async () => (await reviews.MoveAsync(id, version, new ManagementReviews.MoveRequest(move, minutes, attendees, reason), ct)).Failure, ct);

    public Task<IActionResult> OnPostActionAsync(Guid id, string? kind, string? actionText, Guid? ownerId, string? dueDate, CancellationToken ct) =>
        HandleAsync(id, async () => (await reviews.AddActionAsync(id, new ManagementReviews.ActionRequest(kind, actionText, ownerId, dueDate), ct)).Failure, ct);

    public Task<IActionResult> OnPostSettleAsync(Guid id, Guid actionId, int version, string? move, string? outcome, CancellationToken ct) =>
        HandleAsync(id, async () => (await reviews.MoveActionAsync(id, actionId, version, new ManagementReviews.ActionMoveRequest(move, outcome), ct)).Failure, ct);

    private async Task<IActionResult> HandleAsync(Guid id, Func<Task<Failure?>> action, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        if (await action() is not { } failure)
        {
            return Redirect($"/management-reviews/{id}");
        }
        if (failure.Kind == FailureKind.PreconditionFailed)
        {
            ModelState.AddModelError(string.Empty, text["Page.Stale"]);
        }
        else
        {
            ModelState.AddModelError(string.Empty, failure.Fields is { Count: > 0 } fields ? string.Join(" ", fields.SelectMany(f => f.Value)) : failure.Message);
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await reviews.GetAsync(id, ct) is not { } found)
        {
            return false;
        }
        Review = found;
        Staff = await directory.StaffAsync(Roles.Staff, ct);
        History = await history.HistoryAsync(ManagementReviews.RecordType, id.ToString("D"), ct);
        return true;
    }
}
