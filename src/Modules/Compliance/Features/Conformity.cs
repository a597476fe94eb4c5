using System.Globalization;
using Certus.Data;
using Certus.Documents.Contracts;
using Certus.Kernel.Conformity;
using Dapper;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

namespace Certus.Compliance.Features;

/// <summary>A check's result as the conformity view shows it.</summary>
public sealed record CheckEvidence(string Key, string Title, string Verdict, string Summary, IReadOnlyList<CheckFigure> Figures, IReadOnlyList<EvidenceRecord> Records);

/// <summary>A document serving the clause.</summary>
public sealed record DocumentItem(string Code, string Title, string Tier, bool Effective, string? Version, string? ReviewDue, string Path);

/// <summary>An open or closed GAP finding against the clause.</summary>
public sealed record FindingItem(int Number, string Title, string Status, string Path);

/// <summary>Everything that speaks for or against a clause.</summary>
public sealed record ClauseEvidence(IReadOnlyList<DocumentItem> Documents, IReadOnlyList<CheckEvidence> Checks, IReadOnlyList<FindingItem> Findings);

/// <summary>One clause of the conformity view: its verdict rolled up from its own evidence and its sub-clauses.</summary>
/// <param name="Clause">Clause number, such as <c>8.5.1.1</c>.</param>
/// <param name="Parent">The clause it belongs to.</param>
/// <param name="Depth">1 for a top-level clause.</param>
/// <param name="Title">Title in the caller's language.</param>
/// <param name="Statement">What the clause asks, in Certus's words, in the caller's language.</param>
/// <param name="Verdict"><c>conforming</c>, <c>gap</c> or <c>no-evidence</c>.</param>
/// <param name="Coverage">Share of the leaf clauses under it (itself when a leaf) that conform, 0-100.</param>
/// <param name="Maps">Clauses of the other edition that cover the same ground.</param>
/// <param name="Evidence">The clause's own evidence.</param>
public sealed record ClauseConformity(
    string Clause, string? Parent, int Depth, string Title, string Statement, string Verdict, int Coverage, IReadOnlyList<string> Maps, ClauseEvidence Evidence);

/// <summary>Counts of leaf clauses by verdict.</summary>
public sealed record VerdictCounts(int Conforming, int Gap, int NoEvidence)
{
    public int Total => Conforming + Gap + NoEvidence;

    public int PercentConforming => Total == 0 ? 0 : (int)Math.Round(100.0 * Conforming / Total);
}

/// <summary>The conformity of one edition: every clause in catalogue order.</summary>
public sealed record ConformityReport(string Edition, string Title, DateTimeOffset GeneratedAt, VerdictCounts Leaves, IReadOnlyList<ClauseConformity> Clauses);

