using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Certus.Problems.Contracts;
using Certus.Problems.Domain;
using Certus.Problems.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Problems.Pages.Problems;

/// <summary>What the caller sends with a move from the problem page; which fields count depends on the move.</summary>
public sealed class MoveInput
{
    public string? Reason { get; set; }
    public Guid? OwnerId { get; set; }
    public string? Symptoms { get; set; }
    public string? RootCause { get; set; }
    public string? Workaround { get; set; }
    public string? Resolution { get; set; }
    public string? ClosureNote { get; set; }

    public MoveProblem.Request ToRequest() => new(Reason, OwnerId, Symptoms, RootCause, Workaround, Resolution, ClosureNote);
}

/// <summary>A change to raise from the problem, or an existing one to link.</summary>
public sealed class ChangeInput
{
    public string? Change { get; set; }
    public string? Type { get; set; } = "normal";
    public string? Title { get; set; }
    public string? Reason { get; set; }
    public string? Description { get; set; }
}

/// <summary>
/// One problem with everything recorded about it: the moves its transition table allows now (each with the fields it
/// needs), the known error, the incidents it explains, the changes that remove its cause with their state now, and the
/// history from the audit trail.
/// </summary>
[RequirePermission(ProblemPermissions.Read)]
public sealed class DetailsModel(
    ProblemQueries queries, MoveProblem move, ProblemLinks links, AuditQueries audit, IDirectory directory, ICurrentUser caller, IStringLocalizer<Strings> text,
    Texts<Strings> texts)
    : PageModel
{
    public ProblemView Problem { get; private set; } = null!;

    public HistoryView History { get; private set; } = new([], new Dictionary<string, string>(StringComparer.Ordinal));

    public IReadOnlyList<UserSummary> Owners { get; private set; } = [];

    [BindProperty]
    public MoveInput Move { get; set; } = new();

    [BindProperty]
    public ChangeInput ChangeForm { get; set; } = new();

    /// <summary>The form that failed (a move, <c>link-incident</c>, <c>raise-change</c>, <c>link-change</c>), shown open with its errors.</summary>
    public string? Failed { get; private set; }

    public bool CanManage => caller.HasPermission(ProblemPermissions.Manage);

    public bool CanRaise => caller.HasPermission(ProblemPermissions.Raise);

    public bool IsOpen => ProblemLifecycle.IsOpen(Problem.ParsedState);

    public bool IsFinished => ProblemLifecycle.IsFinished(Problem.ParsedState);

    /// <summary>The buttons: the moves the table allows now, for those who may move problems.</summary>
    public IReadOnlyList<string> Moves => CanManage ? [.. ProblemLifecycle.Allowed(Problem.ParsedState).Select(t => t.Key())] : [];

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken ct)
    {
        if (!await LoadAsync(reference, ct))
        {
            return NotFound();
        }
        ChangeForm.Title = Problem.Title;
        ChangeForm.Reason = text["ChangeForm.DefaultReason", Problem.Number, Problem.RootCause.Length > 0 ? Problem.RootCause : Problem.Title].Value;
        return Page();
    }

    public async Task<IActionResult> OnPostMoveAsync(string reference, string? action, int? version, CancellationToken ct)
    {
        if (!await LoadAsync(reference, ct))
        {
            return NotFound();
        }
        if (ProblemNames.ParseTrigger(action) is not { } trigger)
        {
            return BadRequest();
        }
        // Razor Pages ignore attributes on handlers: the move's own permission is checked here.
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await move.HandleAsync(Problem.Id, trigger, Move.ToRequest(), version, ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Problem.Moved", outcome.Value!.Number, text[$"State.{outcome.Value.State}"]].Value;
            return Redirect($"/problems/{outcome.Value.Number}");
        }
        return await FailedAsync(reference, trigger.Key(), outcome.Failure!, "Move", ct);
    }

    public async Task<IActionResult> OnPostLinkIncidentAsync(string reference, string? incident, CancellationToken ct)
    {
        if (!await LoadAsync(reference, ct))
        {
            return NotFound();
        }
        if (!CanRaise)
        {
            return Forbid();
        }
        var outcome = await links.LinkIncidentAsync(Problem.Id, new ProblemLinks.IncidentRequest(incident), ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Problem.IncidentLinked", incident?.Trim().ToUpperInvariant() ?? "", outcome.Value!.Number].Value;
            return Redirect($"/problems/{outcome.Value.Number}#incidents");
        }
        return await FailedAsync(reference, "link-incident", outcome.Failure!, "", ct);
    }

    public async Task<IActionResult> OnPostUnlinkIncidentAsync(string reference, string? incident, CancellationToken ct)
    {
        if (!await LoadAsync(reference, ct))
        {
            return NotFound();
        }
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await links.UnlinkIncidentAsync(Problem.Id, incident ?? "", null, ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Problem.IncidentUnlinked", incident ?? "", outcome.Value!.Number].Value;
            return Redirect($"/problems/{outcome.Value.Number}#incidents");
        }
        return await FailedAsync(reference, "link-incident", outcome.Failure!, "", ct);
    }

    public async Task<IActionResult> OnPostChangeAsync(string reference, string? mode, CancellationToken ct)
    {
        if (!await LoadAsync(reference, ct))
        {
            return NotFound();
        }
        if (!CanManage)
        {
            return Forbid();
        }
        var link = mode == "link";
        var request = link
            ? new ProblemLinks.ChangeRequest(Change: ChangeForm.Change ?? "")
            : new ProblemLinks.ChangeRequest(null, ChangeForm.Type, ChangeForm.Title, ChangeForm.Reason, ChangeForm.Description);
        if (link && string.IsNullOrWhiteSpace(ChangeForm.Change))
        {
            return await FailedAsync(reference, "link-change", texts.Invalid(texts.Errors().Add("change", "Validation.Required")), "ChangeForm", ct);
        }
        var outcome = await links.ChangeAsync(Problem.Id, request, ct);
        if (outcome.Succeeded)
        {
            var number = outcome.Value!.Changes.OrderByDescending(c => c.LinkedAt).FirstOrDefault()?.Number ?? "";
            TempData["Flash"] = text[link ? "Problem.ChangeLinked" : "Problem.ChangeRaised", number, outcome.Value.Number].Value;
            return Redirect($"/problems/{outcome.Value.Number}#changes");
        }
        return await FailedAsync(reference, link ? "link-change" : "raise-change", outcome.Failure!, "ChangeForm", ct);
    }

    private async Task<IActionResult> FailedAsync(string reference, string form, Failure failure, string prefix, CancellationToken ct)
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
        Failed = form;
        ModelState.AddOutcome(failure, text, prefix);
        return Page();
    }

    /// <summary>The owners and groups the history names by id, so it shows them by name.</summary>
    private async Task<IReadOnlyDictionary<string, string>> NamesAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        var changes = entries.SelectMany(e => e.ParsedChanges()).ToList();
        Guid[] Ids(string field) => [.. changes.Where(c => c.Field == field).SelectMany(c => new[] { c.Old, c.New })
            .Select(v => Guid.TryParse(v, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).Distinct()];
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, user) in await directory.FindUsersAsync(Ids("ownerId"), ct))
        {
            names[id.ToString("D")] = user.DisplayName;
        }
        foreach (var (id, group) in await directory.FindGroupsAsync(Ids("assignmentGroupId"), ct))
        {
            names[id.ToString("D")] = group.Name;
        }
        return names;
    }

    private async Task<bool> LoadAsync(string reference, CancellationToken ct)
    {
        if (await queries.GetAsync(reference, ct) is not { } problem)
        {
            return false;
        }
        Problem = problem;
        var entries = await audit.HistoryAsync(ProblemAudit.RecordType, problem.Id.ToString("D"), ct);
        History = new HistoryView(entries, await NamesAsync(entries, ct));
        if (CanManage)
        {
            Owners = await directory.StaffAsync(Roles.Staff, ct);
        }
        return true;
    }
}
