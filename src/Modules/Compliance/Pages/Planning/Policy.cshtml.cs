using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Compliance.Pages.Planning;

/// <summary>
/// The service management policy as every member of staff reads it (5.2.2 communicated), with the draft, approval and
/// yearly confirmation for those who may, every version and the history.
/// </summary>
[RequirePermission(CompliancePermissions.PlanningRead)]
public sealed class PolicyModel(ServicePolicy policy, AuditQueries history, ICurrentUser caller, IStringLocalizer<PlanningStrings> text) : PageModel
{
    public PolicyOverview Overview { get; private set; } = null!;

    public IReadOnlyList<AuditEntry> History { get; private set; } = [];

    public bool CanManage => caller.HasPermission(CompliancePermissions.Manage);

    public bool CanApprove => caller.HasPermission(CompliancePermissions.Approve);

    [BindProperty]
    public ServicePolicy.DraftRequest Input { get; set; } = new(null, null, null, null, null, null, null, null, null, null);

    /// <summary>True when the draft form shows what was posted (refused) rather than what is stored.</summary>
    public bool Posted { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public Task<IActionResult> OnPostStartAsync(CancellationToken ct) =>
        HandleAsync(CanManage, async () => (await policy.StartDraftAsync(new ServicePolicy.DraftRequest(null, null, null, null, null, null, null, null, null, null), ct)).Failure, "", ct);

    public Task<IActionResult> OnPostSaveAsync(Guid id, int version, CancellationToken ct) =>
        HandleAsync(CanManage, async () => (await policy.EditDraftAsync(id, version, Input, ct)).Failure, "Input", ct);

    public Task<IActionResult> OnPostApproveAsync(Guid id, int version, string? reason, CancellationToken ct) =>
        HandleAsync(CanApprove, async () => (await policy.ApproveAsync(id, version, new ServicePolicy.ApproveRequest(reason), ct)).Failure, "", ct);

    public Task<IActionResult> OnPostReviewAsync(Guid id, string? note, CancellationToken ct) =>
        HandleAsync(CanApprove, async () => (await policy.ReviewAsync(id, new ServicePolicy.ReviewRequest(note), ct)).Failure, "", ct);

    private async Task<IActionResult> HandleAsync(bool allowed, Func<Task<Failure?>> action, string prefix, CancellationToken ct)
    {
        if (!allowed)
        {
            return Forbid();
        }
        if (await action() is not { } failure)
        {
            return Redirect("/compliance/policy");
        }
        ModelState.AddOutcome(failure, text, prefix);
        Posted = prefix == "Input";
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Overview = await policy.OverviewAsync(ct);
        var shown = Overview.Effective ?? Overview.Draft;
        History = shown is null ? [] : await history.HistoryAsync(ServicePolicy.RecordType, shown.Id.ToString("D"), ct);
        if (!Posted && Overview.Draft is { } d)
        {
            Input = new ServicePolicy.DraftRequest(d.StatementEn, d.StatementZh, d.CommitRequirementsEn, d.CommitRequirementsZh, d.CommitImprovementEn,
                d.CommitImprovementZh, d.CommitObjectivesEn, d.CommitObjectivesZh, d.DocumentCode, d.ChangeNote);
        }
    }
}
