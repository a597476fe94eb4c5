using System.Data.Common;
using Certus.Competence.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Competence.Features;

/// <summary>A yearly performance review of one person.</summary>
public sealed class ReviewView : IVersioned
{
    public Guid Id { get; init; }
    public Guid UserId { get; init; }
    public string PersonName { get; set; } = "";
    public int Year { get; init; }
    public Guid ReviewerId { get; init; }
    public string ReviewerName { get; set; } = "";
    public string? Objectives { get; init; }
    public string? Rating { get; init; }
    public string? Strengths { get; init; }
    public string? DevelopmentNeeds { get; init; }
    public Guid? CourseId { get; init; }
    public string? CourseCode { get; init; }
    public string? CourseTitleEn { get; init; }
    public string? CourseTitleZh { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public string? Acknowledgement { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedByName { get; init; } = "";
    public int Version { get; init; }
    public IReadOnlyList<string> AllowedMoves { get; set; } = [];

    public string? CourseTitle => CourseTitleEn is null ? null : Dates.Pick(CourseTitleEn, CourseTitleZh ?? CourseTitleEn);

    internal const string Select =
        """
        SELECT r.id, r.user_id, r.year, r.reviewer_id, r.objectives, r.rating, r.strengths, r.development_needs, r.course_id, c.code AS course_code,
            c.title_en AS course_title_en, c.title_zh AS course_title_zh, r.status, r.completed_at, r.acknowledged_at, r.acknowledgement, r.created_at,
            r.created_by_name, r.version
        FROM cpt_reviews r LEFT JOIN cpt_courses c ON c.id = r.course_id
        """;
}

/// <summary>
/// Yearly performance reviews (manual §2.3.1.2: every employee's performance is reviewed each year and improvements
/// follow; ISO/IEC 20000-1:2018 7.2 d: evaluate the effectiveness of what was done). One review per person and year;
/// draft → completed (by the reviewer, then immutable) → acknowledged (by the person). A development need may name a
/// course: completing the review invites the person to its next planned session.
/// </summary>
public sealed class PerformanceReviews(Database database, AuditTrail audit, Staff staff, ICurrentUser caller, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "performance-review";

    /// <param name="UserId">The person reviewed.</param>
    /// <param name="Year">The year reviewed.</param>
    /// <param name="ReviewerId">Their manager.</param>
    /// <param name="Objectives">The objectives of the year and how far they were achieved.</param>
    /// <param name="Rating">A excellent, B good, C meets the essentials, D needs improvement.</param>
    /// <param name="Strengths">What went well.</param>
    /// <param name="DevelopmentNeeds">What to develop.</param>
    /// <param name="CourseId">A course that serves the development needs (planned training).</param>
    public sealed record Request(
        Guid? UserId, int? Year, Guid? ReviewerId, string? Objectives, string? Rating, string? Strengths, string? DevelopmentNeeds, Guid? CourseId);

    public sealed record MoveRequest(string? Move, string? Note);

    public async Task<IReadOnlyList<ReviewView>> ListAsync(int? year, Guid? userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var where = new List<string>();
        if (year is not null)
        {
            where.Add("r.year = @year");
        }
        if (userId is not null)
        {
            where.Add("r.user_id = @userId");
        }
        var reviews = (await connection.QueryAsync<ReviewView>(new CommandDefinition(
            ReviewView.Select + (where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where)) + " ORDER BY r.year DESC, r.created_at",
            new { year, userId }, cancellationToken: ct))).ToList();
        await NameAsync(reviews, ct);
        return [.. reviews.OrderByDescending(r => r.Year).ThenBy(r => r.PersonName, StringComparer.Ordinal)];
    }

    public async Task<ReviewView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await GetAsync(connection, null, id, ct);
    }

