using Certus.Data;
using Certus.Kernel.Conformity;
using Certus.Kernel.Errors;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Improvement.Features;

/// <summary>
/// Nonconformities open past the due date of their corrective action = 0 (ISO/IEC 20000-1:2018 10.1 c, "take action
/// ... in a timely manner"; 2005 4.4; manual §3.4.5 "corrected in time").
/// </summary>
public sealed class OverdueNonconformitiesCheck(Database database, Texts<Strings> text) : IConformityCheck
{
    public string Key => "improvement.nonconformities-open-past-due";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("10.1"), ClauseRef.Of2005("4.4")];

    public string Title => text["Check.Overdue.Title"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<NonconformityView>(new CommandDefinition(
            $"SELECT {NonconformityView.Columns} FROM imp_nonconformities WHERE raised_at <= @now ORDER BY number", new { now }, cancellationToken: ct))).ToList();
        var today = CalendarDates.Day(now);
        // As things stood at `now`: closed later means open then.
        var open = rows.Where(r => r.ClosedAt is null || r.ClosedAt > now).ToList();
        var overdue = open.Where(r => r.DueDate is { } d && string.CompareOrdinal(d, today) < 0).ToList();
        var figures = new List<CheckFigure>
        {
            new(text["Check.Overdue.Recorded"], rows.Count), new(text["Check.Overdue.Open"], open.Count), new(text["Check.Overdue.Overdue"], overdue.Count),
        };
        if (rows.Count == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.Overdue.None"], figures, []);
        }
        return new CheckResult(
            overdue.Count == 0 ? CheckVerdict.Conforming : CheckVerdict.Gap,
            overdue.Count == 0 ? text["Check.Overdue.Ok", open.Count] : text["Check.Overdue.Gap", overdue.Count],
            figures,
            [.. overdue.Take(50).Select(r => new EvidenceRecord(r.Number, r.Title.Length > 0 ? r.Title : r.SourceRef ?? "", $"/nonconformities/{r.Id}"))]);
    }
}
