using System.Data.Common;
using Certus.Kernel.Http;
using Certus.Releases.Domain;
using Dapper;

namespace Certus.Releases.Features;

/// <summary>A release with its plan, the changes and CI versions it carries, its test records and its release notes.</summary>
public sealed class ReleaseView : IVersioned
{
    public Guid Id { get; init; }
    public long NumberValue { get; init; }
    public string Number => new ReleaseNumber(NumberValue).ToString();
    public string Identifier { get; init; } = "";
    public Guid PolicyId { get; init; }
    public string ServiceCode { get; init; } = "";
    public string Type { get; init; } = "";
    public string Title { get; init; } = "";
    public string Description { get; init; } = "";
    public string State { get; init; } = "";

    // The release plan (manual §9.1.2).
    public DateTimeOffset? PlannedStart { get; init; }
    public DateTimeOffset? PlannedEnd { get; init; }
    public string Deliverables { get; init; } = "";
    public string SiteActivities { get; init; } = "";
    public string BackOutPlan { get; init; } = "";
    public string AcceptanceCriteria { get; init; } = "";
    public string Communication { get; init; } = "";
    public string Risks { get; init; } = "";
    public string ProblemsClosed { get; init; } = "";

    // What happened.
    public string? FailureReason { get; init; }
    public string? BackOutResult { get; init; }
    public string? LatentCause { get; init; }
    public string? ReattemptChange { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }
    public Guid? AcceptedBy { get; init; }
    public DateTimeOffset? DeployedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public Guid? BaselineId { get; init; }
    public string? BaselineName { get; init; }

    // Release notes (§9.1.7): Markdown, shown rendered; published once the release succeeded.
    public string Notes { get; init; } = "";
    public DateTimeOffset? NotesPublishedAt { get; init; }
    public Guid? NotesPublishedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public Guid? CreatedBy { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }

    public IReadOnlyList<ReleaseChange> Changes { get; set; } = [];
    public IReadOnlyList<ReleaseItem> Items { get; set; } = [];
    public IReadOnlyList<TestRecord> Tests { get; set; } = [];

    /// <summary>The moves possible now, by their API names.</summary>
    public IReadOnlyList<string> AllowedActions => [.. ReleaseLifecycle.Allowed(ParsedState).Select(t => t.Key())];

    internal ReleaseState ParsedState => ReleaseNames.ParseState(State) ?? ReleaseState.Planned;

    internal const string Columns = """
        r.id, r.number AS number_value, r.identifier, r.policy_id, r.service_code, r.type, r.title, r.description, r.state, r.planned_start, r.planned_end,
        r.deliverables, r.site_activities, r.back_out_plan, r.acceptance_criteria, r.communication, r.risks, r.problems_closed, r.failure_reason,
        r.back_out_result, r.latent_cause, r.reattempt_change, r.accepted_at, r.accepted_by, r.deployed_at, r.completed_at, r.closed_at,
        r.baseline_id, r.baseline_name, r.notes, r.notes_published_at, r.notes_published_by, r.created_at, r.created_by, r.updated_at, r.version
        """;
}

/// <summary>
/// A change the release groups: number and title as recorded when it was added; <c>State</c> and <c>Authorised</c> as
/// change management says now (null when the change is no longer visible); <c>AuthorisedAtDeploy</c> as it said when the
/// release went out.
/// </summary>
public sealed class ReleaseChange
{
    public Guid ChangeId { get; init; }
    public string ChangeNumber { get; init; } = "";
    public string Title { get; init; } = "";
    public int Position { get; init; }
    public bool? AuthorisedAtDeploy { get; init; }
    public string? State { get; set; }
    public bool? Authorised { get; set; }
}

/// <summary>A CI the release delivers, at the version it is released in; the version it replaced once the release succeeded.</summary>
public sealed class ReleaseItem
{
    public Guid CiId { get; init; }
    public string Identifier { get; init; } = "";
    public string Name { get; init; } = "";
    public string VersionLabel { get; init; } = "";
    public string? PreviousVersion { get; init; }
    public int Position { get; init; }
}

/// <summary>One recorded test run (manual §9.1.1 "track release test records").</summary>
public sealed class TestRecord
{
    public Guid Id { get; init; }
    public long Sequence { get; init; }
    public string Kind { get; init; } = "";
    public string Environment { get; init; } = "";
    public string Result { get; init; } = "";
    public string Summary { get; init; } = "";
    public DateTimeOffset TestedAt { get; init; }
    public Guid? TestedBy { get; init; }
    public string TestedByName { get; init; } = "";

    internal TestRun Run => new(ReleaseNames.ParseKind(Kind) ?? TestKind.System, ReleaseNames.ParseResult(Result) ?? TestResult.Failed, TestedAt, Sequence);
}

/// <summary>A release in a list.</summary>
public sealed class ReleaseSummary
{
    public Guid Id { get; init; }
    public long NumberValue { get; init; }
    public string Number => new ReleaseNumber(NumberValue).ToString();
    public string Identifier { get; init; } = "";
    public string ServiceCode { get; init; } = "";
    public string Type { get; init; } = "";
    public string Title { get; init; } = "";
    public string State { get; init; } = "";
    public DateTimeOffset? PlannedStart { get; init; }
    public DateTimeOffset? PlannedEnd { get; init; }
    public int ChangeCount { get; init; }
    public int TestCount { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Reads of releases, shared by the use cases (inside their transactions) and the pages.</summary>
internal static class ReleaseRows
{
    public static async Task<ReleaseView?> LoadAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct)
    {
        var release = await connection.QuerySingleOrDefaultAsync<ReleaseView>(new CommandDefinition(
            $"SELECT {ReleaseView.Columns} FROM rel_releases r WHERE r.id = @id", new { id }, tx, cancellationToken: ct));
        if (release is null)
        {
            return null;
        }
        release.Changes = [.. await connection.QueryAsync<ReleaseChange>(new CommandDefinition(
            "SELECT change_id, change_number, title, position, authorised_at_deploy FROM rel_release_changes WHERE release_id = @id ORDER BY position",
            new { id }, tx, cancellationToken: ct))];
        release.Items = [.. await connection.QueryAsync<ReleaseItem>(new CommandDefinition(
            "SELECT ci_id, identifier, name, version_label, previous_version, position FROM rel_release_items WHERE release_id = @id ORDER BY position",
            new { id }, tx, cancellationToken: ct))];
        release.Tests = [.. await connection.QueryAsync<TestRecord>(new CommandDefinition(
            """
            SELECT id, sequence, kind, environment, result, summary, tested_at, tested_by, tested_by_name
            FROM rel_release_tests WHERE release_id = @id ORDER BY sequence
            """, new { id }, tx, cancellationToken: ct))];
        return release;
    }
}
