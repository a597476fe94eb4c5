using Certus.Audits.Contracts;
using Certus.Audits.Features;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Audits.Pages.Audits;

/// <summary>One internal audit: team, checklist, findings and their follow-up, and the moves of the audit.</summary>
[RequirePermission(AuditPermissions.Read)]
public sealed class DetailsModel(InternalAudits audits, IDirectory directory, AuditQueries history, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    public AuditView Audit { get; private set; } = null!;

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public IReadOnlyList<AuditEntry> History { get; private set; } = [];

    public bool CanManage => caller.HasPermission(AuditPermissions.Manage);

    [BindProperty]
    public InternalAudits.FindingRequest Finding { get; set; } = new(null, null, null, null, null);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostMoveAsync(Guid id, int version, string? move, string? summary, string? reason, CancellationToken ct) =>
        HandleAsync(id, async () => (await audits.MoveAsync(id, version, new InternalAudits.MoveRequest(move, reason, summary), ct)).Failure, "", ct);

    public Task<IActionResult> OnPostTeamAsync(Guid id, int version, Guid? leadAuditorId, List<Guid>? auditorIds, CancellationToken ct) =>
        HandleAsync(id, async () => (await audits.SetAuditorsAsync(id, version, new InternalAudits.AuditorsRequest(leadAuditorId, auditorIds), ct)).Failure, "", ct);

    public Task<IActionResult> OnPostAnswerAsync(Guid id, Guid item, int version, string? question, string? result, string? notes, CancellationToken ct) =>
        HandleAsync(id, async () => (await audits.AnswerAsync(id, item, version, new InternalAudits.ChecklistRequest(question, result, notes), ct)).Failure, "", ct);

    public Task<IActionResult> OnPostFindingAsync(Guid id, CancellationToken ct) =>
        HandleAsync(id, async () => (await audits.AddFindingAsync(id, Finding, ct)).Failure, "Finding", ct);

    public Task<IActionResult> OnPostEffectivenessAsync(Guid id, Guid finding, int version, bool? effective, string? note, CancellationToken ct) =>
        HandleAsync(id, async () => (await audits.CheckEffectivenessAsync(id, finding, version, new InternalAudits.EffectivenessRequest(effective, note), ct)).Failure, "", ct);

    public Task<IActionResult> OnPostCloseFindingAsync(Guid id, Guid finding, int version, string? note, CancellationToken ct) =>
        HandleAsync(id, async () => (await audits.CloseFindingAsync(id, finding, version, new InternalAudits.CloseFindingRequest(note), ct)).Failure, "", ct);

    private async Task<IActionResult> HandleAsync(Guid id, Func<Task<Failure?>> action, string prefix, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        if (await action() is not { } failure)
        {
            return Redirect($"/audits/{id}");
        }
        ModelState.AddOutcome(failure, text, prefix);
        if (prefix.Length == 0 && failure.Fields is { Count: > 0 })
        {
            // Forms without their own field slots show the messages at the top.
            ModelState.AddModelError(string.Empty, string.Join(" ", failure.Fields.SelectMany(f => f.Value)));
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await audits.GetAsync(id, ct) is not { } found)
        {
            return false;
        }
        Audit = found;
        Staff = await directory.StaffAsync(Roles.Staff, ct);
        History = await history.HistoryAsync(InternalAudits.RecordType, id.ToString("D"), ct);
        return true;
    }
}
