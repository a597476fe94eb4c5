using System.Data.Common;
using System.Globalization;
using Certus.Competence.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Competence.Features;

/// <summary>One person on a session: invited, attended or absent, with the exam score and whether it passed.</summary>
public sealed class AttendanceView
{
    public Guid UserId { get; init; }
    public string Name { get; set; } = "";
    public string Status { get; init; } = "";
    public int? Score { get; init; }
    public bool? Passed { get; init; }
    public string? Note { get; init; }
}

/// <summary>A session of a course: when, who trains, where, its status and who was there.</summary>
public sealed class SessionView : IVersioned
{
    public Guid Id { get; init; }
    public Guid CourseId { get; init; }
    public string CourseCode { get; init; } = "";
    public string CourseTitleEn { get; init; } = "";
    public string CourseTitleZh { get; init; } = "";
    public bool HasExam { get; init; }
    public int? PassMark { get; init; }
    public string StartsOn { get; init; } = "";
    public string EndsOn { get; init; } = "";
    public string Trainer { get; init; } = "";
    public string? Location { get; init; }
    public string Status { get; init; } = "";
    public bool InPlan { get; init; }
    public string? Notes { get; init; }
    public DateTimeOffset? HeldAt { get; init; }
    public string? CancelReason { get; init; }
    public int Version { get; init; }
    public IReadOnlyList<AttendanceView> Attendance { get; set; } = [];
    public IReadOnlyList<string> AllowedMoves { get; set; } = [];

    public string CourseTitle => Dates.Pick(CourseTitleEn, CourseTitleZh);

    /// <summary>How users name a session: the course code and its first day.</summary>
    public string Reference => $"{CourseCode} {StartsOn}";

    public int Invited => Attendance.Count;

    public int Attended => Attendance.Count(a => a.Status == "attended");

    public int PassedCount => Attendance.Count(a => a.Passed == true);

    internal const string Select =
        """
        SELECT s.id, s.course_id, c.code AS course_code, c.title_en AS course_title_en, c.title_zh AS course_title_zh, c.has_exam, c.pass_mark,
            s.starts_on, s.ends_on, s.trainer, s.location, s.status, s.in_plan, s.notes, s.held_at, s.cancel_reason, s.version
        FROM cpt_sessions s JOIN cpt_courses c ON c.id = s.course_id
        """;
}

