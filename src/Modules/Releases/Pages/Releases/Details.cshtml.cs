using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Certus.Releases.Contracts;
using Certus.Releases.Domain;
using Certus.Releases.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Releases.Pages.Releases;

/// <summary>
/// A release: its plan, the changes and CI versions it carries, its test records, the moves open to the caller, what
/// happened on deployment, and its release notes.
/// </summary>
[RequirePermission(ReleasePermissions.Read)]
public sealed class DetailsModel(
    ReleaseQueries queries, ReleasePolicies policies, MoveRelease move, PlanRelease plan, PublishReleaseNotes publish, ICurrentUser caller,
    IStringLocalizer<Strings> text) : PageModel
{
    public ReleaseView Release { get; private set; } = null!;

    public PolicyView? Policy { get; private set; }

    /// <summary>The move whose form was refused, to open it again with the messages.</summary>
    public string? Refused { get; private set; }

    /// <summary>What the user typed into a refused form, to show it again.</summary>
    public IReadOnlyDictionary<string, string?> Posted { get; private set; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    public ReleaseState State => Release.ParsedState;

    public bool CanManage => caller.HasPermission(ReleasePermissions.Manage);

    public bool CanTest => caller.HasPermission(ReleasePermissions.Test);

    public bool CanAccept => caller.HasPermission(ReleasePermissions.Accept);

    /// <summary>The moves this caller may make now, in the order of the transition table.</summary>
    public IReadOnlyList<ReleaseTrigger> Moves => [.. ReleaseLifecycle.Allowed(State).Where(t => t switch
    {
        ReleaseTrigger.Test => CanTest,
        ReleaseTrigger.Accept => CanAccept,
        ReleaseTrigger.Build or ReleaseTrigger.Deploy or ReleaseTrigger.Complete or ReleaseTrigger.Fail or ReleaseTrigger.BackOut
            or ReleaseTrigger.Close or ReleaseTrigger.Cancel => CanManage,
    }).OrderBy(t => t == ReleaseTrigger.Cancel ? 2 : t == ReleaseTrigger.Build && State == ReleaseState.Testing ? 1 : 0)];

    public string? Value(string key) => Posted.GetValueOrDefault(key);

    public string? Error(string key) => ModelState.TryGetValue(key, out var e) && e.Errors.Count > 0 ? string.Join(" ", e.Errors.Select(x => x.ErrorMessage)) : null;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostMoveAsync(
        Guid id, int version, string? trigger, string? reason, string? kind, string? environment, string? result, string? summary, string? backOutResult,
        string? latentCause, bool reattempt, CancellationToken ct)
    {
        if (ReleaseNames.ParseTrigger(trigger) is not { } move1)
        {
            return BadRequest();
        }
        var allowed = move1 switch
        {
            ReleaseTrigger.Test => CanTest,
            ReleaseTrigger.Accept => CanAccept,
            ReleaseTrigger.Build or ReleaseTrigger.Deploy or ReleaseTrigger.Complete or ReleaseTrigger.Fail or ReleaseTrigger.BackOut
                or ReleaseTrigger.Close or ReleaseTrigger.Cancel => CanManage,
        };
        if (!allowed)
        {
            return Forbid();
        }
        var outcome = await move.HandleAsync(id, move1, new MoveRelease.Request(reason, kind, environment, result, summary, backOutResult, latentCause, reattempt), version, ct);
        Posted = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["reason"] = reason, ["kind"] = kind, ["environment"] = environment, ["result"] = result, ["summary"] = summary,
            ["backOutResult"] = backOutResult, ["latentCause"] = latentCause, ["reattempt"] = reattempt ? "true" : null,
        };
        return await AfterAsync(id, outcome.Failure, move1.Key(), () => text[$"Moved.{move1.Key()}", outcome.Value!.Number], ct);
    }

    public async Task<IActionResult> OnPostNotesAsync(Guid id, int version, string? notes, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await plan.UpdateAsync(id, version, new PlanRelease.UpdateRequest(Notes: notes ?? ""), ct);
        Posted = new Dictionary<string, string?>(StringComparer.Ordinal) { ["notes"] = notes };
        return await AfterAsync(id, outcome.Failure, "notes", () => text["Notes.Saved"], ct);
    }

    public async Task<IActionResult> OnPostPublishAsync(Guid id, int version, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await publish.HandleAsync(id, version, ct);
        return await AfterAsync(id, outcome.Failure, "notes", () => text["Notes.Published"], ct);
    }

    public async Task<IActionResult> OnPostBaselineAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        if (await queries.GetAsync(id, ct) is not { } release)
        {
            return NotFound();
        }
        var outcome = await move.TakeBaselineAsync(release, ct);
        return await AfterAsync(id, outcome.Failure, "baseline", () => text["Release.BaselineTaken"], ct);
    }

    private async Task<IActionResult> AfterAsync(Guid id, Failure? failure, string form, Func<string> success, CancellationToken ct)
    {
        if (failure is null)
        {
            TempData["Flash"] = success();
            return Redirect($"/releases/{id}");
        }
        if (failure.Kind == FailureKind.NotFound)
        {
            return NotFound();
        }
        if (failure.Kind == FailureKind.Forbidden)
        {
            ModelState.AddModelError(string.Empty, failure.Message);
        }
        else
        {
            ModelState.AddOutcome(failure, text, "");
        }
        Refused = form;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await queries.GetAsync(id, ct) is not { } release)
        {
            return false;
        }
        Release = release;
        Policy = await policies.GetAsync(release.PolicyId, ct);
        return true;
    }
}
