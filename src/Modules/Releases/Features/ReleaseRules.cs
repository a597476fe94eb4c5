using Certus.Changes.Contracts;
using Certus.Kernel.Errors;
using Certus.Releases.Domain;

namespace Certus.Releases.Features;

/// <summary>Rules and refusals several release use cases share.</summary>
internal static class ReleaseRules
{
    public const string RecordType = "release";
    public const int MaxText = 20_000;

    /// <summary>Change states a release cannot carry or deploy: the change did not go, or went wrong.</summary>
    public static readonly IReadOnlyList<string> DeadChangeStates = ["rejected", "failed", "backed-out", "cancelled"];

    /// <summary>Change states under which change control lets the CMDB be changed.</summary>
    public static readonly IReadOnlyList<string> WorkStates = ["authorised", "scheduled", "implementing"];

    public static Failure Forbidden(Texts<Strings> text) => new(FailureKind.Forbidden, text.Kernel["Problem.Forbidden"]);

    /// <summary>409 naming the move refused and the moves allowed from the release's state.</summary>
    public static Failure IllegalMove(Texts<Strings> text, ReleaseState from, ReleaseTrigger trigger)
    {
        var allowed = ReleaseLifecycle.Allowed(from).Select(t => t.Key()).ToList();
        // The allowed moves also go out as data, under "errors" as the problem details of a conflict carry them.
        return new Failure(FailureKind.Conflict, text["Release.IllegalMove", $"{text[$"Move.{trigger.Key()}"]} ({trigger.Key()})", text[$"State.{from.Key()}"],
            allowed.Count == 0 ? text["Release.NoMoves"] : string.Join(", ", allowed)],
            new Dictionary<string, string[]>(StringComparer.Ordinal) { ["allowed"] = [.. allowed] });
    }

    /// <summary>Why a change cannot be in a release or go out with it, or null when it can.</summary>
    public static string? Unusable(Texts<Strings> text, ChangeFacts change)
    {
        if (DeadChangeStates.Contains(change.State, StringComparer.Ordinal))
        {
            return text["Release.ChangeDead", change.Number, text[$"ChangeState.{change.State}"]];
        }
        return change.Authorised ? null : text["Release.ChangeNotAuthorised", change.Number, text[$"ChangeState.{change.State}"]];
    }

    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
