using Certus.Data;
using Certus.Incidents.Contracts;
using Certus.Kernel.Conformity;
using Certus.Kernel.Errors;
using Certus.Problems.Domain;
using Dapper;

namespace Certus.Problems.Features;

/// <summary>The clauses problem management gives evidence for.</summary>
internal static class ProblemClauses
{
    public static readonly IReadOnlyList<ClauseRef> All = [ClauseRef.Of2018("8.6.3"), ClauseRef.Of2005("8.3")];

    public static EvidenceRecord Record(long number, string title) => new(new ProblemNumber(number).ToString(), title, new ProblemNumber(number).Path);
}

/// <summary>
/// Live evidence: every major incident of the last <see cref="Days"/> days has a problem record looking for its cause
/// (ISO/IEC 20000-1:2018 8.6.3 "root cause analysis … to prevent the recurrence of incidents"; 2005 8.3).
/// </summary>
public sealed class MajorIncidentsHaveProblemsCheck(Database database, IMajorIncidentLog majors, Texts<Strings> text) : IConformityCheck
{
    public const int Days = 90;

    public string Key => "problems.major-incidents-investigated";

    public IReadOnlyList<ClauseRef> Clauses => ProblemClauses.All;

    public string Title => text["Check.Major.Title", Days];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var logged = await majors.LoggedAsync(now.AddDays(-Days), now, ct);
        await using var connection = await database.OpenAsync(ct);
        var linked = (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT DISTINCT incident_id FROM prb_problem_incidents", cancellationToken: ct))).ToHashSet();
        var sourced = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT source_ref FROM prb_problems WHERE source_kind IN ('incident', 'major-incident') AND source_ref IS NOT NULL", cancellationToken: ct)))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = logged.Where(m => !linked.Contains(m.Id) && !sourced.Contains(m.Number)).ToList();
        var figures = new List<CheckFigure> { new(text["Check.Major.Logged"], logged.Count), new(text["Check.Major.Without"], missing.Count) };
        var records = missing.Take(50).Select(m => new EvidenceRecord(m.Number, m.Title, m.Path)).ToList();
        return logged.Count == 0
            ? new CheckResult(CheckVerdict.NoEvidence, text["Check.Major.None", Days], figures, [])
            : missing.Count == 0
                ? new CheckResult(CheckVerdict.Conforming, text["Check.Major.Pass", logged.Count], figures, [])
                : new CheckResult(CheckVerdict.Gap, text["Check.Major.Fail", missing.Count], figures, records);
    }
}

/// <summary>
/// Live evidence: every problem whose root cause is known but not yet removed has a workaround for the service desk or a
/// change on its way to remove the cause (ISO/IEC 20000-1:2018 8.6.3: "where the root cause has been identified, but the
/// problem has not been permanently resolved, … actions to reduce or eliminate the impact"; 2005 8.3).
/// </summary>
public sealed class KnownErrorsAddressedCheck(Database database, Texts<Strings> text) : IConformityCheck
{
    public string Key => "problems.known-errors-addressed";

    public IReadOnlyList<ClauseRef> Clauses => ProblemClauses.All;

