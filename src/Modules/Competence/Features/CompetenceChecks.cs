using Certus.Competence.Domain;
using Certus.Data;
using Certus.Kernel.Conformity;
using Certus.Kernel.Errors;
using Dapper;
using Microsoft.Extensions.Options;
using Certus.Kernel.Text;

namespace Certus.Competence.Features;

/// <summary>People holding job roles meet the competence levels their roles require (ISO/IEC 20000-1:2018 7.2 b; 2005 3.3).</summary>
public sealed class RoleGapsCheck(Assessments assessments, Texts<Strings> text) : IConformityCheck
{
    public string Key => "competence.role-gaps";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("7.2"), ClauseRef.Of2005("3.3")];

    public string Title => text["Check.Gaps.Title"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var (people, requirements, gaps) = await assessments.GapsAsync(ct);
        if (people == 0 || requirements == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.Gaps.None"], [new(text["Check.Gaps.People"], people)], []);
        }
        var lacking = gaps.Select(g => g.UserId).Distinct().Count();
        return new CheckResult(
            gaps.Count == 0 ? CheckVerdict.Conforming : CheckVerdict.Gap,
            gaps.Count == 0 ? text["Check.Gaps.Ok", people, requirements] : text["Check.Gaps.Gap", lacking, gaps.Count],
            [
                new(text["Check.Gaps.People"], people), new(text["Check.Gaps.Requirements"], requirements), new(text["Check.Gaps.Gaps"], gaps.Count),
                new(text["Check.Gaps.PeopleWithGaps"], lacking),
            ],
            [.. gaps.Take(50).Select(g => new EvidenceRecord(g.Person, text["Check.Gaps.Record", g.Competence, g.Level, g.Required, g.JobRole], $"/competence/people/{g.UserId}"))]);
    }
}

/// <summary>
/// No certificate held by someone in a job role has lapsed: an expired certificate is a gap unless a later one of the same
/// name renews it or it was retired as no longer needed, with the reason (ISO/IEC 20000-1:2018 7.2 d; 2005 3.3).
/// </summary>
public sealed class CertificatesExpiredCheck(Database database, Certificates certificates, Catalogue catalogue, Texts<Strings> text, IOptions<CompetenceOptions> options)
    : IConformityCheck
{
    public string Key => "competence.certificates-expired";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("7.2"), ClauseRef.Of2005("3.3")];

    public string Title => text["Check.Certificates.Title"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        // Only certificates of the active people holding a job role: a leaver's lapsed certificate is no longer a risk.
        var holders = (await catalogue.JobRolesAsync(ct)).SelectMany(r => r.People).Where(p => p.IsActive).Select(p => p.UserId).ToHashSet();
        await using var connection = await database.OpenAsync(ct);
        var all = (await certificates.LoadAsync(connection, null, null, ct)).Where(c => holders.Contains(c.UserId)).ToList();
        // Judged on the check's day, not the clock's: the audit pack may ask about another day.
        Certificates.Judge(all, CalendarDates.Day(now), options.Value.SoonDays);
        var held = all.Where(c => c.State is "valid" or "expiring" or "expired").ToList();
        if (held.Count == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.Certificates.None"], [new(text["Check.Certificates.Held"], 0)], []);
        }
        var expired = held.Where(c => c.State == "expired").OrderBy(c => c.ExpiresOn, StringComparer.Ordinal).ToList();
        var soon = held.Where(c => c.State == "expiring").OrderBy(c => c.ExpiresOn, StringComparer.Ordinal).ToList();
        return new CheckResult(
            expired.Count == 0 ? CheckVerdict.Conforming : CheckVerdict.Gap,
            expired.Count == 0 ? text["Check.Certificates.Ok", held.Count, soon.Count] : text["Check.Certificates.Gap", expired.Count],
            [new(text["Check.Certificates.Held"], held.Count), new(text["Check.Certificates.Expired"], expired.Count), new(text["Check.Certificates.Expiring"], soon.Count)],
            [.. expired.Concat(soon).Take(50).Select(c => new EvidenceRecord($"{c.PersonName}: {c.Name}",
                text[c.State == "expired" ? "Check.Certificates.ExpiredOn" : "Check.Certificates.ExpiresOn", c.ExpiresOn ?? ""], $"/competence/people/{c.UserId}#certificates"))]);
    }
}

/// <summary>
/// Every active person holding a job role has a completed performance review for the last full year or the current one
/// (manual §2.3.1.2: each employee's performance is reviewed every year; ISO/IEC 20000-1:2018 7.2 d; 2005 3.3).
/// </summary>
public sealed class PerformanceReviewsCheck(Database database, Catalogue catalogue, Texts<Strings> text) : IConformityCheck
{
    public string Key => "competence.performance-reviews";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("7.2"), ClauseRef.Of2005("3.3")];

    public string Title => text["Check.Reviews.Title"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var year = CalendarDates.Year(now);
        var people = (await catalogue.JobRolesAsync(ct)).SelectMany(r => r.People).Where(p => p.IsActive).DistinctBy(p => p.UserId).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        if (people.Count == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.Reviews.None"], [new(text["Check.Reviews.People"], 0)], []);
        }
        await using var connection = await database.OpenAsync(ct);
        var done = (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT user_id FROM cpt_reviews WHERE year IN (@last, @year) AND status IN ('completed', 'acknowledged') AND completed_at <= @now",
            new { last = year - 1, year, now }, cancellationToken: ct))).ToHashSet();
        var missing = people.Where(p => !done.Contains(p.UserId)).ToList();
        var reviewed = people.Count - missing.Count;
        return new CheckResult(
            missing.Count == 0 ? CheckVerdict.Conforming : CheckVerdict.Gap,
            missing.Count == 0 ? text["Check.Reviews.Ok", people.Count, year - 1, year] : text["Check.Reviews.Gap", missing.Count, people.Count, year - 1, year],
            [new(text["Check.Reviews.People"], people.Count), new(text["Check.Reviews.Reviewed"], reviewed), new(text["Check.Reviews.Missing"], missing.Count)],
            [.. missing.Take(50).Select(p => new EvidenceRecord(p.Name, text["Check.Reviews.Record", year - 1, year], $"/competence/people/{p.UserId}#reviews"))]);
    }
}