/// <summary>
/// Live conformity (issue 7): runs every registered <see cref="IConformityCheck"/>, reads the document register and
/// the open GAP findings, and gives each clause a verdict with its evidence. A leaf clause is a gap when a check
/// finds one or a GAP finding is open; conforming when a check passes or an effective document serves it; otherwise
/// there is no evidence. A clause with sub-clauses is a gap if any sub-clause is or its own evidence finds one, and
/// conforming only if every sub-clause is; its own evidence that is not real evidence (a draft document, a check with
/// nothing to judge, a closed finding) is shown but does not decide.
/// </summary>
public sealed class Conformity(
    ClauseCatalogue catalogue, IEnumerable<IConformityCheck> checks, IDocumentEvidence documents, Database database, IStringLocalizer<Strings> text,
    TimeProvider clock, ILogger<Conformity> logger)
{
    public const string Conforming = "conforming";
    public const string Gap = "gap";
    public const string NoEvidence = "no-evidence";

    public async Task<ConformityReport> HandleAsync(string edition, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var culture = CultureInfo.CurrentUICulture;
        var cat = catalogue[edition];
        var results = new List<(IConformityCheck Check, CheckResult Result)>();
        foreach (var check in checks.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            results.Add((check, await RunAsync(check, now, ct)));
        }
        var docs = await documents.AllAsync(ct);
        List<FindingRow> findings;
        await using (var connection = await database.OpenAsync(ct))
        {
            findings = (await connection.QueryAsync<FindingRow>(new CommandDefinition(
                "SELECT number, edition, clause, title, status FROM cmp_findings ORDER BY number", cancellationToken: ct))).ToList();
        }

        var own = new Dictionary<string, ClauseEvidence>(StringComparer.Ordinal);
        foreach (var clause in cat.Clauses)
        {
            var clauseDocs = docs.Where(d => d.Clauses.Any(c => Serves(edition, c, clause.Number)))
                .Select(d => new DocumentItem(d.Code, d.Title, d.Tier, d.Effective, d.EffectiveVersion, d.ReviewDue?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Path))
                .ToList();
            var clauseChecks = results.Where(r => r.Check.Clauses.Any(c => c.Edition == edition && c.Number == clause.Number))
                .Select(r => new CheckEvidence(r.Check.Key, r.Check.Title, Key(r.Result.Verdict), r.Result.Summary, r.Result.Figures, r.Result.Records))
                .ToList();
            var clauseFindings = findings.Where(f => Serves(edition, $"{f.Edition}:{f.Clause}", clause.Number))
                .Select(f => new FindingItem(f.Number, f.Title, f.Status, $"/compliance/gap#finding-{f.Number}"))
                .ToList();
            own[clause.Number] = new ClauseEvidence(clauseDocs, clauseChecks, clauseFindings);
        }

        var verdicts = new Dictionary<string, (string Verdict, int Leaves, int Conforming)>(StringComparer.Ordinal);
        (string Verdict, int Leaves, int Conforming) Judge(Clause clause)
        {
            if (verdicts.TryGetValue(clause.Number, out var known))
            {
                return known;
            }
            var evidence = own[clause.Number];
            var self = OwnVerdict(evidence);
            var children = cat.Children(clause.Number).Select(Judge).ToList();
            (string, int, int) result;
            if (children.Count == 0)
            {
                result = (self, 1, self == Conforming ? 1 : 0);
            }
            else
            {
                // The parent's own evidence is one more part only when it is real evidence (OwnVerdict): an effective
                // document, a check that found the requirement met or not, an open finding. A draft document (the
                // starter documents are drafts), a check with nothing to judge or a closed finding is listed but says
                // nothing, so it cannot pull a parent whose sub-clauses all conform down to "no evidence".
                var parts = children.Select(c => c.Verdict).ToList();
                if (self != NoEvidence)
                {
                    parts.Add(self);
                }
                var verdict = parts.Contains(Gap) ? Gap : parts.All(p => p == Conforming) ? Conforming : NoEvidence;
                result = (verdict, children.Sum(c => c.Leaves), children.Sum(c => c.Conforming));
            }
            verdicts[clause.Number] = result;
            return result;
        }

        var list = new List<ClauseConformity>();
        foreach (var clause in cat.Clauses)
        {
            var (verdict, leaves, conforming) = Judge(clause);
            list.Add(new ClauseConformity(clause.Number, clause.Parent, clause.Depth, clause.Title.In(culture), clause.Summary.In(culture), verdict,
                leaves == 0 ? 0 : (int)Math.Round(100.0 * conforming / leaves), clause.Maps, own[clause.Number]));
        }
        var leafVerdicts = cat.Clauses.Where(c => !cat.Children(c.Number).Any()).Select(c => verdicts[c.Number].Verdict).ToList();
        var counts = new VerdictCounts(leafVerdicts.Count(v => v == Conforming), leafVerdicts.Count(v => v == Gap), leafVerdicts.Count(v => v == NoEvidence));
        return new ConformityReport(edition, cat.Title, now, counts, list);
    }

    /// <summary>
    /// The GAP analysis candidates of a report: its leaf clauses that are a gap or have no evidence, in catalogue order,
    /// each a finding waiting to be recorded (or evidence waiting to be shown).
    /// </summary>
    public static IReadOnlyList<ClauseConformity> Candidates(ConformityReport report)
    {
        var parents = report.Clauses.Where(c => c.Parent is not null).Select(c => c.Parent!).ToHashSet(StringComparer.Ordinal);
        return [.. report.Clauses.Where(c => !parents.Contains(c.Clause) && c.Verdict != Conforming)];
    }

    /// <summary>True when a clause reference (<c>2018:8.6.1</c>) gives evidence for <paramref name="number"/> of <paramref name="edition"/>, directly or through the mapping.</summary>
    private bool Serves(string edition, string reference, string number)
    {
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        var (refEdition, refNumber) = colon < 0 ? ("2018", reference) : (reference[..colon], reference[(colon + 1)..]);
        if (refEdition == edition)
        {
            return refNumber == number;
        }
        return ClauseCatalogue.IsEdition(refEdition) && catalogue.MappedInto(edition, refNumber).Contains(number, StringComparer.Ordinal);
    }

    private static string OwnVerdict(ClauseEvidence e)
    {
        if (e.Checks.Any(c => c.Verdict == Gap) || e.Findings.Any(f => f.Status == "open"))
        {
            return Gap;
        }
        return e.Checks.Any(c => c.Verdict == Conforming) || e.Documents.Any(d => d.Effective) ? Conforming : NoEvidence;
    }

    public static string Key(CheckVerdict verdict) => verdict switch
    {
        CheckVerdict.Conforming => Conforming,
        CheckVerdict.Gap => Gap,
        CheckVerdict.NoEvidence => NoEvidence,
    };

    private async Task<CheckResult> RunAsync(IConformityCheck check, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            return await check.RunAsync(now, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One broken check must not take the whole view down; it shows as having no evidence, with why.
            logger.LogError(ex, "Conformity check {Key} failed.", check.Key);
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.Failed", ex.Message], [], []);
        }
    }

    private sealed class FindingRow
    {
        public int Number { get; init; }
        public string Edition { get; init; } = "";
        public string Clause { get; init; } = "";
        public string Title { get; init; } = "";
        public string Status { get; init; } = "";
    }
}
