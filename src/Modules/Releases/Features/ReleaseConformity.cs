using Certus.Data;
using Certus.Kernel.Conformity;
using Certus.Releases.Domain;
using Dapper;
using Microsoft.Extensions.Localization;

namespace Certus.Releases.Features;

/// <summary>
/// Live evidence for ISO/IEC 20000-1:2018 8.5.3 (2005 10.1): every release that went to production had passed its tests,
/// had been accepted, and carried only changes authorised when it went out. The figure to show is zero releases without.
/// </summary>
public sealed class ReleasesDeployedUnverified(Database database, IStringLocalizer<Strings> text) : IConformityCheck
{
    private const int PageOfRecords = 50;

    public string Key => "releases.deployed-unverified";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("8.5.3"), ClauseRef.Of2005("10.1")];

    public string Title => text["Check.Title"];

    private sealed class Row
    {
        public Guid Id { get; init; }
        public long Number { get; init; }
        public string Identifier { get; init; } = "";
        public string Title { get; init; } = "";
        public long Accepted { get; init; }
        public long PassedTests { get; init; }
        public long FailingChanges { get; init; }
    }

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        // Deployed means it reached deployment (deployed_at set), whatever happened after.
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT r.id, r.number, r.identifier, r.title,
                CASE WHEN r.accepted_at IS NULL THEN 0 ELSE 1 END AS accepted,
                (SELECT count(*) FROM rel_release_tests t WHERE t.release_id = r.id AND t.result = 'passed') AS passed_tests,
                (SELECT count(*) FROM rel_release_changes c WHERE c.release_id = r.id AND (c.authorised_at_deploy IS NULL OR c.authorised_at_deploy = @no)) AS failing_changes
            FROM rel_releases r
            WHERE r.deployed_at IS NOT NULL AND r.deployed_at <= @now
            ORDER BY r.number DESC
            """, new { now, no = false }, cancellationToken: ct))).ToList();
        var figures = new List<CheckFigure> { new(text["Check.Deployed"], rows.Count) };
        if (rows.Count == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.NoEvidence"], figures, []);
        }
        var gaps = rows.Where(r => r.Accepted == 0 || r.PassedTests == 0 || r.FailingChanges > 0).ToList();
        figures.Add(new CheckFigure(text["Check.Unverified"], gaps.Count));
        figures.Add(new CheckFigure(text["Check.Share"], Math.Round(100m * (rows.Count - gaps.Count) / rows.Count, 1), "%"));
        var records = gaps.Take(PageOfRecords)
            .Select(r => new EvidenceRecord(new ReleaseNumber(r.Number).ToString(), $"{r.Identifier} {r.Title}", $"/releases/{r.Id}"))
            .ToList();
        return gaps.Count == 0
            ? new CheckResult(CheckVerdict.Conforming, text["Check.Conforming", rows.Count], figures, records)
            : new CheckResult(CheckVerdict.Gap, text["Check.Gap", gaps.Count, rows.Count], figures, records);
    }
}
