using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Certus.Audits.Contracts;
using Certus.Audits.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Conformity;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Localization;
using Certus.Kernel.Security;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Audits.Features;

/// <summary>One input section of a review as shown: compiled live while planned, as frozen once held.</summary>
public sealed record ReviewInputView(string Key, string Title, bool Provided, string Summary, IReadOnlyList<CheckFigure> Figures, IReadOnlyList<EvidenceRecord> Records);

/// <summary>A decision or an action of a review; actions have an owner, a due date and a status.</summary>
public sealed class ReviewActionView : IVersioned
{
    public Guid Id { get; init; }
    public Guid ReviewId { get; init; }
    public int Number { get; init; }
    public string Kind { get; init; } = "";
    public string Text { get; init; } = "";
    public Guid? OwnerId { get; init; }
    public string? OwnerName { get; set; }
    public string? DueDate { get; init; }
    public string Status { get; init; } = "";
    public string? Outcome { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }

    internal const string Columns = "id, review_id, number, kind, text, owner_id, due_date, status, outcome, updated_at, version";
}

/// <summary>A management review with its period, inputs, minutes, decisions and actions.</summary>
public sealed class ReviewView : IVersioned
{
    public Guid Id { get; init; }
    public string Number { get; init; } = "";
    public string Title { get; init; } = "";
    public DateTimeOffset PeriodFrom { get; init; }
    public DateTimeOffset PeriodTo { get; init; }
    public string PlannedDate { get; init; } = "";
    public Guid? ChairId { get; init; }
    public string? ChairName { get; set; }
    public string? Attendees { get; init; }
    public string Status { get; init; } = "";
    public string? Minutes { get; init; }
    public DateTimeOffset? HeldAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public int Version { get; init; }
    public IReadOnlyList<string> AllowedMoves { get; set; } = [];
    public IReadOnlyList<ReviewInputView>? Inputs { get; set; }
    public IReadOnlyList<ReviewActionView>? Actions { get; set; }

    /// <summary>True once the inputs are frozen (the review was held).</summary>
    public bool InputsFrozen { get; set; }

    internal string? InputsJson { get; init; }

    internal const string Columns =
        "id, number, title, period_from, period_to, planned_date, chair_id, attendees, status, minutes, inputs AS InputsJson, held_at, closed_at, version";
}

