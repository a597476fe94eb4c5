using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Dapper;
using Certus.Kernel.Tables;
using Certus.Kernel.Text;

namespace Certus.Competence.Features;

/// <summary>A training taken outside Certus's sessions (a vendor course, a conference), entered by hand with its evidence.</summary>
public sealed class ExternalTrainingView : IVersioned
{
    public Guid Id { get; init; }
    public Guid UserId { get; init; }
    public string Title { get; init; } = "";
    public string? Provider { get; init; }
    public string HeldOn { get; init; } = "";
    public double? Hours { get; init; }
    public string Evidence { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedByName { get; init; } = "";
    public int Version { get; init; }
}

/// <summary>A competence on a person's record: their level against what their job roles require.</summary>
public sealed record RecordCompetence(
    Guid CompetenceId, string Key, string Name, string Category, int Level, int Required, bool Gap, string? AssessedOn, string? AssessorName, string? Evidence, string? Source);

/// <summary>A session on a person's record, with their attendance and result.</summary>
public sealed record RecordSession(
    Guid SessionId, Guid CourseId, string CourseCode, string CourseTitle, string StartsOn, string SessionStatus, string Attendance, int? Score, bool? Passed, int? PassMark,
    double Hours);

/// <summary>A job role on a person's record.</summary>
public sealed record RecordRole(Guid Id, string Name);

/// <summary>
/// One person's training record (manual §2.3.4: education, training, skills and experience per person): job roles,
/// competences against requirements, sessions attended, external trainings, exam results, certificates, reviews and the
/// training planned for them.
/// </summary>
public sealed record TrainingRecordView(
    Guid UserId, string Name, string Email, bool IsActive, IReadOnlyList<RecordRole> JobRoles, IReadOnlyList<RecordCompetence> Competences,
    IReadOnlyList<RecordSession> Sessions, IReadOnlyList<ExternalTrainingView> ExternalTrainings, IReadOnlyList<CertificateView> Certificates,
    IReadOnlyList<ReviewView> Reviews, IReadOnlyList<RecordSession> Planned, double HoursThisYear)
{
    public int Gaps => Competences.Count(c => c.Gap);
}

/// <summary>Builds people's training records and keeps their external trainings.</summary>
public sealed class TrainingRecords(
    Database database, AuditTrail audit, Staff staff, Catalogue catalogue, Assessments assessments, Sessions sessions, Certificates certificates,
    PerformanceReviews reviews, Courses courses, ICurrentUser caller, Texts<Strings> text, TimeProvider clock)
{
    /// <param name="Title">What the training was.</param>
    /// <param name="Provider">Who gave it.</param>
    /// <param name="HeldOn">yyyy-MM-dd.</param>
    /// <param name="Hours">How long.</param>
    /// <param name="Evidence">What proves it (an attendance certificate, an invoice, a transcript).</param>
    public sealed record ExternalRequest(string? Title, string? Provider, string? HeldOn, double? Hours, string? Evidence);

    /// <summary>True when the caller may read <paramref name="userId"/>'s record: their own, or with competence.read.</summary>
    public bool MayRead(Guid userId) =>
        caller.HasPermission(Contracts.CompetencePermissions.Read) || (caller.IsAuthenticated && caller.IsProviderStaff && caller.UserId == userId);

    public async Task<TrainingRecordView?> GetAsync(Guid userId, CancellationToken ct = default)
    {
        if (await staff.FindAsync(userId, ct) is not { } person)
        {
            return null;
        }
        var roles = (await catalogue.JobRolesAsync(ct)).Where(r => r.People.Any(p => p.UserId == userId)).ToList();
        var required = roles.SelectMany(r => r.Requirements).GroupBy(r => r.CompetenceId).ToDictionary(g => g.Key, g => g.Max(r => r.MinLevel));
        var levels = (await assessments.LevelsAsync(userId, ct)).ToDictionary(l => l.CompetenceId);
        var competences = (await catalogue.CompetencesAsync(ct)).Where(c => required.ContainsKey(c.Id) || levels.ContainsKey(c.Id))
            .Select(c =>
            {
                var level = levels.GetValueOrDefault(c.Id);
                var need = required.GetValueOrDefault(c.Id);
                return new RecordCompetence(c.Id, c.Key, c.Name, c.Category, level?.Level ?? 0, need, need > 0 && (level?.Level ?? 0) < need, level?.AssessedOn,
                    level?.AssessorName, level?.Evidence, level?.Source);
            }).ToList();

        var hours = (await courses.ListAsync(ct)).ToDictionary(c => c.Id, c => c.Hours);
        var mine = (await sessions.ListAsync(null, null, ct))
            .Select(s => (Session: s, Me: s.Attendance.FirstOrDefault(a => a.UserId == userId)))
            .Where(x => x.Me is not null)
            .Select(x => new RecordSession(x.Session.Id, x.Session.CourseId, x.Session.CourseCode, x.Session.CourseTitle, x.Session.StartsOn, x.Session.Status, x.Me!.Status,
                x.Me.Score, x.Me.Passed, x.Session.PassMark, hours.GetValueOrDefault(x.Session.CourseId)))
            .OrderByDescending(s => s.StartsOn, StringComparer.Ordinal).ToList();
        var today = CalendarDates.Day(clock.GetUtcNow());
        var planned = mine.Where(s => s.SessionStatus == "planned" && string.CompareOrdinal(s.StartsOn, today) >= 0).OrderBy(s => s.StartsOn, StringComparer.Ordinal).ToList();
        var external = await ExternalAsync(userId, ct);
        var year = today[..4];
        var hoursThisYear = mine.Where(s => s.SessionStatus == "held" && s.Attendance == "attended" && s.StartsOn.StartsWith(year, StringComparison.Ordinal)).Sum(s => s.Hours)
            + external.Where(e => e.HeldOn.StartsWith(year, StringComparison.Ordinal)).Sum(e => e.Hours ?? 0);
        return new TrainingRecordView(userId, person.DisplayName, person.Email, person.IsActive, [.. roles.Select(r => new RecordRole(r.Id, r.Name))], competences,
            [.. mine.Where(s => s.SessionStatus != "planned" || string.CompareOrdinal(s.StartsOn, today) < 0)], external,
            await certificates.ListAsync(null, userId, ct), await reviews.ListAsync(null, userId, ct), planned, hoursThisYear);
    }

    public async Task<IReadOnlyList<ExternalTrainingView>> ExternalAsync(Guid userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<ExternalTrainingView>(new CommandDefinition(
            """
            SELECT id, user_id, title, provider, held_on, hours, evidence, created_at, created_by_name, version
            FROM cpt_external_trainings WHERE user_id = @userId ORDER BY held_on DESC
            """, new { userId }, cancellationToken: ct))).ToList();
    }

