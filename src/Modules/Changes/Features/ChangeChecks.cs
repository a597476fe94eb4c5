using Certus.Changes.Domain;
using Certus.Data;
using Certus.Kernel.Conformity;
using Certus.Kernel.Errors;
using Dapper;

namespace Certus.Changes.Features;

/// <summary>Live evidence: no change was implemented without having been authorised (ISO/IEC 20000-1:2018 8.5.1.3; 2005 9.2).</summary>
public sealed class ChangesAuthorisedCheck(Database database, Texts<Strings> text) : IConformityCheck
{
    public string Key => "changes.implemented-without-authorisation";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("8.5.1.3"), ClauseRef.Of2005("9.2")];

    public string Title => text["Check.Authorised.Title"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var implemented = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM chg_changes WHERE actual_start IS NOT NULL", cancellationToken: ct));
        var offending = (await connection.QueryAsync<Offender>(new CommandDefinition(
            "SELECT number, title FROM chg_changes WHERE actual_start IS NOT NULL AND authorised_at IS NULL ORDER BY number LIMIT 50", cancellationToken: ct))).ToList();
        var figures = new List<CheckFigure> { new(text["Check.Implemented"], implemented), new(text["Check.Unauthorised"], offending.Count) };
        var records = offending.Select(o => new EvidenceRecord(new ChangeNumber(o.Number).ToString(), o.Title, "/changes/" + new ChangeNumber(o.Number))).ToList();
        return implemented == 0
            ? new CheckResult(CheckVerdict.NoEvidence, text["Check.Authorised.None"], figures, [])
            : offending.Count == 0
                ? new CheckResult(CheckVerdict.Conforming, text["Check.Authorised.Pass", implemented], figures, records)
                : new CheckResult(CheckVerdict.Gap, text["Check.Authorised.Fail", offending.Count], figures, records);
    }

    private sealed class Offender
    {
        public long Number { get; init; }
        public string Title { get; init; } = "";
    }
}

/// <summary>
/// Live evidence: every emergency change carried out more than <see cref="GraceDays"/> days ago has had its
/// retrospective review (ISO/IEC 20000-1:2018 8.5.1.3; 2005 9.2).
/// </summary>
public sealed class EmergencyChangesReviewedCheck(Database database, Texts<Strings> text) : IConformityCheck
{
    public const int GraceDays = 14;

    public string Key => "changes.emergency-reviewed";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("8.5.1.3"), ClauseRef.Of2005("9.2")];

    public string Title => text["Check.Emergency.Title", GraceDays];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var due = now.AddDays(-GraceDays);
        var carriedOut = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM chg_changes WHERE type = 'emergency' AND actual_end IS NOT NULL AND actual_end < @due", new { due }, cancellationToken: ct));
        var unreviewed = (await connection.QueryAsync<Offender>(new CommandDefinition(
            """
            SELECT number, title FROM chg_changes
            WHERE type = 'emergency' AND actual_end IS NOT NULL AND actual_end < @due AND reviewed_at IS NULL
            ORDER BY number LIMIT 50
            """, new { due }, cancellationToken: ct))).ToList();
        var figures = new List<CheckFigure> { new(text["Check.EmergencyDone"], carriedOut), new(text["Check.Unreviewed"], unreviewed.Count) };
        var records = unreviewed.Select(o => new EvidenceRecord(new ChangeNumber(o.Number).ToString(), o.Title, "/changes/" + new ChangeNumber(o.Number))).ToList();
        return carriedOut == 0
            ? new CheckResult(CheckVerdict.NoEvidence, text["Check.Emergency.None"], figures, [])
            : unreviewed.Count == 0
                ? new CheckResult(CheckVerdict.Conforming, text["Check.Emergency.Pass", carriedOut], figures, [])
                : new CheckResult(CheckVerdict.Gap, text["Check.Emergency.Fail", unreviewed.Count], figures, records);
    }

    private sealed class Offender
    {
        public long Number { get; init; }
        public string Title { get; init; } = "";
    }
}