/// <summary>
/// Management review (ISO/IEC 20000-1:2018 9.3; 2005 4.3; manual §2.1.11, §3.4.3): planned over a period, its inputs
/// compiled from live data by every registered <see cref="IManagementReviewInput"/>; when held, the minutes are recorded
/// and the inputs frozen into the review in both languages, so the minutes stay true; decisions and actions (owner,
/// due date, status) follow, and the review closes when every action is done or cancelled.
/// </summary>
public sealed class ManagementReviews(
    Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, IEnumerable<IManagementReviewInput> inputs, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "management-review";
    public const string ActionRecordType = "management-review-action";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Request(string? Title, string? PeriodFrom, string? PeriodTo, string? PlannedDate, Guid? ChairId, string? Attendees);

    public sealed record MoveRequest(string? Move, string? Minutes = null, string? Attendees = null, string? Reason = null);

    public sealed record ActionRequest(string? Kind, string? Text, Guid? OwnerId, string? DueDate);

    public sealed record ActionMoveRequest(string? Move, string? Outcome);

    public async Task<IReadOnlyList<ReviewView>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<ReviewView>(new CommandDefinition(
            $"SELECT {ReviewView.Columns} FROM aud_reviews ORDER BY planned_date DESC, number DESC", cancellationToken: ct))).ToList();
        var chairs = await directory.FindUsersAsync(rows.Where(r => r.ChairId is not null).Select(r => r.ChairId!.Value).Distinct(), ct);
        foreach (var r in rows)
        {
            r.ChairName = r.ChairId is { } c && chairs.TryGetValue(c, out var u) ? u.DisplayName : null;
            r.AllowedMoves = [.. ReviewLifecycle.Allowed(ReviewLifecycle.ParseStatus(r.Status)).Select(t => t.Key())];
            r.InputsFrozen = r.InputsJson is not null;
        }
        return rows;
    }

    /// <summary>The review with its inputs: live while planned, frozen once held.</summary>
    public async Task<ReviewView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await GetAsync(connection, null, id, ct);
        if (found is null)
        {
            return null;
        }
        found.Inputs = found.InputsJson is { } frozen ? Thaw(frozen) : await CompileAsync(found.PeriodFrom, found.PeriodTo, ct);
        return found;
    }

    private async Task<ReviewView?> GetAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct)
    {
        var found = await connection.QuerySingleOrDefaultAsync<ReviewView>(new CommandDefinition(
            $"SELECT {ReviewView.Columns} FROM aud_reviews WHERE id = @id", new { id }, tx, cancellationToken: ct));
        if (found is null)
        {
            return null;
        }
        var actions = (await connection.QueryAsync<ReviewActionView>(new CommandDefinition(
            $"SELECT {ReviewActionView.Columns} FROM aud_review_actions WHERE review_id = @id ORDER BY number", new { id }, tx, cancellationToken: ct))).ToList();
        var users = await directory.FindUsersAsync(actions.Where(a => a.OwnerId is not null).Select(a => a.OwnerId!.Value).Append(found.ChairId ?? Guid.Empty).Distinct(), ct);
        foreach (var a in actions)
        {
            a.OwnerName = a.OwnerId is { } o && users.TryGetValue(o, out var u) ? u.DisplayName : null;
        }
        found.ChairName = found.ChairId is { } c && users.TryGetValue(c, out var chair) ? chair.DisplayName : null;
        found.Actions = actions;
        found.AllowedMoves = [.. ReviewLifecycle.Allowed(ReviewLifecycle.ParseStatus(found.Status)).Select(t => t.Key())];
        found.InputsFrozen = found.InputsJson is not null;
        return found;
    }

    /// <summary>Every registered input over the period, in agenda order, with a placeholder for each expected section nobody provides yet.</summary>
    public async Task<IReadOnlyList<ReviewInputView>> CompileAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        var sections = new List<(int Order, ReviewInputView View)>();
        foreach (var input in inputs)
        {
            var section = await input.CompileAsync(from, to, ct);
            sections.Add((input.Order, new ReviewInputView(input.Key, input.Title, true, section.Summary, section.Figures, section.Records)));
        }
        var provided = sections.Select(s => s.View.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, index) in ReviewInputKeys.Expected.Select((k, i) => (k, i)).Where(k => !provided.Contains(k.k)))
        {
            sections.Add(((index + 1) * 10, new ReviewInputView(key, text[$"Input.{key}"], false, text["Input.NotProvided"], [], [])));
        }
        return [.. sections.OrderBy(s => s.Order).Select(s => s.View)];
    }

    private static List<ReviewInputView> Thaw(string json)
    {
        var byCulture = JsonSerializer.Deserialize<Dictionary<string, List<ReviewInputView>>>(json, Json) ?? [];
        return byCulture.TryGetValue(CultureInfo.CurrentUICulture.Name, out var mine) ? mine
            : byCulture.TryGetValue(Cultures.Chinese, out var chinese) ? chinese
            : byCulture.Values.FirstOrDefault() ?? [];
    }

    /// <summary>The inputs compiled in each language Certus speaks, for freezing.</summary>
    private async Task<string> FreezeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var frozen = new Dictionary<string, IReadOnlyList<ReviewInputView>>(StringComparer.Ordinal);
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            foreach (var culture in Cultures.Supported)
            {
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
                frozen[culture] = await CompileAsync(from, to, ct);
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
        return JsonSerializer.Serialize(frozen, Json);
    }

    public async Task<Outcome<ReviewView>> CreateAsync(Request request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("title", request.Title, 200).Optional("attendees", request.Attendees, 4000);
        string? from = null, to = null, planned = null;
        foreach (var (field, value) in new[] { ("periodFrom", request.PeriodFrom), ("periodTo", request.PeriodTo), ("plannedDate", request.PlannedDate) })
        {
            if (!CalendarDates.TryParse(value, out var date) || date is null)
            {
                errors.AddMessage(field, text["Validation.Date"]);
            }
            else if (field == "periodFrom") { from = date; }
            else if (field == "periodTo") { to = date; }
            else { planned = date; }
        }
        if (from is not null && to is not null && string.CompareOrdinal(to, from) < 0)
        {
            errors.AddMessage("periodTo", text["Audit.EndBeforeStart"]);
        }
        if (request.ChairId is { } chair && !await AuditProgrammes.IsStaffAsync(directory, chair, ct))
        {
            errors.Add("chairId", "Validation.Unknown", chair);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<ReviewView>>(async (connection, tx) =>
        {
            var year = planned![..4];
            var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT count(*) FROM aud_reviews WHERE number {database.Dialect.ILike} @prefix", new { prefix = $"MR-{year}-%" }, tx, cancellationToken: ct));
            var id = Guid.CreateVersion7();
            var row = new
            {
                id, number = $"MR-{year}-{count + 1:D2}", title = request.Title!.Trim(), periodFrom = CalendarDates.StartOf(from!), periodTo = CalendarDates.StartOf(to!).AddDays(1),
                planned, chairId = request.ChairId, attendees = CalendarDates.Blank(request.Attendees), now = clock.GetUtcNow(), byName = caller.ActorName,
            };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO aud_reviews (id, number, title, period_from, period_to, planned_date, chair_id, attendees, status, created_at, created_by_name, version)
                VALUES (@id, @number, @title, @periodFrom, @periodTo, @planned, @chairId, @attendees, 'planned', @now, @byName, 1)
                """, row, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "planned", null,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["number"] = row.number, ["title"] = row.title, ["periodFrom"] = from, ["periodTo"] = to, ["plannedDate"] = planned, ["chairId"] = row.chairId,
                })), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>Holds (minutes required; the inputs are frozen), closes (every action settled) or cancels (reason) the review.</summary>
    public async Task<Outcome<ReviewView>> MoveAsync(Guid id, int expectedVersion, MoveRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Optional("attendees", request.Attendees, 4000).Optional("reason", request.Reason, 2000);
        var trigger = ReviewLifecycle.ParseTrigger(request.Move);
        if (trigger is null)
        {
            errors.Add("move", "Validation.OneOf", string.Join(", ", Enum.GetValues<ReviewTrigger>().Select(t => t.Key())));
        }
        if (trigger == ReviewTrigger.Hold)
        {
            errors.Required("minutes", request.Minutes, 50000);
        }
        if (trigger == ReviewTrigger.Cancel)
        {
            errors.Required("reason", request.Reason, 2000);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        // Compiled before the write: the inputs read other modules' data on their own connections.
        var current = await GetAsync(id, ct);
        if (current is null)
        {
            return text.NotFound();
        }
        var frozen = trigger == ReviewTrigger.Hold && current.Status == "planned" ? await FreezeAsync(current.PeriodFrom, current.PeriodTo, ct) : null;
        return await database.WriteAsync<Outcome<ReviewView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } review)
            {
                return text.NotFound();
            }
            if (review.Version != expectedVersion)
            {
                return text.Stale();
            }
            var from = ReviewLifecycle.ParseStatus(review.Status);
            if (ReviewLifecycle.Next(from, trigger!.Value) is not { } to)
            {
                var allowed = ReviewLifecycle.Allowed(from);
                return new Failure(FailureKind.Conflict, text["Review.IllegalMove", request.Move!, text[$"Review.Status.{review.Status}"],
                    allowed.Count == 0 ? text["Audit.NoMoves"] : string.Join(", ", allowed.Select(t => t.Key()))]);
            }
            if (trigger == ReviewTrigger.Close && review.Actions!.Where(a => a.Status == "open").ToList() is { Count: > 0 } open)
            {
                return new Failure(FailureKind.Conflict, text["Review.OpenActions", review.Number, string.Join(", ", open.Select(a => $"#{a.Number}"))]);
            }
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE aud_reviews SET status = @status, minutes = COALESCE(CAST(@minutes AS TEXT), minutes), attendees = COALESCE(CAST(@attendees AS TEXT), attendees),
                    inputs = COALESCE(CAST(@inputs AS TEXT), inputs), held_at = CASE WHEN @status = 'held' THEN @now ELSE held_at END,
                    closed_at = CASE WHEN @status IN ('closed', 'cancelled') THEN @now ELSE closed_at END, version = version + 1
                WHERE id = @id AND version = @version
                """,
                new { status = to.Key(), minutes = CalendarDates.Blank(request.Minutes), attendees = CalendarDates.Blank(request.Attendees), inputs = frozen, now, id, version = expectedVersion },
                tx, cancellationToken: ct));
            var changes = new List<AuditChange> { new("status", review.Status, to.Key()) };
            if (CalendarDates.Blank(request.Minutes) is { } minutes)
            {
                changes.Add(new AuditChange("minutes", review.Minutes, minutes));
            }
            if (frozen is not null)
            {
                changes.Add(new AuditChange("inputs", null, frozen));
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), request.Move!, null, changes,
                request.Reason ?? text[$"Review.Moved.{request.Move}"]), ct);
            var saved = (await GetAsync(connection, tx, id, ct))!;
            saved.Inputs = saved.InputsJson is { } json ? Thaw(json) : null;
            return saved;
        }, ct);
    }

    /// <summary>Records a decision, or an action with its owner and due date, while the review is planned or held.</summary>
    public async Task<Outcome<ReviewActionView>> AddActionAsync(Guid reviewId, ActionRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("text", request.Text, 4000);
        var kind = request.Kind ?? "action";
        errors.When(kind is not ("action" or "decision"), "kind", "Validation.OneOf", "action, decision");
        string? due = null;
        if (kind == "action")
        {
            errors.When(request.OwnerId is null, "ownerId", "Validation.Required");
            if (string.IsNullOrWhiteSpace(request.DueDate))
            {
                errors.Add("dueDate", "Validation.Required");
            }
            else if (!CalendarDates.TryParse(request.DueDate, out due))
            {
                errors.AddMessage("dueDate", text["Validation.Date"]);
            }
        }
        if (request.OwnerId is { } owner && !await AuditProgrammes.IsStaffAsync(directory, owner, ct))
        {
            errors.Add("ownerId", "Validation.Unknown", owner);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<ReviewActionView>>(async (connection, tx) =>
        {
            var status = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT status FROM aud_reviews WHERE id = @reviewId", new { reviewId }, tx, cancellationToken: ct));
            if (status is null)
            {
                return text.NotFound();
            }
            if (status is not ("planned" or "held"))
            {
                return new Failure(FailureKind.Conflict, text["Review.ActionsFixed", text[$"Review.Status.{status}"]]);
            }
            var number = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM aud_review_actions WHERE review_id = @reviewId", new { reviewId }, tx, cancellationToken: ct));
            var id = Guid.CreateVersion7();
            var now = clock.GetUtcNow();
            var actionStatus = kind == "action" ? "open" : "recorded";
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO aud_review_actions (id, review_id, number, kind, text, owner_id, due_date, status, created_at, updated_at, version)
                VALUES (@id, @reviewId, @number, @kind, @text, @ownerId, @due, @actionStatus, @now, @now, 1)
                """, new { id, reviewId, number = (int)number, kind, text = request.Text!.Trim(), ownerId = request.OwnerId, due, actionStatus, now }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(ActionRecordType, id.ToString("D"), "recorded", null,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["review"] = reviewId, ["number"] = number, ["kind"] = kind, ["text"] = request.Text.Trim(), ["ownerId"] = request.OwnerId, ["dueDate"] = due,
                })), ct);
            return (await ActionAsync(connection, tx, reviewId, id, ct))!;
        }, ct);
    }

    /// <summary>Settles an action: done (with its outcome) or cancelled (with the reason).</summary>
    public async Task<Outcome<ReviewActionView>> MoveActionAsync(Guid reviewId, Guid actionId, int expectedVersion, ActionMoveRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("outcome", request.Outcome, 4000);
        errors.When(request.Move is not ("done" or "cancel"), "move", "Validation.OneOf", "done, cancel");
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<ReviewActionView>>(async (connection, tx) =>
        {
            if (await ActionAsync(connection, tx, reviewId, actionId, ct) is not { } action)
            {
                return text.NotFound();
            }
            if (action.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (action.Status != "open")
            {
                return new Failure(FailureKind.Conflict, text["Review.ActionSettled", action.Number, text[$"Review.ActionStatus.{action.Status}"]]);
            }
            var to = request.Move == "done" ? "done" : "cancelled";
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE aud_review_actions SET status = @to, outcome = @outcome, updated_at = @now, version = version + 1 WHERE id = @actionId AND version = @version",
                new { to, outcome = request.Outcome!.Trim(), now = clock.GetUtcNow(), actionId, version = expectedVersion }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(ActionRecordType, actionId.ToString("D"), request.Move!, null,
                [new AuditChange("status", "open", to), new AuditChange("outcome", null, request.Outcome.Trim())], request.Outcome.Trim()), ct);
            return (await ActionAsync(connection, tx, reviewId, actionId, ct))!;
        }, ct);
    }

    private async Task<ReviewActionView?> ActionAsync(DbConnection connection, DbTransaction? tx, Guid reviewId, Guid actionId, CancellationToken ct)
    {
        var action = await connection.QuerySingleOrDefaultAsync<ReviewActionView>(new CommandDefinition(
            $"SELECT {ReviewActionView.Columns} FROM aud_review_actions WHERE id = @actionId AND review_id = @reviewId", new { reviewId, actionId }, tx, cancellationToken: ct));
        if (action?.OwnerId is { } owner)
        {
            action.OwnerName = (await directory.FindUserAsync(owner, ct))?.DisplayName;
        }
        return action;
    }

    public async Task<ReviewActionView?> ActionAsync(Guid reviewId, Guid actionId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ActionAsync(connection, null, reviewId, actionId, ct);
    }
}
