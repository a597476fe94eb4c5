using System.Globalization;
using Certus.Data;
using Certus.Documents.Contracts;
using Dapper;

namespace Certus.Compliance.Features;

/// <summary>One day of the trend: how many leaf clauses had each verdict.</summary>
public sealed class TrendPoint
{
    public string Day { get; init; } = "";
    public int Conforming { get; init; }
    public int Gap { get; init; }
    public int NoEvidence { get; init; }
}

/// <summary>The readiness figures for certification: clause verdicts, documents in force, GAP work and the roadmap.</summary>
public sealed record ReadinessFigures(
    string Edition, VerdictCounts Leaves, int DocumentsTotal, int DocumentsEffective, int OpenFindings, int OpenActions, int OverdueActions,
    int RoadmapSteps, int RoadmapDone, IReadOnlyList<TrendPoint> Trend);

/// <summary>
/// Readiness (issue 7, item 8): today's conformity is kept as a snapshot of every clause's verdict on the first view of
/// the day, so the dashboard can show the trend; the figures add the document register, the GAP work and the roadmap.
/// </summary>
public sealed class Readiness(Conformity conformity, Database database, IDocumentEvidence documents, TimeProvider clock)
{
    /// <summary>Runs the conformity view and records today's snapshot if there is none yet.</summary>
    public async Task<ConformityReport> CurrentAsync(string edition, CancellationToken ct = default)
    {
        var report = await conformity.HandleAsync(edition, ct);
        var day = Today();
        await database.WriteAsync(async (connection, tx) =>
        {
            var present = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM cmp_snapshots WHERE day = @day AND edition = @edition", new { day, edition }, tx, cancellationToken: ct));
            if (present == 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO cmp_snapshots (day, edition, clause, verdict) VALUES (@day, @edition, @clause, @verdict) ON CONFLICT (day, edition, clause) DO NOTHING",
                    report.Clauses.Select(c => new { day, edition, clause = c.Clause, verdict = c.Verdict }), tx, cancellationToken: ct));
            }
            return 0;
        }, ct);
        return report;
    }

    public async Task<ReadinessFigures> FiguresAsync(string edition, int days = 180, CancellationToken ct = default) =>
        await FiguresAsync(await CurrentAsync(edition, ct), days, ct);

    /// <summary>The figures around a conformity report already compiled (by <see cref="CurrentAsync"/>), so a page runs the checks once.</summary>
    public async Task<ReadinessFigures> FiguresAsync(ConformityReport report, int days = 180, CancellationToken ct = default)
    {
        var edition = report.Edition;
        var docs = await documents.AllAsync(ct);
        var today = Today();
        await using var connection = await database.OpenAsync(ct);
        var openFindings = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM cmp_findings WHERE status = 'open'", cancellationToken: ct));
        var actions = (await connection.QueryAsync<(string Status, string? DueOn)>(new CommandDefinition(
            "SELECT status, due_on FROM cmp_actions", cancellationToken: ct))).ToList();
        var roadmap = (await connection.QueryAsync<string>(new CommandDefinition("SELECT status FROM cmp_roadmap", cancellationToken: ct))).ToList();
        var trend = await TrendAsync(connection, edition, days, ct);
        var open = actions.Where(a => a.Status != "done").ToList();
        return new ReadinessFigures(edition, report.Leaves, docs.Count, docs.Count(d => d.Effective), (int)openFindings, open.Count,
            open.Count(a => a.DueOn is not null && string.CompareOrdinal(a.DueOn, today) < 0), roadmap.Count, roadmap.Count(s => s == "done"), trend);
    }

    /// <summary>Leaf-clause verdict counts per recorded day, oldest first.</summary>
    private static async Task<IReadOnlyList<TrendPoint>> TrendAsync(System.Data.Common.DbConnection connection, string edition, int days, CancellationToken ct)
    {
        var since = DateOnly.FromDateTime(DateTime.Today).AddDays(-days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // A leaf is a clause no other clause of the same snapshot names as its parent.
        var rows = (await connection.QueryAsync<(string Day, string Clause, string Verdict)>(new CommandDefinition(
            "SELECT day, clause, verdict FROM cmp_snapshots WHERE edition = @edition AND day >= @since ORDER BY day",
            new { edition, since }, cancellationToken: ct))).ToList();
        return [.. rows.GroupBy(r => r.Day, StringComparer.Ordinal).Select(g =>
        {
            var clauses = g.Select(r => r.Clause).ToHashSet(StringComparer.Ordinal);
            var leaves = g.Where(r => !clauses.Any(c => c.StartsWith(r.Clause + ".", StringComparison.Ordinal))).ToList();
            return new TrendPoint
            {
                Day = g.Key,
                Conforming = leaves.Count(r => r.Verdict == Conformity.Conforming),
                Gap = leaves.Count(r => r.Verdict == Conformity.Gap),
                NoEvidence = leaves.Count(r => r.Verdict == Conformity.NoEvidence),
            };
        })];
    }

    private string Today() => DateOnly.FromDateTime(clock.GetLocalNow().DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
