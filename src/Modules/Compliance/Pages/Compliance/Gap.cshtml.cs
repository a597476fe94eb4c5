using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Compliance.Pages.Compliance;

/// <summary>The GAP analysis report (差距分析报告): findings, their actions, and the clauses still without evidence.</summary>
[RequirePermission(CompliancePermissions.Read)]
public sealed class GapModel(GapAnalysis gap, Conformity conformity, IDirectory directory, ICurrentUser caller) : PageModel
{
    public IReadOnlyList<FindingView> Findings { get; private set; } = [];

    public IReadOnlyList<ClauseConformity> Candidates { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public bool CanManage => caller.HasPermission(CompliancePermissions.Manage);

    public string Today { get; } = DateTime.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [BindProperty]
    public GapAnalysis.FindingRequest? Finding { get; set; }

    [BindProperty]
    public GapAnalysis.ActionRequest? Action { get; set; }

    [BindProperty]
    public Guid Id { get; set; }

    [BindProperty]
    public int Version { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Status { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public Task<IActionResult> OnPostFindingAsync(CancellationToken ct) =>
        WriteAsync(async () => (await gap.AddFindingAsync(Finding ?? new(null, null, null, null), ct)).Failure, "Finding", ct);

    public Task<IActionResult> OnPostActionAsync(CancellationToken ct) =>
        WriteAsync(async () => (await gap.AddActionAsync(Action ?? new(null, null, null, null, null, null), ct)).Failure, "Action", ct);

    public Task<IActionResult> OnPostCloseAsync(CancellationToken ct) =>
        WriteAsync(async () => (await gap.CloseFindingAsync(Id, Version, new GapAnalysis.CloseRequest(Reason), ct)).Failure, "", ct);

    public Task<IActionResult> OnPostActionStatusAsync(CancellationToken ct) =>
        WriteAsync(async () =>
        {
            var a = (await gap.ActionsAsync(ct)).FirstOrDefault(x => x.Id == Id);
            return a is null ? new Failure(FailureKind.NotFound, "")
                : (await gap.UpdateActionAsync(Id, Version, new GapAnalysis.ActionRequest(a.FindingId, a.Title, a.OwnerId, a.DueOn, Status, a.Note), ct)).Failure;
        }, "", ct);

    private async Task<IActionResult> WriteAsync(Func<Task<Failure?>> write, string prefix, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        if (await write() is not { } failure)
        {
            return Redirect("/compliance/gap");
        }
        ModelState.AddFailure(failure, prefix);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Findings = await gap.FindingsAsync(ct);
        var report = await conformity.HandleAsync("2018", ct);
        var parents = report.Clauses.Where(c => c.Parent is not null).Select(c => c.Parent!).ToHashSet(StringComparer.Ordinal);
        Candidates = [.. report.Clauses.Where(c => !parents.Contains(c.Clause) && c.Verdict != Conformity.Conforming)];
        Staff = await directory.StaffAsync(Roles.Staff, ct);
    }
}