    public string Title => text["Check.Addressed.Title"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT p.id, p.number, p.title, p.workaround FROM prb_problems p
            WHERE {database.Dialect.In("p.state", "open")} AND p.root_cause <> ''
            ORDER BY p.number
            """, new { open = ProblemLifecycle.OpenKeys.ToArray() }, cancellationToken: ct))).ToList();
        var pending = (await connection.QueryAsync<Guid>(new CommandDefinition(
            $"SELECT DISTINCT problem_id FROM prb_problem_changes WHERE {database.Dialect.In("state", "pending")}",
            new { pending = ChangeOutcome.PendingStates.ToArray() }, cancellationToken: ct))).ToHashSet();
        var bare = rows.Where(r => r.Workaround.Trim().Length == 0 && !pending.Contains(r.Id)).ToList();
        var figures = new List<CheckFigure> { new(text["Check.Addressed.Known"], rows.Count), new(text["Check.Addressed.Bare"], bare.Count) };
        return rows.Count == 0
            ? new CheckResult(CheckVerdict.NoEvidence, text["Check.Addressed.None"], figures, [])
            : bare.Count == 0
                ? new CheckResult(CheckVerdict.Conforming, text["Check.Addressed.Pass", rows.Count], figures, [])
                : new CheckResult(CheckVerdict.Gap, text["Check.Addressed.Fail", bare.Count], figures, [.. bare.Take(50).Select(r => ProblemClauses.Record(r.Number, r.Title))]);
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public long Number { get; init; }
        public string Title { get; init; } = "";
        public string Workaround { get; init; } = "";
    }
}

/// <summary>
/// Live evidence: no problem resolved more than <see cref="ResolutionTargets.VerifyWithinDays"/> days ago is still waiting
/// for the check that its incidents did not come back (ISO/IEC 20000-1:2018 8.6.3: "the effectiveness of problem
/// resolution shall be monitored, reviewed and reported"; 2005 8.3).
/// </summary>
public sealed class ResolvedVerifiedCheck(Database database, Texts<Strings> text) : IConformityCheck
{
    public string Key => "problems.resolved-unverified";

    public IReadOnlyList<ClauseRef> Clauses => ProblemClauses.All;

    public string Title => text["Check.Verified.Title", ResolutionTargets.VerifyWithinDays];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var resolved = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM prb_problems WHERE state IN ('resolved', 'closed')", cancellationToken: ct));
        var due = now.AddDays(-ResolutionTargets.VerifyWithinDays).ToUniversalTime();
        var late = (await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT number, title FROM prb_problems WHERE state = 'resolved' AND resolved_at < @due ORDER BY number LIMIT 50",
            new { due }, cancellationToken: ct))).ToList();
        var figures = new List<CheckFigure> { new(text["Check.Verified.Resolved"], resolved), new(text["Check.Verified.Late"], late.Count) };
        return resolved == 0
            ? new CheckResult(CheckVerdict.NoEvidence, text["Check.Verified.None"], figures, [])
            : late.Count == 0
                ? new CheckResult(CheckVerdict.Conforming, text["Check.Verified.Pass", resolved], figures, [])
                : new CheckResult(CheckVerdict.Gap, text["Check.Verified.Fail", late.Count, ResolutionTargets.VerifyWithinDays], figures,
                    [.. late.Select(r => ProblemClauses.Record(r.Number, r.Title))]);
    }

    private sealed class Row
    {
        public long Number { get; init; }
        public string Title { get; init; } = "";
    }
}

/// <summary>
/// Share of the problems resolved in a period that were resolved within their priority's target
/// (<see cref="ResolutionTargets"/>; ISO/IEC 20000-1:2018 6.2, 8.6.3). The late ones are the records behind it.
/// </summary>
public sealed class ResolvedWithinTargetMeasure(Database database, Texts<Strings> text) : IObjectiveMeasure
{
    public string Key => "problems.resolved-within-target";

    public string Title => text["Measure.WithinTarget"];

    public string? Unit => "%";

    public MeasureDirection Direction => MeasureDirection.AtLeast;

    public async Task<MeasureValue> MeasureAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT number, title, priority, created_at, resolved_at FROM prb_problems
            WHERE state IN ('resolved', 'closed') AND resolved_at >= @from AND resolved_at < @to ORDER BY number
            """, new { from = from.ToUniversalTime(), to = to.ToUniversalTime() }, cancellationToken: ct))).ToList();
        var late = rows.Where(r => r.ResolvedAt - r.CreatedAt > TimeSpan.FromDays(ResolutionTargets.DaysFor(r.Priority))).ToList();
        var figures = new[] { new CheckFigure(text["Measure.Resolved"], rows.Count), new CheckFigure(text["Measure.Late"], late.Count) };
        if (rows.Count == 0)
        {
            return MeasureValue.Nothing(figures);
        }
        return new MeasureValue(Math.Round(100m * (rows.Count - late.Count) / rows.Count, 1), figures,
            [.. late.Take(50).Select(r => ProblemClauses.Record(r.Number, r.Title))]);
    }

    private sealed class Row
    {
        public long Number { get; init; }
        public string Title { get; init; } = "";
        public int Priority { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset ResolvedAt { get; init; }
    }
}
