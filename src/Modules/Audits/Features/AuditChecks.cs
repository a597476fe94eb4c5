using Certus.Data;
using Certus.Kernel.Conformity;
using Certus.Kernel.Errors;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Audits.Features;

/// <summary>An internal audit completed (reported) in the 12 months before now (ISO/IEC 20000-1:2018 9.2; 2005 4.3; manual §3.4.1).</summary>
public sealed class InternalAuditHeldCheck(Database database, Texts<Strings> text) : IConformityCheck
{
    public string Key => "audits.internal-audit-last-12-months";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("9.2"), ClauseRef.Of2005("4.3")];

    public string Title => text["Check.Audit.Title"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var audits = (await connection.QueryAsync<(Guid Id, string Number, string Title, DateTimeOffset ReportedAt)>(new CommandDefinition(
            "SELECT id, number, title, reported_at FROM aud_audits WHERE status IN ('reported', 'closed') AND reported_at <= @now ORDER BY reported_at DESC",
            new { now }, cancellationToken: ct))).ToList();
        if (audits.Count == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.Audit.None"], [new(text["Check.Audit.Completed"], 0)], []);
        }
        var last = audits[0];
        var recent = audits.Where(a => a.ReportedAt > now.AddMonths(-12)).ToList();
        var days = (decimal)Math.Floor((now - last.ReportedAt).TotalDays);
        return new CheckResult(
            recent.Count > 0 ? CheckVerdict.Conforming : CheckVerdict.Gap,
            recent.Count > 0 ? text["Check.Audit.Ok", last.Number, CalendarDates.Day(last.ReportedAt)] : text["Check.Audit.Gap", last.Number, CalendarDates.Day(last.ReportedAt)],
            [new(text["Check.Audit.Last12"], recent.Count), new(text["Check.Audit.DaysSince"], days)],
            [.. (recent.Count > 0 ? recent : [last]).Select(a => new EvidenceRecord(a.Number, a.Title, $"/audits/{a.Id}"))]);
    }
}

/// <summary>A management review held after the last completed internal audit (ISO/IEC 20000-1:2018 9.3; 2005 4.3; manual §3.4.3).</summary>
public sealed class ReviewAfterAuditCheck(Database database, Texts<Strings> text) : IConformityCheck
{
    public string Key => "audits.review-after-last-audit";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("9.3"), ClauseRef.Of2005("4.3")];

    public string Title => text["Check.Review.Title"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var audit = await connection.QueryFirstOrDefaultAsync<AuditRow>(new CommandDefinition(
            "SELECT id, number, title, reported_at FROM aud_audits WHERE status IN ('reported', 'closed') AND reported_at <= @now ORDER BY reported_at DESC",
            new { now }, cancellationToken: ct));
        var review = await connection.QueryFirstOrDefaultAsync<ReviewRow>(new CommandDefinition(
            "SELECT id, number, title, held_at FROM aud_reviews WHERE held_at IS NOT NULL AND held_at <= @now AND status <> 'cancelled' ORDER BY held_at DESC",
            new { now }, cancellationToken: ct));
        if (audit is null)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.Review.NoAudit"], [], review is null ? [] : [Record(review)]);
        }
        var auditRecord = new EvidenceRecord(audit.Number, audit.Title, $"/audits/{audit.Id}");
        if (review is null)
        {
            return new CheckResult(CheckVerdict.Gap, text["Check.Review.None", audit.Number], [new(text["Check.Review.Held"], 0)], [auditRecord]);
        }
        var after = review.HeldAt >= audit.ReportedAt;
        return new CheckResult(
            after ? CheckVerdict.Conforming : CheckVerdict.Gap,
            after ? text["Check.Review.Ok", review.Number, CalendarDates.Day(review.HeldAt), audit.Number] : text["Check.Review.Gap", review.Number, CalendarDates.Day(review.HeldAt), audit.Number, CalendarDates.Day(audit.ReportedAt)],
            [new(text["Check.Review.DaysAfter"], (decimal)Math.Floor((review.HeldAt - audit.ReportedAt).TotalDays))],
            [Record(review), auditRecord]);
    }

    private static EvidenceRecord Record(ReviewRow r) => new(r.Number, r.Title, $"/management-reviews/{r.Id}");

    private sealed class AuditRow
    {
        public Guid Id { get; init; }
        public string Number { get; init; } = "";
        public string Title { get; init; } = "";
        public DateTimeOffset ReportedAt { get; init; }
    }

    private sealed class ReviewRow
    {
        public Guid Id { get; init; }
        public string Number { get; init; } = "";
        public string Title { get; init; } = "";
        public DateTimeOffset HeldAt { get; init; }
    }
}

/// <summary>Audit nonconformities closed without an effectiveness check found effective = 0 (ISO/IEC 20000-1:2018 10.1 d; 2005 4.4).</summary>
public sealed class FindingsClosedWithoutCheck(Database database, Texts<Strings> text) : IConformityCheck
{
    public string Key => "audits.findings-closed-without-effectiveness-check";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("10.1"), ClauseRef.Of2005("4.4")];

    public string Title => text["Check.Findings.Title"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var closed = (await connection.QueryAsync<(Guid AuditId, string Audit, int Number, string Statement, string? Result)>(new CommandDefinition(
            """
            SELECT f.audit_id, a.number, f.number, f.statement, f.effectiveness_result FROM aud_findings f JOIN aud_audits a ON a.id = f.audit_id
            WHERE f.kind IN ('minor', 'major') AND f.status = 'closed' AND f.closed_at <= @now
            ORDER BY a.number, f.number
            """, new { now }, cancellationToken: ct))).ToList();
        if (closed.Count == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.Findings.None"], [new(text["Check.Findings.Closed"], 0)], []);
        }
        var withoutCheck = closed.Where(c => c.Result != "effective").ToList();
        return new CheckResult(
            withoutCheck.Count == 0 ? CheckVerdict.Conforming : CheckVerdict.Gap,
            withoutCheck.Count == 0 ? text["Check.Findings.Ok", closed.Count] : text["Check.Findings.Gap", withoutCheck.Count],
            [new(text["Check.Findings.Closed"], closed.Count), new(text["Check.Findings.Unchecked"], withoutCheck.Count)],
            [.. (withoutCheck.Count > 0 ? withoutCheck : closed).Take(50).Select(c => new EvidenceRecord($"{c.Audit} #{c.Number}", c.Statement, $"/audits/{c.AuditId}"))]);
    }
}
