namespace Certus.Releases.Domain;

/// <summary>Where a release is (manual §9.1.1-§9.1.7; ISO/IEC 20000-1:2018 8.5.3).</summary>
public enum ReleaseState
{
    Planned,
    Building,
    Testing,
    Accepted,
    Deploying,
    Deployed,
    Failed,
    BackedOut,
    Closed,
    Cancelled,
}

/// <summary>What moves a release from one state to another; each is one API endpoint and one button.</summary>
public enum ReleaseTrigger
{
    Build,
    Test,
    Accept,
    Deploy,
    Complete,
    Fail,
    BackOut,
    Close,
    Cancel,
}

/// <summary>
/// The one transition table of a release: (state, trigger) → state. The API, the pages and the tests all ask it, so
/// they cannot disagree about which move is allowed.
/// </summary>
public static class ReleaseLifecycle
{
    private static readonly Dictionary<(ReleaseState From, ReleaseTrigger Trigger), ReleaseState> Table = new()
    {
        // The plan is complete enough to build from: changes, CIs with their new versions, back-out plan, acceptance criteria.
        [(ReleaseState.Planned, ReleaseTrigger.Build)] = ReleaseState.Building,

        // Every test run is recorded (manual §9.1.1 "track release test records"); a failed run sends the release back to the build.
        [(ReleaseState.Building, ReleaseTrigger.Test)] = ReleaseState.Testing,
        [(ReleaseState.Testing, ReleaseTrigger.Test)] = ReleaseState.Testing,
        [(ReleaseState.Testing, ReleaseTrigger.Build)] = ReleaseState.Building,

        // Acceptance against the plan's criteria, by the role the release policy names, once the latest run of every test kind passed.
        [(ReleaseState.Testing, ReleaseTrigger.Accept)] = ReleaseState.Accepted,

        // Deployment only while every change it carries is authorised and none failed, was backed out or cancelled.
        [(ReleaseState.Accepted, ReleaseTrigger.Deploy)] = ReleaseState.Deploying,

        // Success updates the CMDB and takes a baseline (§9.1.7); failure is backed out by the plan (§9.1.5).
        [(ReleaseState.Deploying, ReleaseTrigger.Complete)] = ReleaseState.Deployed,
        [(ReleaseState.Deploying, ReleaseTrigger.Fail)] = ReleaseState.Failed,
        [(ReleaseState.Failed, ReleaseTrigger.BackOut)] = ReleaseState.BackedOut,

        [(ReleaseState.Deployed, ReleaseTrigger.Close)] = ReleaseState.Closed,
        [(ReleaseState.BackedOut, ReleaseTrigger.Close)] = ReleaseState.Closed,

        [(ReleaseState.Planned, ReleaseTrigger.Cancel)] = ReleaseState.Cancelled,
        [(ReleaseState.Building, ReleaseTrigger.Cancel)] = ReleaseState.Cancelled,
        [(ReleaseState.Testing, ReleaseTrigger.Cancel)] = ReleaseState.Cancelled,
        [(ReleaseState.Accepted, ReleaseTrigger.Cancel)] = ReleaseState.Cancelled,
    };

    public static ReleaseState? Next(ReleaseState from, ReleaseTrigger trigger) =>
        Table.TryGetValue((from, trigger), out var to) ? to : null;

    /// <summary>The moves possible from <paramref name="from"/>, in the order of the trigger list: for the 409 message and the page's buttons.</summary>
    public static IReadOnlyList<ReleaseTrigger> Allowed(ReleaseState from) =>
        [.. Enum.GetValues<ReleaseTrigger>().Where(t => Table.ContainsKey((from, t)))];

    /// <summary>Every row of the table, for the documentation and the tests.</summary>
    public static IEnumerable<(ReleaseState From, ReleaseTrigger Trigger, ReleaseState To)> Rows =>
        Table.Select(r => (r.Key.From, r.Key.Trigger, r.Value));

    /// <summary>The changes and CIs a release carries are fixed once its build starts: what was built is what is tested and deployed.</summary>
    public static bool ContentEditable(ReleaseState state) => state == ReleaseState.Planned;

    /// <summary>The plan may still be completed up to acceptance; after that it is the plan that was accepted.</summary>
    public static bool PlanEditable(ReleaseState state) => state is ReleaseState.Planned or ReleaseState.Building or ReleaseState.Testing;

    /// <summary>Release notes are written until the release is closed or cancelled.</summary>
    public static bool NotesEditable(ReleaseState state) => !IsFinal(state);

