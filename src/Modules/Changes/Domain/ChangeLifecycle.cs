using Certus.Changes.Contracts;

namespace Certus.Changes.Domain;

/// <summary>The three kinds of change (ISO/IEC 20000-1:2018 8.5.1.2).</summary>
public enum ChangeType
{
    /// <summary>Pre-authorised, low risk, done from a template; no board.</summary>
    Standard,

    /// <summary>Assessed and authorised by the change advisory board.</summary>
    Normal,

    /// <summary>Authorised by the emergency board at once; reviewed afterwards without exception.</summary>
    Emergency,
}

/// <summary>Where a change is in its life.</summary>
public enum ChangeState
{
    Draft,
    Submitted,
    Assessed,
    Authorised,
    Rejected,
    Scheduled,
    Implementing,
    Implemented,
    Failed,
    BackedOut,
    Reviewed,
    Closed,
    Cancelled,
}

/// <summary>What moves a change.</summary>
public enum ChangeTrigger
{
    Submit,
    Assess,
    Authorise,
    Reject,
    Schedule,
    Implement,
    Complete,
    Fail,
    BackOut,
    Review,
    Close,
    Cancel,
}

/// <summary>
/// One explicit transition table per change type: (state, trigger) → state. The API, the pages and the approval
/// rule all ask it, so no path can skip authorisation or the review an emergency change owes.
/// </summary>
public static class ChangeLifecycle
{
    private static readonly Dictionary<(ChangeState From, ChangeTrigger Trigger), ChangeState> Standard = new()
    {
        // The template is the authorisation: submitting a standard change authorises it.
        [(ChangeState.Draft, ChangeTrigger.Submit)] = ChangeState.Authorised,
        [(ChangeState.Authorised, ChangeTrigger.Schedule)] = ChangeState.Scheduled,
        [(ChangeState.Scheduled, ChangeTrigger.Schedule)] = ChangeState.Scheduled,
        [(ChangeState.Authorised, ChangeTrigger.Implement)] = ChangeState.Implementing,
        [(ChangeState.Scheduled, ChangeTrigger.Implement)] = ChangeState.Implementing,
        [(ChangeState.Implementing, ChangeTrigger.Complete)] = ChangeState.Implemented,
        [(ChangeState.Implementing, ChangeTrigger.Fail)] = ChangeState.Failed,
        [(ChangeState.Implementing, ChangeTrigger.BackOut)] = ChangeState.BackedOut,
        [(ChangeState.Failed, ChangeTrigger.BackOut)] = ChangeState.BackedOut,
        [(ChangeState.Implemented, ChangeTrigger.Review)] = ChangeState.Reviewed,
        [(ChangeState.Failed, ChangeTrigger.Review)] = ChangeState.Reviewed,
        [(ChangeState.BackedOut, ChangeTrigger.Review)] = ChangeState.Reviewed,
        // A standard change that went as the template says may close without a review; one that failed may not.
        [(ChangeState.Implemented, ChangeTrigger.Close)] = ChangeState.Closed,
        [(ChangeState.Reviewed, ChangeTrigger.Close)] = ChangeState.Closed,
        [(ChangeState.Draft, ChangeTrigger.Cancel)] = ChangeState.Cancelled,
        [(ChangeState.Authorised, ChangeTrigger.Cancel)] = ChangeState.Cancelled,
        [(ChangeState.Scheduled, ChangeTrigger.Cancel)] = ChangeState.Cancelled,
    };

