namespace Certus.Problems.Domain;

/// <summary>Where a problem is in its life (ISO/IEC 20000-1:2018 8.6.3: recorded, prioritised, resolved, closed).</summary>
public enum ProblemState
{
    /// <summary>Recorded and classified; nobody has started on the cause yet.</summary>
    Logged,

    /// <summary>Root cause analysis under way.</summary>
    Investigating,

    /// <summary>Root cause and workaround recorded: published in the known-error database for the service desk.</summary>
    KnownError,

    /// <summary>A change raised or linked to remove the cause is on its way.</summary>
    FixPending,

    /// <summary>The cause is removed; waiting to verify that the incidents do not come back.</summary>
    Resolved,

    /// <summary>Verified: no recurrence. Final.</summary>
    Closed,

    /// <summary>Not a problem after all (a duplicate, logged in error, no underlying cause). Final.</summary>
    Cancelled,
}

/// <summary>What moves a problem.</summary>
public enum ProblemTrigger
{
    Investigate,
    KnownError,
    AwaitFix,
    Resolve,
    Close,
    Reopen,
    Cancel,
}

/// <summary>
/// The one transition table of a problem: (state, trigger) → state. The API, the pages and the reactions to change
/// management all ask it, so no path skips the root cause, the fix or the verification.
/// </summary>
public static class ProblemLifecycle
{
    private static readonly Dictionary<(ProblemState From, ProblemTrigger Trigger), ProblemState> Table = new()
    {
        [(ProblemState.Logged, ProblemTrigger.Investigate)] = ProblemState.Investigating,
        // Root cause and workaround recorded: the known error goes to the service desk (manual §7.2.2).
        [(ProblemState.Investigating, ProblemTrigger.KnownError)] = ProblemState.KnownError,
        // The cause is known and a change to remove it is already raised, with no workaround to publish.
        [(ProblemState.Investigating, ProblemTrigger.AwaitFix)] = ProblemState.FixPending,
        // Cause found and removed in the investigation itself, where no change was needed.
        [(ProblemState.Investigating, ProblemTrigger.Resolve)] = ProblemState.Resolved,
        [(ProblemState.KnownError, ProblemTrigger.AwaitFix)] = ProblemState.FixPending,
        // A fix that needs no change to a CI: a supplier's repair, a procedure or training, a setting outside the CMDB.
        [(ProblemState.KnownError, ProblemTrigger.Resolve)] = ProblemState.Resolved,
        // The change was rejected, cancelled, failed or backed out: the known error waits for another fix.
        [(ProblemState.FixPending, ProblemTrigger.KnownError)] = ProblemState.KnownError,
        // Usually made by change management's report that the change is implemented.
        [(ProblemState.FixPending, ProblemTrigger.Resolve)] = ProblemState.Resolved,
        [(ProblemState.Resolved, ProblemTrigger.Close)] = ProblemState.Closed,
        // The incidents came back: the cause was not (all) removed.
        [(ProblemState.Resolved, ProblemTrigger.Reopen)] = ProblemState.Investigating,
        [(ProblemState.Logged, ProblemTrigger.Cancel)] = ProblemState.Cancelled,
        [(ProblemState.Investigating, ProblemTrigger.Cancel)] = ProblemState.Cancelled,
    };

    public static ProblemState? Next(ProblemState from, ProblemTrigger trigger) =>
        Table.TryGetValue((from, trigger), out var to) ? to : null;

    /// <summary>The moves possible from <paramref name="from"/>, in the table's order, for the 409 and the page's buttons.</summary>
    public static IReadOnlyList<ProblemTrigger> Allowed(ProblemState from) =>
        Table.Keys.Where(k => k.From == from).Select(k => k.Trigger).ToList();

    /// <summary>Every (state, trigger, state), for the documentation and the tests.</summary>
    public static IEnumerable<(ProblemState From, ProblemTrigger Trigger, ProblemState To)> Transitions() =>
        Table.Select(t => (t.Key.From, t.Key.Trigger, t.Value));

    /// <summary>The problem is still being worked: its incidents may recur, a trend is already covered by it.</summary>
    public static bool IsOpen(ProblemState state) =>
        state is ProblemState.Logged or ProblemState.Investigating or ProblemState.KnownError or ProblemState.FixPending;

    /// <summary>Nothing more happens to the problem: no edits, no links.</summary>
    public static bool IsFinished(ProblemState state) => state is ProblemState.Closed or ProblemState.Cancelled;

    /// <summary>The open states, by key, for SQL.</summary>
    public static IReadOnlyList<string> OpenKeys { get; } =
        [.. Enum.GetValues<ProblemState>().Where(IsOpen).Select(ProblemNames.Key)];
}