/// <summary>
/// This year's training plan exists and is carried out (planned sessions past their day are held or cancelled, none left
/// unrecorded), and every active person holding a job role attended awareness training on the service management policy
/// in the last 12 months (ISO/IEC 20000-1:2018 7.2, 7.3; 2005 3.3; seed 001 §1.2.2.2: policy and objectives training for everyone).
/// </summary>
public sealed class TrainingPlanCheck(Database database, Sessions sessions, Catalogue catalogue, Texts<Strings> text) : IConformityCheck
{
    public string Key => "competence.training-plan";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("7.2"), ClauseRef.Of2018("7.3"), ClauseRef.Of2005("3.3")];

    public string Title => text["Check.Plan.Title"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var year = CalendarDates.Year(now);
        var today = CalendarDates.Day(now);
        await using var connection = await database.OpenAsync(ct);
        var plan = await connection.QuerySingleOrDefaultAsync<PlanRow>(new CommandDefinition(
            "SELECT id, title FROM cpt_plans WHERE year = @year", new { year }, cancellationToken: ct));
        var anything = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT (SELECT count(*) FROM cpt_plans) + (SELECT count(*) FROM cpt_sessions)", cancellationToken: ct));
        if (plan is null && anything == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.Plan.Nothing"], [], []);
        }
        var ofYear = await sessions.ListAsync(year, null, ct);
        var figures = PlanFigures.Of(ofYear, today);

        // Awareness (7.3): attended a held session, in the last 12 months, of a course that covers the policy.
        var people = (await catalogue.JobRolesAsync(ct)).SelectMany(r => r.People).Where(p => p.IsActive).DistinctBy(p => p.UserId).ToList();
        var since = CalendarDates.AddDays(today, -365);
        var aware = (await connection.QueryAsync<(Guid UserId, string Awareness)>(new CommandDefinition(
            """
            SELECT a.user_id, c.awareness FROM cpt_attendance a JOIN cpt_sessions s ON s.id = a.session_id JOIN cpt_courses c ON c.id = s.course_id
            WHERE a.status = 'attended' AND s.status = 'held' AND s.starts_on >= @since AND s.starts_on <= @today
            """, new { since, today }, cancellationToken: ct)))
            .Where(r => System.Text.Json.JsonSerializer.Deserialize<string[]>(r.Awareness)?.Contains(CompetenceNames.PolicyTopic, StringComparer.Ordinal) == true)
            .Select(r => r.UserId).ToHashSet();
        var unaware = people.Where(p => !aware.Contains(p.UserId)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();

        var problems = new List<string>();
        if (plan is null)
        {
            problems.Add(text["Check.Plan.NoPlan", year]);
        }
        if (figures.Overdue > 0)
        {
            problems.Add(text["Check.Plan.Overdue", figures.Overdue]);
        }
        if (unaware.Count > 0)
        {
            problems.Add(text["Check.Plan.Unaware", unaware.Count, people.Count]);
        }
        var records = new List<EvidenceRecord>();
        if (plan is not null)
        {
            records.Add(new EvidenceRecord(year.ToString(System.Globalization.CultureInfo.InvariantCulture), plan.Title, $"/competence/plan?year={year}"));
        }
        records.AddRange(ofYear.Where(s => s.InPlan && s.Status == "planned" && string.CompareOrdinal(s.StartsOn, today) < 0)
            .Select(s => new EvidenceRecord(s.Reference, text["Check.Plan.OverdueRecord", s.CourseTitle], $"/competence/sessions/{s.Id}")));
        records.AddRange(unaware.Select(p => new EvidenceRecord(p.Name, text["Check.Plan.UnawareRecord"], $"/competence/people/{p.UserId}")));
        return new CheckResult(
            problems.Count == 0 ? CheckVerdict.Conforming : CheckVerdict.Gap,
            problems.Count == 0 ? text["Check.Plan.Ok", year, figures.Held, figures.Planned, people.Count] : string.Join(" ", problems),
            [
                new(text["Check.Plan.Planned"], figures.Planned), new(text["Check.Plan.Held"], figures.Held), new(text["Check.Plan.Cancelled"], figures.Cancelled),
                new(text["Check.Plan.OverdueFigure"], figures.Overdue), new(text["Check.Plan.Completion"], figures.Completion ?? 0, "%"),
                new(text["Check.Plan.People"], people.Count), new(text["Check.Plan.Aware"], people.Count - unaware.Count),
            ],
            [.. records.Take(50)]);
    }

    private sealed class PlanRow
    {
        public Guid Id { get; init; }
        public string Title { get; init; } = "";
    }
}