    /// <summary>Records an external training on a person's record, with what proves it.</summary>
    public async Task<Outcome<ExternalTrainingView>> AddExternalAsync(Guid userId, ExternalRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("title", request.Title, 200).Optional("provider", request.Provider, 200).Required("evidence", request.Evidence, 4000);
        if (!Dates.TryParse(request.HeldOn, out var on) || on is null)
        {
            errors.AddMessage("heldOn", text["Validation.Date"]);
        }
        else if (string.CompareOrdinal(on, CalendarDates.Day(clock.GetUtcNow())) > 0)
        {
            errors.AddMessage("heldOn", text["Validation.NotInFuture"]);
        }
        if (request.Hours is { } h && h is <= 0 or > 1000)
        {
            errors.AddMessage("hours", text["Validation.Hours"]);
        }
        if (await staff.FindAsync(userId, ct) is null)
        {
            return text.NotFound();
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<ExternalTrainingView>>(async (connection, tx) =>
        {
            var id = Guid.CreateVersion7();
            var row = new
            {
                id, userId, title = request.Title!.Trim(), provider = CalendarDates.Blank(request.Provider), on, hours = request.Hours, evidence = request.Evidence!.Trim(),
                now = clock.GetUtcNow(), byName = caller.ActorName,
            };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cpt_external_trainings (id, user_id, title, provider, held_on, hours, evidence, created_at, created_by_name, version)
                VALUES (@id, @userId, @title, @provider, @on, @hours, @evidence, @now, @byName, 1)
                """, row, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(Assessments.RecordType, userId.ToString("D"), "external-training", null, AuditTrail.Created(
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["title"] = row.title, ["provider"] = row.provider, ["heldOn"] = on, ["hours"] = row.hours, ["evidence"] = row.evidence,
                }), row.title), ct);
            return await connection.QuerySingleAsync<ExternalTrainingView>(new CommandDefinition(
                "SELECT id, user_id, title, provider, held_on, hours, evidence, created_at, created_by_name, version FROM cpt_external_trainings WHERE id = @id",
                new { id }, tx, cancellationToken: ct));
        }, ct);
    }

    /// <summary>The record as sheets for CSV (one sheet, every line with its section) or XLSX (a sheet per section).</summary>
    public IReadOnlyList<TableOut> Sheets(TrainingRecordView record, bool oneSheet)
    {
        string T(string key) => text[key];
        var competences = new TableOut(T("Export.Competences"), [T("Export.Competence"), T("Export.Level"), T("Export.Required"), T("Export.Gap"), T("Export.AssessedOn"),
            T("Export.Assessor"), T("Export.Evidence")],
            record.Competences.Select(c => (IReadOnlyList<TableCell>)[c.Name, TableCell.Of(c.Level), TableCell.Of(c.Required), c.Gap ? T("Export.Yes") : "",
                c.AssessedOn, c.AssessorName, c.Evidence]));
        var trainings = new TableOut(T("Export.Training"), [T("Export.Course"), T("Export.Date"), T("Export.Attendance"), T("Export.Hours"), T("Export.Score"), T("Export.Result")],
            record.Sessions.Select(s => (IReadOnlyList<TableCell>)[$"{s.CourseCode} {s.CourseTitle}", s.StartsOn, T($"Attendance.Status.{s.Attendance}"), TableCell.Of((decimal)s.Hours),
                    TableCell.Of(s.Score), s.Passed is null ? "" : T(s.Passed == true ? "Export.Passed" : "Export.Failed")])
                .Concat(record.ExternalTrainings.Select(e => (IReadOnlyList<TableCell>)[$"{e.Title}{(e.Provider is null ? "" : $" ({e.Provider})")}", e.HeldOn,
                    T("Export.External"), TableCell.Of(e.Hours is { } h ? (decimal)h : null), null, e.Evidence])));
        var certs = new TableOut(T("Export.Certificates"), [T("Export.Certificate"), T("Export.Issuer"), T("Export.Number"), T("Export.IssuedOn"), T("Export.ExpiresOn"), T("Export.State")],
            record.Certificates.Select(c => (IReadOnlyList<TableCell>)[c.Name, c.Issuer, c.Number, c.IssuedOn, c.ExpiresOn, T($"Certificate.State.{c.State}")]));
        var reviewsSheet = new TableOut(T("Export.Reviews"), [T("Export.Year"), T("Export.Reviewer"), T("Export.Rating"), T("Export.Status"), T("Export.DevelopmentNeeds")],
            record.Reviews.Select(r => (IReadOnlyList<TableCell>)[TableCell.Of(r.Year), r.ReviewerName, r.Rating, T($"Review.Status.{r.Status}"), r.DevelopmentNeeds]));
        if (!oneSheet)
        {
            return [competences, trainings, certs, reviewsSheet];
        }
        // One CSV: every line says its section; the columns mean the same for every section.
        var lines = record.Competences.Select(c => (IReadOnlyList<TableCell>)[T("Export.Competences"), c.Name, c.AssessedOn, $"L{c.Level} / L{c.Required}",
                c.Gap ? T("Export.Gap") : "", c.Evidence])
            .Concat(record.Sessions.Select(s => (IReadOnlyList<TableCell>)[T("Export.Training"), $"{s.CourseCode} {s.CourseTitle}", s.StartsOn, TableCell.Of((decimal)s.Hours),
                T($"Attendance.Status.{s.Attendance}") + (s.Score is { } score ? $" {score} {T(s.Passed == true ? "Export.Passed" : "Export.Failed")}" : ""), null]))
            .Concat(record.ExternalTrainings.Select(e => (IReadOnlyList<TableCell>)[T("Export.Training"), $"{e.Title}{(e.Provider is null ? "" : $" ({e.Provider})")}", e.HeldOn,
                TableCell.Of(e.Hours is { } h ? (decimal)h : null), T("Export.External"), e.Evidence]))
            .Concat(record.Certificates.Select(c => (IReadOnlyList<TableCell>)[T("Export.Certificates"), $"{c.Name} ({c.Issuer}{(c.Number is null ? "" : " " + c.Number)})",
                c.IssuedOn, c.ExpiresOn, T($"Certificate.State.{c.State}"), null]))
            .Concat(record.Reviews.Select(r => (IReadOnlyList<TableCell>)[T("Export.Reviews"), $"{r.Year} {r.ReviewerName}", r.CompletedAt is { } at ? CalendarDates.Day(at) : null,
                r.Rating, T($"Review.Status.{r.Status}"), r.DevelopmentNeeds]));
        return [new TableOut(record.Name, [T("Export.Section"), T("Export.Item"), T("Export.Date"), T("Export.Value"), T("Export.Result"), T("Export.Note")], lines)];
    }
}