    private async Task<ReviewView?> GetAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct)
    {
        var review = await connection.QuerySingleOrDefaultAsync<ReviewView>(new CommandDefinition(ReviewView.Select + " WHERE r.id = @id", new { id }, tx, cancellationToken: ct));
        if (review is not null)
        {
            await NameAsync([review], ct);
        }
        return review;
    }

    private async Task NameAsync(IReadOnlyList<ReviewView> reviews, CancellationToken ct)
    {
        var users = await staff.FindManyAsync(reviews.SelectMany(r => new[] { r.UserId, r.ReviewerId }), ct);
        foreach (var r in reviews)
        {
            r.PersonName = users.TryGetValue(r.UserId, out var p) ? p.DisplayName : r.UserId.ToString("D");
            r.ReviewerName = users.TryGetValue(r.ReviewerId, out var v) ? v.DisplayName : r.ReviewerId.ToString("D");
            r.AllowedMoves = [.. ReviewLifecycle.Allowed(ReviewLifecycle.ParseStatus(r.Status)).Select(t => t.Key())];
        }
    }

    private async Task<FieldErrors> ValidateAsync(Request request, bool isNew, CancellationToken ct)
    {
        var errors = text.Errors().Optional("objectives", request.Objectives, 8000).Optional("strengths", request.Strengths, 8000)
            .Optional("developmentNeeds", request.DevelopmentNeeds, 8000);
        if (isNew)
        {
            if (request.UserId is not { } user)
            {
                errors.Add("userId", "Validation.Required");
            }
            else if (!await staff.IsStaffAsync(user, ct))
            {
                errors.Add("userId", "Validation.Unknown", user);
            }
            var thisYear = CalendarDates.Year(clock.GetUtcNow());
            if (request.Year is not { } year || year < 2000 || year > thisYear + 1)
            {
                errors.AddMessage("year", text["Review.YearRange", thisYear + 1]);
            }
        }
        if (request.ReviewerId is not { } reviewer)
        {
            errors.Add("reviewerId", "Validation.Required");
        }
        else if (!await staff.IsStaffAsync(reviewer, ct))
        {
            errors.Add("reviewerId", "Validation.Unknown", reviewer);
        }
        else if (isNew && reviewer == request.UserId)
        {
            errors.AddMessage("reviewerId", text["Review.OwnReviewer"]);
        }
        if (!string.IsNullOrEmpty(request.Rating) && !CompetenceNames.Ratings.Contains(request.Rating, StringComparer.Ordinal))
        {
            errors.Add("rating", "Validation.OneOf", string.Join(", ", CompetenceNames.Ratings));
        }
        if (request.CourseId is { } course)
        {
            await using var connection = await database.OpenAsync(ct);
            errors.When(await Courses.GetAsync(connection, null, course, ct) is null, "courseId", "Validation.Unknown", course);
        }
        return errors;
    }

    private static Dictionary<string, object?> Fields(Request r) => new(StringComparer.Ordinal)
    {
        ["reviewerId"] = r.ReviewerId, ["objectives"] = CalendarDates.Blank(r.Objectives), ["rating"] = CalendarDates.Blank(r.Rating), ["strengths"] = CalendarDates.Blank(r.Strengths),
        ["developmentNeeds"] = CalendarDates.Blank(r.DevelopmentNeeds), ["courseId"] = r.CourseId,
    };

    /// <summary>Starts the review of a person's year as a draft; a second review of the same person and year is refused.</summary>
    public async Task<Outcome<ReviewView>> CreateAsync(Request request, CancellationToken ct = default)
    {
        var errors = await ValidateAsync(request, true, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        try
        {
            return await database.WriteAsync<Outcome<ReviewView>>(async (connection, tx) =>
            {
                if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                        "SELECT count(*) FROM cpt_reviews WHERE user_id = @userId AND year = @year", new { userId = request.UserId, year = request.Year }, tx, cancellationToken: ct)) > 0)
                {
                    return Duplicate(request.Year!.Value);
                }
                var id = Guid.CreateVersion7();
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO cpt_reviews (id, user_id, year, reviewer_id, objectives, rating, strengths, development_needs, course_id, status, created_at, created_by_name, version)
                    VALUES (@id, @userId, @year, @reviewerId, @objectives, @rating, @strengths, @developmentNeeds, @courseId, 'draft', @now, @byName, 1)
                    """,
                    new
                    {
                        id, userId = request.UserId!.Value, year = request.Year!.Value, reviewerId = request.ReviewerId!.Value, objectives = CalendarDates.Blank(request.Objectives),
                        rating = CalendarDates.Blank(request.Rating), strengths = CalendarDates.Blank(request.Strengths), developmentNeeds = CalendarDates.Blank(request.DevelopmentNeeds),
                        courseId = request.CourseId, now = clock.GetUtcNow(), byName = caller.ActorName,
                    }, tx, cancellationToken: ct));
                var fields = Fields(request);
                fields["userId"] = request.UserId;
                fields["year"] = request.Year;
                await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "created", null, AuditTrail.Created(fields)), ct);
                return (await GetAsync(connection, tx, id, ct))!;
            }, ct);
        }
        catch (DbException ex) when (DatabaseErrors.IsUniqueViolation(ex))
        {
            // Two reviews of the same person and year started at once: the unique key keeps one.
            return Duplicate(request.Year!.Value);
        }
    }

    private Failure Duplicate(int year) => new(FailureKind.Conflict, text["Review.Duplicate", year],
        new Dictionary<string, string[]>(StringComparer.Ordinal) { ["year"] = [text["Review.Duplicate", year]] });

    /// <summary>Changes a draft; a completed review is immutable (409).</summary>
    public async Task<Outcome<ReviewView>> UpdateAsync(Guid id, int expectedVersion, Request request, CancellationToken ct = default)
    {
        var errors = await ValidateAsync(request, false, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<ReviewView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (current.Status != "draft")
            {
                return new Failure(FailureKind.Conflict, text["Review.Immutable", text[$"Review.Status.{current.Status}"]]);
            }
            if (request.ReviewerId == current.UserId)
            {
                return text.Invalid(text.Errors().AddMessage("reviewerId", text["Review.OwnReviewer"]));
            }
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cpt_reviews SET reviewer_id = @reviewerId, objectives = @objectives, rating = @rating, strengths = @strengths, development_needs = @developmentNeeds,
                    course_id = @courseId, version = version + 1
                WHERE id = @id AND version = @version
                """,
                new
                {
                    id, reviewerId = request.ReviewerId!.Value, objectives = CalendarDates.Blank(request.Objectives), rating = CalendarDates.Blank(request.Rating),
                    strengths = CalendarDates.Blank(request.Strengths), developmentNeeds = CalendarDates.Blank(request.DevelopmentNeeds), courseId = request.CourseId, version = expectedVersion,
                }, tx, cancellationToken: ct));
            var before = new Request(current.UserId, current.Year, current.ReviewerId, current.Objectives, current.Rating, current.Strengths, current.DevelopmentNeeds, current.CourseId);
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "updated", null, AuditTrail.Diff(Fields(before), Fields(request))), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>
    /// Completes a draft (the rating and the objectives are then required) or acknowledges a completed review (only the
    /// person reviewed may). Anything else is an illegal move (409 naming what is possible).
    /// </summary>
    public async Task<Outcome<ReviewView>> MoveAsync(Guid id, int expectedVersion, MoveRequest request, CancellationToken ct = default)
    {
        var trigger = ReviewLifecycle.ParseTrigger(request.Move);
        var errors = text.Errors().Optional("note", request.Note, 4000);
        errors.When(trigger is null, "move", "Validation.OneOf", string.Join(", ", Enum.GetValues<ReviewTrigger>().Select(t => t.Key())));
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<ReviewView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            var from = ReviewLifecycle.ParseStatus(current.Status);
            if (ReviewLifecycle.Next(from, trigger!.Value) is not { } to)
            {
                var allowed = ReviewLifecycle.Allowed(from);
                return new Failure(FailureKind.Conflict, text["Review.IllegalMove", request.Move!, text[$"Review.Status.{current.Status}"],
                    allowed.Count == 0 ? text["Move.None"] : string.Join(", ", allowed.Select(t => t.Key()))]);
            }
            if (trigger == ReviewTrigger.Acknowledge && caller.ActorId != current.UserId)
            {
                return new Failure(FailureKind.Forbidden, text["Review.OnlyThePerson", current.PersonName]);
            }
            if (trigger == ReviewTrigger.Complete)
            {
                var missing = text.Errors();
                missing.When(current.Rating is null, "rating", "Validation.Required").When(current.Objectives is null, "objectives", "Validation.Required");
                if (!missing.IsEmpty)
                {
                    return text.Invalid(missing);
                }
            }
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cpt_reviews SET status = @status, completed_at = CASE WHEN @status = 'completed' THEN @now ELSE completed_at END,
                    acknowledged_at = CASE WHEN @status = 'acknowledged' THEN @now ELSE acknowledged_at END,
                    acknowledgement = CASE WHEN @status = 'acknowledged' THEN @note ELSE acknowledgement END, version = version + 1
                WHERE id = @id AND version = @version
                """, new { status = to.Key(), now, note = CalendarDates.Blank(request.Note), id, version = expectedVersion }, tx, cancellationToken: ct));
            string? invited = null;
            if (to == ReviewStatus.Completed && current.CourseId is { } courseId)
            {
                invited = await InviteToNextSessionAsync(connection, tx, current, courseId, now, ct);
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), trigger.Value.Key(), null,
                [new AuditChange("status", current.Status, to.Key())],
                string.Join(" ", new[] { CalendarDates.Blank(request.Note) ?? text[$"Review.Moved.{trigger.Value.Key()}"], invited }.Where(s => s is not null))), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>The planned training a development need names: the person is invited to the course's next planned session, if any.</summary>
    private async Task<string?> InviteToNextSessionAsync(DbConnection connection, DbTransaction tx, ReviewView review, Guid courseId, DateTimeOffset now, CancellationToken ct)
    {
        var next = await connection.QueryFirstOrDefaultAsync<NextSession>(new CommandDefinition(
            "SELECT id, starts_on FROM cpt_sessions WHERE course_id = @courseId AND status = 'planned' AND starts_on >= @today ORDER BY starts_on",
            new { courseId, today = CalendarDates.Day(now) }, tx, cancellationToken: ct));
        if (next is null)
        {
            return null;
        }
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM cpt_attendance WHERE session_id = @id AND user_id = @userId", new { id = next.Id, userId = review.UserId }, tx, cancellationToken: ct)) == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO cpt_attendance (session_id, user_id, status, updated_at) VALUES (@id, @userId, 'invited', @now)",
                new { id = next.Id, userId = review.UserId, now }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cpt_sessions SET version = version + 1 WHERE id = @id", new { id = next.Id }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(Sessions.RecordType, next.Id.ToString("D"), "invited", null,
                [new AuditChange("invited", null, review.UserId.ToString("D"))], text["Review.InvitedBecause", review.PersonName, review.Year]), ct);
        }
        return text["Review.Invited", review.CourseCode ?? "", next.StartsOn];
    }

    private sealed class NextSession
    {
        public Guid Id { get; init; }
        public string StartsOn { get; init; } = "";
    }
}
