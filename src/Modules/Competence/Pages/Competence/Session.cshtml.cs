using Certus.Competence.Contracts;
using Certus.Competence.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Certus.Kernel.Text;

namespace Certus.Competence.Pages.Competence;

/// <summary>One training session: hold or cancel it, invite people, and the grid of attendance and exam results.</summary>
[RequirePermission(CompetencePermissions.Read)]
public sealed class SessionModel(Sessions sessions, Courses courses, Staff staff, ICurrentUser caller, IStringLocalizer<Strings> text, TimeProvider clock) : PageModel
{
    /// <summary>The grid as posted: one row per person.</summary>
    [BindProperty]
    public List<GridRow> Rows { get; set; } = [];

    public SessionView Item { get; private set; } = null!;

    public CourseView Course { get; private set; } = null!;

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    /// <summary>The refusal of the last post, for the grid's per-row messages.</summary>
    public Failure? Refusal { get; private set; }

    public bool CanManage => caller.HasPermission(CompetencePermissions.Manage);

    public string Today { get; } = CalendarDates.Day(clock.GetUtcNow());

    public sealed class GridRow
    {
        public Guid UserId { get; set; }
        public string? Status { get; set; }
        public int? Score { get; set; }
        public string? Note { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        Rows = [.. Item.Attendance.Select(a => new GridRow { UserId = a.UserId, Status = a.Status, Score = a.Score, Note = a.Note })];
        return Page();
    }

    public Task<IActionResult> OnPostMoveAsync(Guid id, int version, string? move, string? reason, CancellationToken ct) =>
        HandleAsync(id, async () => (await sessions.MoveAsync(id, version, new Sessions.MoveRequest(move, reason), ct)).Failure, keepGrid: false, ct);

    public Task<IActionResult> OnPostInviteAsync(Guid id, int version, List<Guid>? userIds, CancellationToken ct) =>
        HandleAsync(id, async () => (await sessions.InviteAsync(id, version, new Sessions.InviteRequest(userIds ?? []), ct)).Failure, keepGrid: false, ct);

    public Task<IActionResult> OnPostAttendanceAsync(Guid id, int version, CancellationToken ct) =>
        HandleAsync(id, async () => (await sessions.RecordAttendanceAsync(id, version,
            new Sessions.AttendanceRequest([.. Rows.Select(r => new Sessions.AttendanceRow(r.UserId, r.Status, r.Score, r.Note))]), ct)).Failure, keepGrid: true, ct);

    private async Task<IActionResult> HandleAsync(Guid id, Func<Task<Failure?>> action, bool keepGrid, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        if (await action() is not { } failure)
        {
            TempData["Flash"] = text["Saved"].Value;
            return Redirect($"/competence/sessions/{id}");
        }
        Refusal = failure;
        if (failure.Kind == FailureKind.PreconditionFailed)
        {
            ModelState.AddModelError(string.Empty, text["Page.Stale"]);
        }
        else
        {
            // The grid shows its messages on each row; the other forms at the top.
            ModelState.AddModelError(string.Empty, failure.Fields is { Count: > 0 } fields && !keepGrid ? string.Join(" ", fields.SelectMany(f => f.Value)) : failure.Message);
        }
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (!keepGrid)
        {
            Rows = [.. Item.Attendance.Select(a => new GridRow { UserId = a.UserId, Status = a.Status, Score = a.Score, Note = a.Note })];
        }
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await sessions.GetAsync(id, ct) is not { } session)
        {
            return false;
        }
        Item = session;
        Course = (await courses.GetAsync(session.CourseId, ct))!;
        Staff = await staff.ActiveAsync(ct);
        return true;
    }

    public string NameOf(Guid userId) => Item.Attendance.FirstOrDefault(a => a.UserId == userId)?.Name ?? Staff.FirstOrDefault(s => s.Id == userId)?.DisplayName ?? userId.ToString("D");
}