    private static readonly Dictionary<(ChangeState From, ChangeTrigger Trigger), ChangeState> Normal = new()
    {
        [(ChangeState.Draft, ChangeTrigger.Submit)] = ChangeState.Submitted,
        [(ChangeState.Submitted, ChangeTrigger.Assess)] = ChangeState.Assessed,
        // Authorise and reject are the board's decision, reached when the approval rule is met.
        [(ChangeState.Assessed, ChangeTrigger.Authorise)] = ChangeState.Authorised,
        [(ChangeState.Assessed, ChangeTrigger.Reject)] = ChangeState.Rejected,
        [(ChangeState.Authorised, ChangeTrigger.Schedule)] = ChangeState.Scheduled,
        [(ChangeState.Scheduled, ChangeTrigger.Schedule)] = ChangeState.Scheduled,
        [(ChangeState.Scheduled, ChangeTrigger.Implement)] = ChangeState.Implementing,
        [(ChangeState.Implementing, ChangeTrigger.Complete)] = ChangeState.Implemented,
        [(ChangeState.Implementing, ChangeTrigger.Fail)] = ChangeState.Failed,
        [(ChangeState.Implementing, ChangeTrigger.BackOut)] = ChangeState.BackedOut,
        [(ChangeState.Failed, ChangeTrigger.BackOut)] = ChangeState.BackedOut,
        [(ChangeState.Implemented, ChangeTrigger.Review)] = ChangeState.Reviewed,
        [(ChangeState.Failed, ChangeTrigger.Review)] = ChangeState.Reviewed,
        [(ChangeState.BackedOut, ChangeTrigger.Review)] = ChangeState.Reviewed,
        [(ChangeState.Reviewed, ChangeTrigger.Close)] = ChangeState.Closed,
        [(ChangeState.Rejected, ChangeTrigger.Close)] = ChangeState.Closed,
        [(ChangeState.Draft, ChangeTrigger.Cancel)] = ChangeState.Cancelled,
        [(ChangeState.Submitted, ChangeTrigger.Cancel)] = ChangeState.Cancelled,
        [(ChangeState.Assessed, ChangeTrigger.Cancel)] = ChangeState.Cancelled,
        [(ChangeState.Authorised, ChangeTrigger.Cancel)] = ChangeState.Cancelled,
        [(ChangeState.Scheduled, ChangeTrigger.Cancel)] = ChangeState.Cancelled,
    };

    private static readonly Dictionary<(ChangeState From, ChangeTrigger Trigger), ChangeState> Emergency = new()
    {
        [(ChangeState.Draft, ChangeTrigger.Submit)] = ChangeState.Submitted,
        // The emergency board may decide on the submission itself; a quick assessment first is allowed.
        [(ChangeState.Submitted, ChangeTrigger.Assess)] = ChangeState.Assessed,
        [(ChangeState.Submitted, ChangeTrigger.Authorise)] = ChangeState.Authorised,
        [(ChangeState.Submitted, ChangeTrigger.Reject)] = ChangeState.Rejected,
        [(ChangeState.Assessed, ChangeTrigger.Authorise)] = ChangeState.Authorised,
        [(ChangeState.Assessed, ChangeTrigger.Reject)] = ChangeState.Rejected,
        [(ChangeState.Authorised, ChangeTrigger.Implement)] = ChangeState.Implementing,
        [(ChangeState.Authorised, ChangeTrigger.Schedule)] = ChangeState.Scheduled,
        [(ChangeState.Scheduled, ChangeTrigger.Schedule)] = ChangeState.Scheduled,
        [(ChangeState.Scheduled, ChangeTrigger.Implement)] = ChangeState.Implementing,
        [(ChangeState.Implementing, ChangeTrigger.Complete)] = ChangeState.Implemented,
        [(ChangeState.Implementing, ChangeTrigger.Fail)] = ChangeState.Failed,
        [(ChangeState.Implementing, ChangeTrigger.BackOut)] = ChangeState.BackedOut,
        [(ChangeState.Failed, ChangeTrigger.BackOut)] = ChangeState.BackedOut,
        // The retrospective review is not optional: an emergency change closes only from Reviewed.
        [(ChangeState.Implemented, ChangeTrigger.Review)] = ChangeState.Reviewed,
        [(ChangeState.Failed, ChangeTrigger.Review)] = ChangeState.Reviewed,
        [(ChangeState.BackedOut, ChangeTrigger.Review)] = ChangeState.Reviewed,
        [(ChangeState.Reviewed, ChangeTrigger.Close)] = ChangeState.Closed,
        [(ChangeState.Rejected, ChangeTrigger.Close)] = ChangeState.Closed,
        [(ChangeState.Draft, ChangeTrigger.Cancel)] = ChangeState.Cancelled,
        [(ChangeState.Submitted, ChangeTrigger.Cancel)] = ChangeState.Cancelled,
        [(ChangeState.Assessed, ChangeTrigger.Cancel)] = ChangeState.Cancelled,
        [(ChangeState.Authorised, ChangeTrigger.Cancel)] = ChangeState.Cancelled,
    };