    public static bool IsFinal(ReleaseState state) => state switch
    {
        ReleaseState.Closed or ReleaseState.Cancelled => true,
        ReleaseState.Planned or ReleaseState.Building or ReleaseState.Testing or ReleaseState.Accepted or ReleaseState.Deploying
            or ReleaseState.Deployed or ReleaseState.Failed or ReleaseState.BackedOut => false,
    };

    /// <summary>A release that has reached production, for good or ill.</summary>
    public static bool WasDeployed(ReleaseState state) => state switch
    {
        ReleaseState.Deploying or ReleaseState.Deployed or ReleaseState.Failed or ReleaseState.BackedOut => true,
        ReleaseState.Planned or ReleaseState.Building or ReleaseState.Testing or ReleaseState.Accepted
            or ReleaseState.Closed or ReleaseState.Cancelled => false,
    };
}

/// <summary>What a test run found.</summary>
public enum TestResult
{
    Passed,
    Failed,
}

/// <summary>Kinds of release test (manual §9.1.3 build and test; §9.1.4 acceptance).</summary>
public enum TestKind
{
    Unit,
    Integration,
    System,
    Performance,
    Security,
    Acceptance,
}

/// <summary>One recorded test run, as the acceptance rule reads it.</summary>
public readonly record struct TestRun(TestKind Kind, TestResult Result, DateTimeOffset At, long Sequence);

/// <summary>The rule that decides whether a release's tests allow acceptance.</summary>
public static class TestRecords
{
    /// <summary>
    /// The kinds whose latest run failed. A release is ready for acceptance when it has at least one run and this is
    /// empty: a failure is cleared only by a later passing run of the same kind, not by passing some other test.
    /// </summary>
    public static IReadOnlyList<TestKind> Failing(IEnumerable<TestRun> runs) =>
        [.. runs.GroupBy(r => r.Kind)
            .Select(g => g.OrderBy(r => r.At).ThenBy(r => r.Sequence).Last())
            .Where(r => r.Result == TestResult.Failed)
            .Select(r => r.Kind)
            .OrderBy(k => k)];
}

/// <summary>Wire names (kebab case) shared by the API, pages, SQL and resource keys.</summary>
public static class ReleaseNames
{
    public static string Key(this ReleaseState state) => state switch
    {
        ReleaseState.Planned => "planned",
        ReleaseState.Building => "building",
        ReleaseState.Testing => "testing",
        ReleaseState.Accepted => "accepted",
        ReleaseState.Deploying => "deploying",
        ReleaseState.Deployed => "deployed",
        ReleaseState.Failed => "failed",
        ReleaseState.BackedOut => "backed-out",
        ReleaseState.Closed => "closed",
        ReleaseState.Cancelled => "cancelled",
    };

    public static string Key(this ReleaseTrigger trigger) => trigger switch
    {
        ReleaseTrigger.Build => "build",
        ReleaseTrigger.Test => "test",
        ReleaseTrigger.Accept => "accept",
        ReleaseTrigger.Deploy => "deploy",
        ReleaseTrigger.Complete => "complete",
        ReleaseTrigger.Fail => "fail",
        ReleaseTrigger.BackOut => "back-out",
        ReleaseTrigger.Close => "close",
        ReleaseTrigger.Cancel => "cancel",
    };

    public static string Key(this TestResult result) => result switch
    {
        TestResult.Passed => "passed",
        TestResult.Failed => "failed",
    };

    public static string Key(this TestKind kind) => kind switch
    {
        TestKind.Unit => "unit",
        TestKind.Integration => "integration",
        TestKind.System => "system",
        TestKind.Performance => "performance",
        TestKind.Security => "security",
        TestKind.Acceptance => "acceptance",
    };

    public static ReleaseState? ParseState(string? key) => Parse<ReleaseState>(key, Key);

    public static ReleaseTrigger? ParseTrigger(string? key) => Parse<ReleaseTrigger>(key, Key);

    public static TestResult? ParseResult(string? key) => Parse<TestResult>(key, Key);

    public static TestKind? ParseKind(string? key) => Parse<TestKind>(key, Key);

    public static IReadOnlyList<string> Keys<T>(Func<T, string> key) where T : struct, Enum => [.. Enum.GetValues<T>().Select(key)];

    private static T? Parse<T>(string? key, Func<T, string> name) where T : struct, Enum =>
        string.IsNullOrWhiteSpace(key) ? null
            : Enum.GetValues<T>().Where(v => string.Equals(name(v), key.Trim(), StringComparison.OrdinalIgnoreCase)).Select(v => (T?)v).FirstOrDefault();
}
