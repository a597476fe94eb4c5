using Certus.Changes.Contracts;
using Certus.Changes.Domain;
using Certus.Changes.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Changes.Pages.Changes;

/// <summary>What the caller sends with a move from the change page; which fields count depends on the move.</summary>
public sealed class MoveInput
{
    public string? Reason { get; set; }
    public Dictionary<string, string?> RiskAnswers { get; set; } = new(StringComparer.Ordinal);
    public DateTime? PlannedStart { get; set; }
    public DateTime? PlannedEnd { get; set; }
    public bool Override { get; set; }
    public string? Result { get; set; }
    public string? IncidentsCaused { get; set; }
    public string? Lessons { get; set; }

    public MoveChange.Request ToRequest() => new(
        Reason,
        RiskAnswers.Where(a => !string.IsNullOrWhiteSpace(a.Value)).ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal),
        Show.Instant(PlannedStart), Show.Instant(PlannedEnd), Override, Result,
        [.. (IncidentsCaused ?? "").Split([',', ' ', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        Lessons);
}

/// <summary>
/// One change with everything recorded about it, the moves its type's transition table allows now (each with the
/// fields it needs), the board's votes with the signed-in member's own, and the history.
/// </summary>
[RequirePermission(ChangePermissions.Read)]
public sealed class DetailsModel(
    ChangeQueries queries, MoveChange move, DecideChange decide, ChangeSchedule schedule, ChangeSettings settings, ICurrentUser caller,
    IStringLocalizer<Strings> text) : PageModel
{
    public ChangeView Change { get; private set; } = null!;

    public IReadOnlyList<RiskQuestion> Questions { get; private set; } = [];

    [BindProperty]
    public MoveInput Move { get; set; } = new();

    /// <summary>The move whose form failed, shown open with its errors.</summary>
    public string? Failed { get; private set; }

    public bool IsStaff => caller.IsProviderStaff;

    /// <summary>The buttons: moves the table allows now that the caller may make (authorise and reject are votes).</summary>
    public IReadOnlyList<string> Moves => ChangeLifecycle.Allowed(Change.ParsedType, Change.ParsedState)
        .Where(t => t is not (ChangeTrigger.Authorise or ChangeTrigger.Reject))
        .Where(MayMove)
        .Select(t => t.Key()).ToList();

    /// <summary>The signed-in member's vote still to cast in the current round, if any.</summary>
    public ApprovalView? MyVote => caller.HasPermission(ChangePermissions.Approve) && ChangeLifecycle.IsAwaitingDecision(Change.ParsedType, Change.ParsedState)
        ? Change.Approvals.FirstOrDefault(a => a.Round == Change.ApprovalRound && a.ApproverId == caller.UserId && a.Decision == "pending")
        : null;

    public IReadOnlyList<ApprovalView> CurrentRound => [.. Change.Approvals.Where(a => a.Round == Change.ApprovalRound)];

    public bool CanEdit => ChangeLifecycle.IsEditable(Change.ParsedState)
        && (caller.HasPermission(ChangePermissions.Manage) || (caller.HasPermission(ChangePermissions.Request) && Change.RequestedBy == caller.UserId));

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken ct) =>
        await LoadAsync(reference, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostMoveAsync(string reference, string? action, int? version, CancellationToken ct)
    {
        if (!await LoadAsync(reference, ct))
        {
            return NotFound();
        }
        if (ChangeNames.ParseTrigger(action) is not { } trigger || trigger is ChangeTrigger.Authorise or ChangeTrigger.Reject)
        {
            return BadRequest();
        }
        // Razor Pages ignore attributes on handlers: the move's own permission is checked here.
        if (!MayMove(trigger))
        {
            return Forbid();
        }
        var outcome = await move.HandleAsync(Change.Id, trigger, Move.ToRequest(), version, ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Change.Moved", outcome.Value!.Number, text[$"State.{outcome.Value.State}"]].Value;
            return Redirect($"/changes/{outcome.Value.Number}");
        }
        return await FailedAsync(reference, trigger.Key(), outcome.Failure!, ct);
    }

    public async Task<IActionResult> OnPostDecideAsync(string reference, bool approve, string? reason, CancellationToken ct)
    {
        if (!await LoadAsync(reference, ct))
        {
            return NotFound();
        }
        if (!caller.HasPermission(ChangePermissions.Approve))
        {
            return Forbid();
        }
        var outcome = await decide.HandleAsync(Change.Id, approve, new DecideChange.Request(reason), null, ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text[approve ? "Approval.Approved" : "Approval.Rejected", outcome.Value!.Number].Value;
            return Redirect($"/changes/{outcome.Value.Number}");
        }
        Move.Reason = reason;
        return await FailedAsync(reference, "vote", outcome.Failure!, ct);
    }

    /// <summary>The conflicts preview for the schedule form (htmx): what the change would clash with in that window.</summary>
    public async Task<IActionResult> OnGetConflictsAsync(
        string reference, [FromQuery(Name = "Move.PlannedStart")] DateTime? start, [FromQuery(Name = "Move.PlannedEnd")] DateTime? end, CancellationToken ct)
    {
        if (!await LoadAsync(reference, ct))
        {
            return NotFound();
        }
        if ((Show.Instant(start) ?? Change.PlannedStart) is not { } s || (Show.Instant(end) ?? Change.PlannedEnd) is not { } e || e <= s)
        {
            return Partial("_Conflicts", new ConflictsView([], text["Schedule.BothEnds"]));
        }
        var conflicts = await schedule.ConflictsAsync(Change, s, e, ct);
        return Partial("_Conflicts", new ConflictsView([.. conflicts.Select(schedule.Describe)], null));
    }

    private async Task<IActionResult> FailedAsync(string reference, string action, Failure failure, CancellationToken ct)
    {
        if (failure.Kind == FailureKind.NotFound)
        {
            return NotFound();
        }
        if (failure.Kind == FailureKind.Forbidden)
        {
            return Forbid();
        }
        await LoadAsync(reference, ct);
        Failed = action;
        ModelState.AddOutcome(failure, text, "Move");
        return Page();
    }

    private bool MayMove(ChangeTrigger trigger) => trigger switch
    {
        ChangeTrigger.Submit or ChangeTrigger.Cancel => caller.HasPermission(ChangePermissions.Manage)
            || (caller.HasPermission(ChangePermissions.Request) && Change.RequestedBy == caller.UserId),
        _ => caller.HasPermission(ChangePermissions.Manage),
    };

    private async Task<bool> LoadAsync(string reference, CancellationToken ct)
    {
        if (await queries.GetAsync(reference, ct) is not { } change)
        {
            return false;
        }
        Change = change;
        Questions = await settings.QuestionsAsync(true, ct);
        return true;
    }
}

/// <summary>The conflicts preview: each conflict as a sentence, or why none could be worked out.</summary>
public sealed record ConflictsView(IReadOnlyList<string> Conflicts, string? Problem);