    private static Dictionary<(ChangeState From, ChangeTrigger Trigger), ChangeState> TableOf(ChangeType type) => type switch
    {
        ChangeType.Standard => Standard,
        ChangeType.Normal => Normal,
        ChangeType.Emergency => Emergency,
    };

    public static ChangeState? Next(ChangeType type, ChangeState from, ChangeTrigger trigger) =>
        TableOf(type).TryGetValue((from, trigger), out var to) ? to : null;

    /// <summary>The moves possible from <paramref name="from"/>, in the table's order, for the 409 message and the page's buttons.</summary>
    public static IReadOnlyList<ChangeTrigger> Allowed(ChangeType type, ChangeState from) =>
        TableOf(type).Keys.Where(k => k.From == from).Select(k => k.Trigger).Distinct().ToList();

    /// <summary>Every (state, trigger, state) of a type, for the documentation and the tests.</summary>
    public static IEnumerable<(ChangeState From, ChangeTrigger Trigger, ChangeState To)> Transitions(ChangeType type) =>
        TableOf(type).Select(t => (t.Key.From, t.Key.Trigger, t.Value));

    /// <summary>
    /// The moves that bring a change of this type and state to where its release's step puts it; none when the change is
    /// already there or past it, or never started (a change that was not being implemented does not fail with its release).
    /// </summary>
    public static IReadOnlyList<ChangeTrigger> FollowRelease(ReleaseStep step, ChangeType type, ChangeState state)
    {
        // A normal change is implemented only from the schedule; standard and emergency changes may start straight away.
        IReadOnlyList<ChangeTrigger> start = state switch
        {
            ChangeState.Authorised when ChangeLifecycle.Next(type, state, ChangeTrigger.Implement) is null => [ChangeTrigger.Schedule, ChangeTrigger.Implement],
            ChangeState.Authorised or ChangeState.Scheduled => [ChangeTrigger.Implement],
            _ => [],
        };
        return step switch
        {
            ReleaseStep.Deploying => start,
            ReleaseStep.Deployed when state is ChangeState.Implementing => [ChangeTrigger.Complete],
            // A release that began deploying before its changes followed it still completes them.
            ReleaseStep.Deployed when start.Count > 0 => [.. start, ChangeTrigger.Complete],
            ReleaseStep.Failed when state is ChangeState.Implementing => [ChangeTrigger.Fail],
            ReleaseStep.BackedOut when state is ChangeState.Implementing or ChangeState.Failed => [ChangeTrigger.BackOut],
            _ => [],
        };
    }

    /// <summary>States in which the board votes on the change.</summary>
    public static bool IsAwaitingDecision(ChangeType type, ChangeState state) =>
        Next(type, state, ChangeTrigger.Authorise) is not null;

    /// <summary>The change may be carried out now: CIs in use may be changed under it (manual §8.1.4).</summary>
    public static bool PermitsWork(ChangeState state) => state is ChangeState.Authorised or ChangeState.Scheduled or ChangeState.Implementing;

    /// <summary>Details may still be edited: before anyone has assessed or authorised what they say.</summary>
    public static bool IsEditable(ChangeState state) => state is ChangeState.Draft or ChangeState.Submitted;

    /// <summary>The change holds a slot on the schedule (for conflicts).</summary>
    public static bool HoldsSlot(ChangeState state) => state is ChangeState.Authorised or ChangeState.Scheduled or ChangeState.Implementing;

    public static bool IsFinished(ChangeState state) => state is ChangeState.Closed or ChangeState.Cancelled;
}
