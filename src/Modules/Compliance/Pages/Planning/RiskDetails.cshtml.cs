using System.Globalization;
using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Compliance.Pages.Planning;

/// <summary>One risk or opportunity: assessment, treatment and its actions, the moves open, a review, and its history.</summary>
[RequirePermission(CompliancePermissions.PlanningRead)]
public sealed class RiskDetailsModel(Risks risks, IDirectory directory, AuditQueries history, ICurrentUser caller, IStringLocalizer<PlanningStrings> text) : PageModel
{
    public RiskView Risk { get; private set; } = null!;

    public IReadOnlyList<AuditEntry> History { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public bool CanWork => risks.CanWork(Risk);

    public bool CanApprove => caller.HasPermission(CompliancePermissions.Approve);

    public Guid? Me => caller.ActorId;

    public string DefaultNextReview => DateOnly.FromDateTime(DateTime.Today).AddMonths(Domain.RiskMatrix.ReviewMonths(Domain.RiskMatrix.ParseLevel(Risk.CurrentLevel) ?? Domain.RiskLevel.Low))
        .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [BindProperty]
    public Risks.ActionRequest Action { get; set; } = new(null, null, null);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostMoveAsync(Guid id, int version, string? move, string? reason, CancellationToken ct) =>
        HandleAsync(id, () => risks.MoveAsync(id, version, new Risks.MoveRequest(move, reason), ct), "", ct);

    public Task<IActionResult> OnPostReviewAsync(Guid id, int version, string? nextReviewOn, string? note, CancellationToken ct) =>
        HandleAsync(id, () => risks.ReviewAsync(id, version, new Risks.ReviewRequest(nextReviewOn, note), ct), "", ct);

    public Task<IActionResult> OnPostActionAsync(Guid id, int version, CancellationToken ct) =>
        HandleAsync(id, () => risks.AddActionAsync(id, version, Action with { OwnerId = Action.OwnerId }, ct), "Action", ct);

    public Task<IActionResult> OnPostDoneAsync(Guid id, int version, Guid actionId, CancellationToken ct) =>
        HandleAsync(id, () => risks.CompleteActionAsync(id, version, actionId, ct), "", ct);

    private async Task<IActionResult> HandleAsync(Guid id, Func<Task<Outcome<RiskView>>> write, string prefix, CancellationToken ct)
    {
        var outcome = await write();
        if (outcome.Succeeded)
        {
            return Redirect($"/compliance/risks/{id}");
        }
        if (outcome.Failure!.Kind == FailureKind.NotFound)
        {
            return NotFound();
        }
        if (outcome.Failure.Kind == FailureKind.Forbidden)
        {
            // The page says why: accepting a high risk takes top management, a risk is worked by its owner.
            ModelState.AddModelError(string.Empty, outcome.Failure.Message);
        }
        else
        {
            ModelState.AddOutcome(outcome.Failure, text, prefix);
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await risks.GetAsync(id, ct) is not { } found)
        {
            return false;
        }
        Risk = found;
        Staff = await directory.StaffAsync(Roles.Staff, ct);
        History = await history.HistoryAsync(Risks.RecordType, id.ToString("D"), ct);
        return true;
    }
}