/// <summary>
/// Training sessions with their attendance and exam results (ISO/IEC 20000-1:2018 7.2 c, d: act to acquire competence,
/// evaluate it, keep the evidence). A passed exam raises the person's competences to the course's level where lower and
/// issues the course's certificate.
/// </summary>
public sealed class Sessions(Database database, AuditTrail audit, Staff staff, Assessments assessments, ICurrentUser caller, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "training-session";

    /// <param name="CourseId">The course.</param>
    /// <param name="StartsOn">yyyy-MM-dd.</param>
    /// <param name="EndsOn">yyyy-MM-dd; the start day when blank.</param>
    /// <param name="Trainer">Who trains (a name: trainers are often external).</param>
    /// <param name="Location">Where.</param>
    /// <param name="InPlan">Part of the year's training plan (true unless said otherwise).</param>
    /// <param name="Notes">Anything else.</param>
    /// <param name="InviteeIds">Staff invited.</param>
    public sealed record Request(
        Guid? CourseId, string? StartsOn, string? EndsOn, string? Trainer, string? Location, bool? InPlan, string? Notes, IReadOnlyList<Guid>? InviteeIds = null);

    public sealed record MoveRequest(string? Move, string? Reason);

    public sealed record InviteRequest(IReadOnlyList<Guid>? UserIds);

    /// <param name="UserId">The person.</param>
    /// <param name="Status"><c>invited</c>, <c>attended</c> or <c>absent</c>.</param>
    /// <param name="Score">Exam score 0-100, for those who attended a course with an exam.</param>
    /// <param name="Note">Anything worth keeping.</param>
    public sealed record AttendanceRow(Guid? UserId, string? Status, int? Score, string? Note);

    public sealed record AttendanceRequest(IReadOnlyList<AttendanceRow>? Rows);

    public async Task<IReadOnlyList<SessionView>> ListAsync(int? year, Guid? courseId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var where = new List<string>();
        if (year is not null)
        {
            where.Add("s.starts_on >= @from AND s.starts_on < @to");
        }
        if (courseId is not null)
        {
            where.Add("s.course_id = @courseId");
        }
        var sessions = (await connection.QueryAsync<SessionView>(new CommandDefinition(
            SessionView.Select + (where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where)) + " ORDER BY s.starts_on, c.code",
            new { from = $"{year:D4}-01-01", to = $"{year + 1:D4}-01-01", courseId }, cancellationToken: ct))).ToList();
        await FillAsync(connection, null, sessions, ct);
        return sessions;
    }

    public async Task<SessionView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await GetAsync(connection, null, id, ct);
    }

    private async Task<SessionView?> GetAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct)
    {
        var session = await connection.QuerySingleOrDefaultAsync<SessionView>(new CommandDefinition(
            SessionView.Select + " WHERE s.id = @id", new { id }, tx, cancellationToken: ct));
        if (session is not null)
        {
            await FillAsync(connection, tx, [session], ct);
        }
        return session;
    }

    private async Task FillAsync(DbConnection connection, DbTransaction? tx, List<SessionView> sessions, CancellationToken ct)
    {
        if (sessions.Count == 0)
        {
            return;
        }
        var ids = sessions.Select(s => s.Id).ToArray();
        var rows = (await connection.QueryAsync<AttendanceRowData>(new CommandDefinition(
            $"SELECT session_id, user_id, status, score, passed, note FROM cpt_attendance WHERE {SqlDialect.For(connection).In("session_id", "ids")}",
            new { ids }, tx, cancellationToken: ct))).ToList();
        var users = await staff.FindManyAsync(rows.Select(r => r.UserId), ct);
        var bySession = rows.ToLookup(r => r.SessionId);
        foreach (var s in sessions)
        {
            s.Attendance = [.. bySession[s.Id]
                .Select(r => new AttendanceView
                {
                    UserId = r.UserId, Name = users.TryGetValue(r.UserId, out var u) ? u.DisplayName : r.UserId.ToString("D"), Status = r.Status, Score = r.Score,
                    Passed = r.Passed, Note = r.Note,
                })
                .OrderBy(a => a.Name, StringComparer.Ordinal)];
            s.AllowedMoves = [.. SessionLifecycle.Allowed(SessionLifecycle.ParseStatus(s.Status)).Select(t => t.Key())];
        }
    }

    private sealed class AttendanceRowData
    {
        public Guid SessionId { get; init; }
        public Guid UserId { get; init; }
        public string Status { get; init; } = "";
        public int? Score { get; init; }
        public bool? Passed { get; init; }
        public string? Note { get; init; }
    }

    private async Task<(FieldErrors Errors, string? Start, string? End)> ValidateAsync(Request request, bool withInvitees, CancellationToken ct)
    {
        var errors = text.Errors().Required("trainer", request.Trainer, 200).Optional("location", request.Location, 200).Optional("notes", request.Notes, 4000);
        if (request.CourseId is not { } courseId)
        {
            errors.Add("courseId", "Validation.Required");
        }
        else
        {
            await using var connection = await database.OpenAsync(ct);
            if (await Courses.GetAsync(connection, null, courseId, ct) is null)
            {
                errors.Add("courseId", "Validation.Unknown", courseId);
            }
        }
        if (!Dates.TryParse(request.StartsOn, out var start) || start is null)
        {
            errors.AddMessage("startsOn", text["Validation.Date"]);
        }
        if (!Dates.TryParse(request.EndsOn, out var end))
        {
            errors.AddMessage("endsOn", text["Validation.Date"]);
        }
        else if (end is not null && start is not null && string.CompareOrdinal(end, start) < 0)
        {
            errors.AddMessage("endsOn", text["Validation.EndBeforeStart"]);
        }
        if (withInvitees)
        {
            foreach (var user in (request.InviteeIds ?? []).Distinct())
            {
                errors.When(!await staff.IsStaffAsync(user, ct), "inviteeIds", "Validation.Unknown", user);
            }
        }
        return (errors, start, end ?? start);
    }

    public async Task<Outcome<SessionView>> CreateAsync(Request request, CancellationToken ct = default)
    {
        var (errors, start, end) = await ValidateAsync(request, true, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<SessionView>>(async (connection, tx) =>
        {
            var id = Guid.CreateVersion7();
            var now = clock.GetUtcNow();
            var row = new
            {
                id, courseId = request.CourseId!.Value, start, end, trainer = request.Trainer!.Trim(), location = CalendarDates.Blank(request.Location), inPlan = request.InPlan ?? true,
                notes = CalendarDates.Blank(request.Notes), now, byName = caller.ActorName,
            };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cpt_sessions (id, course_id, starts_on, ends_on, trainer, location, status, in_plan, notes, created_at, created_by_name, version)
                VALUES (@id, @courseId, @start, @end, @trainer, @location, 'planned', @inPlan, @notes, @now, @byName, 1)
                """, row, tx, cancellationToken: ct));
            var invitees = (request.InviteeIds ?? []).Distinct().ToList();
            await InviteAsync(connection, tx, id, invitees, now, ct);
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "planned", null, AuditTrail.Created(
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["courseId"] = row.courseId, ["startsOn"] = start, ["endsOn"] = end, ["trainer"] = row.trainer, ["location"] = row.location, ["inPlan"] = row.inPlan,
                    ["notes"] = row.notes, ["invited"] = string.Join(",", invitees),
                })), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    private static async Task InviteAsync(DbConnection connection, DbTransaction tx, Guid id, IReadOnlyList<Guid> users, DateTimeOffset now, CancellationToken ct)
    {
        var present = (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT user_id FROM cpt_attendance WHERE session_id = @id", new { id }, tx, cancellationToken: ct))).ToHashSet();
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO cpt_attendance (session_id, user_id, status, updated_at) VALUES (@id, @userId, 'invited', @now)",
            users.Where(u => !present.Contains(u)).Select(u => new { id, userId = u, now }), tx, cancellationToken: ct));
    }

    /// <summary>Changes a planned session's date, trainer, place or notes.</summary>
    public async Task<Outcome<SessionView>> UpdateAsync(Guid id, int expectedVersion, Request request, CancellationToken ct = default)
    {
        var (errors, start, end) = await ValidateAsync(request, false, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<SessionView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (current.Status != "planned")
            {
                return new Failure(FailureKind.Conflict, text["Session.Fixed", text[$"Session.Status.{current.Status}"]]);
            }
            var after = new
            {
                id, courseId = request.CourseId!.Value, start, end, trainer = request.Trainer!.Trim(), location = CalendarDates.Blank(request.Location),
                inPlan = request.InPlan ?? current.InPlan, notes = CalendarDates.Blank(request.Notes), version = expectedVersion,
            };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cpt_sessions SET course_id = @courseId, starts_on = @start, ends_on = @end, trainer = @trainer, location = @location, in_plan = @inPlan, notes = @notes,
                    version = version + 1
                WHERE id = @id AND version = @version
                """, after, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "updated", null, AuditTrail.Diff(
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["courseId"] = current.CourseId, ["startsOn"] = current.StartsOn, ["endsOn"] = current.EndsOn, ["trainer"] = current.Trainer, ["location"] = current.Location,
                    ["inPlan"] = current.InPlan, ["notes"] = current.Notes,
                },
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["courseId"] = after.courseId, ["startsOn"] = start, ["endsOn"] = end, ["trainer"] = after.trainer, ["location"] = after.location, ["inPlan"] = after.inPlan,
                    ["notes"] = after.notes,
                })), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>Holds (from its first day on) or cancels (with a reason) a planned session.</summary>
    public async Task<Outcome<SessionView>> MoveAsync(Guid id, int expectedVersion, MoveRequest request, CancellationToken ct = default)
    {
        var trigger = SessionLifecycle.ParseTrigger(request.Move);
        var errors = text.Errors().Optional("reason", request.Reason, 2000);
        errors.When(trigger is null, "move", "Validation.OneOf", string.Join(", ", Enum.GetValues<SessionTrigger>().Select(t => t.Key())));
        errors.When(trigger == SessionTrigger.Cancel && string.IsNullOrWhiteSpace(request.Reason), "reason", "Validation.Required");
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<SessionView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            var from = SessionLifecycle.ParseStatus(current.Status);
            if (SessionLifecycle.Next(from, trigger!.Value) is not { } to)
            {
                var allowed = SessionLifecycle.Allowed(from);
                return new Failure(FailureKind.Conflict, text["Session.IllegalMove", request.Move!, text[$"Session.Status.{current.Status}"],
                    allowed.Count == 0 ? text["Move.None"] : string.Join(", ", allowed.Select(t => t.Key()))]);
            }
            var now = clock.GetUtcNow();
            if (to == SessionStatus.Held && string.CompareOrdinal(current.StartsOn, CalendarDates.Day(now)) > 0)
            {
                return new Failure(FailureKind.Conflict, text["Session.NotYet", current.StartsOn]);
            }
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cpt_sessions SET status = @status, held_at = CASE WHEN @status = 'held' THEN @now ELSE held_at END,
                    cancel_reason = CASE WHEN @status = 'cancelled' THEN @reason ELSE cancel_reason END, version = version + 1
                WHERE id = @id AND version = @version
                """, new { status = to.Key(), now, reason = CalendarDates.Blank(request.Reason), id, version = expectedVersion }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), trigger.Value.Key(), null,
                [new AuditChange("status", current.Status, to.Key())], CalendarDates.Blank(request.Reason) ?? text[$"Session.Moved.{trigger.Value.Key()}"]), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>Invites more people to a planned or held session (someone who turned up unannounced).</summary>
    public async Task<Outcome<SessionView>> InviteAsync(Guid id, int expectedVersion, InviteRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors();
        var users = (request.UserIds ?? []).Distinct().ToList();
        errors.When(users.Count == 0, "userIds", "Validation.Required");
        foreach (var user in users)
        {
            errors.When(!await staff.IsStaffAsync(user, ct), "userIds", "Validation.Unknown", user);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<SessionView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (current.Status == "cancelled")
            {
                return new Failure(FailureKind.Conflict, text["Session.Fixed", text["Session.Status.cancelled"]]);
            }
            await InviteAsync(connection, tx, id, users, clock.GetUtcNow(), ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cpt_sessions SET version = version + 1 WHERE id = @id AND version = @version", new { id, version = expectedVersion }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "invited", null,
                [new AuditChange("invited", string.Join(",", current.Attendance.Select(a => a.UserId)), string.Join(",", current.Attendance.Select(a => a.UserId).Union(users)))]), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>
    /// Records who attended and, for a course with an exam, the scores of a held session. Passing is computed against the
    /// course's pass mark; a first pass raises the person's competences to the course's level where lower and issues
    /// the course's certificate. Levels are never lowered here: a corrected score leaves the assessment history in the trail.
    /// </summary>
    public async Task<Outcome<SessionView>> RecordAttendanceAsync(Guid id, int expectedVersion, AttendanceRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors();
        var rows = request.Rows ?? [];
        errors.When(rows.Count == 0, "rows", "Validation.Required");
        var session = await GetAsync(id, ct);
        if (session is null)
        {
            return text.NotFound();
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var field = $"rows[{i}]";
            if (r.UserId is not { } user)
            {
                errors.Add($"{field}.userId", "Validation.Required");
                continue;
            }
            if (session.Attendance.All(a => a.UserId != user) && !await staff.IsStaffAsync(user, ct))
            {
                errors.Add($"{field}.userId", "Validation.Unknown", user);
            }
            if (!CompetenceNames.AttendanceStatuses.Contains(r.Status ?? "", StringComparer.Ordinal))
            {
                errors.Add($"{field}.status", "Validation.OneOf", string.Join(", ", CompetenceNames.AttendanceStatuses));
            }
            if (r.Score is { } score)
            {
                if (!session.HasExam)
                {
                    errors.AddMessage($"{field}.score", text["Attendance.NoExam"]);
                }
                else if (score is < 0 or > 100)
                {
                    errors.AddMessage($"{field}.score", text["Attendance.ScoreRange"]);
                }
                else if (r.Status != "attended")
                {
                    errors.AddMessage($"{field}.score", text["Attendance.ScoreNeedsAttendance"]);
                }
            }
            errors.Optional($"{field}.note", r.Note, 1000);
        }
        if (rows.GroupBy(r => r.UserId).Any(g => g.Key is not null && g.Count() > 1))
        {
            errors.AddMessage("rows", text["Attendance.Twice"]);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<SessionView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (current.Status != "held")
            {
                return new Failure(FailureKind.Conflict, text["Attendance.NotHeld", text[$"Session.Status.{current.Status}"]]);
            }
            var course = (await Courses.GetAsync(connection, tx, current.CourseId, ct))!;
            var now = clock.GetUtcNow();
            var changes = new List<AuditChange>();
            var raised = new List<string>();
            var users = await staff.FindManyAsync(rows.Select(r => r.UserId!.Value), ct);
            foreach (var r in rows)
            {
                var user = r.UserId!.Value;
                var before = current.Attendance.FirstOrDefault(a => a.UserId == user);
                bool? passed = course.HasExam && r.Status == "attended" && r.Score is { } score ? score >= course.PassMark : null;
                var row = new { id, user, status = r.Status, score = r.Status == "attended" ? r.Score : null, passed, note = CalendarDates.Blank(r.Note), now };
                if (before is null)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO cpt_attendance (session_id, user_id, status, score, passed, note, updated_at) VALUES (@id, @user, @status, @score, @passed, @note, @now)",
                        row, tx, cancellationToken: ct));
                }
                else
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "UPDATE cpt_attendance SET status = @status, score = @score, passed = @passed, note = @note, updated_at = @now WHERE session_id = @id AND user_id = @user",
                        row, tx, cancellationToken: ct));
                }
                var name = users.TryGetValue(user, out var u) ? u.DisplayName : user.ToString("D");
                var old = before is null ? null : Describe(before.Status, before.Score, before.Passed);
                var now2 = Describe(row.status!, row.score, passed);
                if (!string.Equals(old, now2, StringComparison.Ordinal))
                {
                    changes.Add(new AuditChange(name, old, now2));
                }
                if (passed == true && before?.Passed != true)
                {
                    var evidence = text["Attendance.PassEvidence", course.Code, current.StartsOn, row.score!.Value, course.PassMark!.Value];
                    foreach (var c in course.Competences)
                    {
                        if (await assessments.RaiseAsync(connection, tx, user, c.CompetenceId, c.Level, current.EndsOn, evidence, evidence, ct))
                        {
                            raised.Add($"{name}: {c.Key} → {c.Level}");
                        }
                    }
                    if (course.CertificateName is { } certificate)
                    {
                        await Certificates.IssueAsync(connection, tx, audit, user, certificate, course.Provider ?? course.Title, $"{course.Code}-{current.EndsOn[..4]}-{user.ToString("N")[^6..].ToUpperInvariant()}",
                            current.EndsOn, course.CertificateMonths is { } months ? CalendarDates.AddMonths(current.EndsOn, months) : null, id, caller.ActorName, now, evidence, ct);
                    }
                }
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cpt_sessions SET version = version + 1 WHERE id = @id AND version = @version", new { id, version = expectedVersion }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "attendance", null, changes,
                raised.Count == 0 ? null : text["Attendance.Raised", string.Join("; ", raised)]), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    private static string Describe(string status, int? score, bool? passed) =>
        score is { } s ? string.Create(CultureInfo.InvariantCulture, $"{status} {s} {(passed == true ? "passed" : "failed")}") : status;
}
