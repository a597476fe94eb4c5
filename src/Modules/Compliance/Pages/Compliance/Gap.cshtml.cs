using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Compliance.Pages.Compliance;

/// <summary>
/// The GAP analysis report (差距分析报告): findings, their actions, and, for the edition chosen (2018 or 2005), the clauses
/// that are a gap or still without evidence, each offered as a finding to record.
/// </summary>
[RequirePermission(CompliancePermissions.Read)]
public sealed class GapModel(GapAnalysis gap, Conformity conformity, IDirectory directory, ICurrentUser caller) : PageModel
{
    public IReadOnlyList<FindingView> Findings { get; private set; } = [];

    public IReadOnlyList<ClauseConformity> Candidates { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public bool CanManage => caller.HasPermission(CompliancePermissions.Manage);

    public string Today { get; } = DateTime.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The edition whose clauses are offered as candidates (2018 or 2005).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Edition { get; set; }

    /// <summary>A candidate clause chosen to record a finding against: fills the form.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Clause { get; set; }

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
        Edition = ClauseCatalogue.IsEdition(Edition) ? Edition : "2018";
        if (await write() is not { } failure)
        {
            return Redirect($"/compliance/gap?edition={(prefix == "Finding" && ClauseCatalogue.IsEdition(Finding?.Edition) ? Finding!.Edition : Edition)}");
        }
        ModelState.AddFailure(failure, prefix);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Edition = ClauseCatalogue.IsEdition(Edition) ? Edition : "2018";
        Findings = await gap.FindingsAsync(ct);
        Candidates = Conformity.Candidates(await conformity.HandleAsync(Edition!, ct));
        Staff = await directory.StaffAsync(Roles.Staff, ct);
    }
}
