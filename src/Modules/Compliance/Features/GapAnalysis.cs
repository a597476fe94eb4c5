using System.Globalization;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Compliance.Features;

/// <summary>An action closing a gap: what, who, by when, and whether it is done.</summary>
public sealed class ActionView : IVersioned
{
    public Guid Id { get; init; }
    public Guid? FindingId { get; init; }
    public string Title { get; init; } = "";
    public Guid? OwnerId { get; init; }
    public string? OwnerName { get; set; }
    public string? DueOn { get; init; }
    public string Status { get; init; } = "";
    public string Note { get; init; } = "";
    public DateTimeOffset? DoneAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int Version { get; init; }

    internal const string Columns = "id, finding_id, title, owner_id, due_on, status, note, done_at, created_at, version";
}

/// <summary>A finding of the GAP analysis: where the organisation falls short of a clause, with its actions.</summary>
public sealed class FindingView : IVersioned
{
    public Guid Id { get; init; }
    public int Number { get; init; }
    public string Edition { get; init; } = "";
    public string Clause { get; init; } = "";
    public string Title { get; init; } = "";
    public string Description { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedByName { get; init; } = "";
    public DateTimeOffset? ClosedAt { get; init; }
    public string? CloseReason { get; init; }
    public int Version { get; init; }
    public IReadOnlyList<ActionView> Actions { get; set; } = [];

    internal const string Columns = "id, number, edition, clause, title, description, status, created_at, created_by_name, closed_at, close_reason, version";
}

/// <summary>
/// The GAP analysis (差距分析, 004 §1.1.3 diagnosis): findings against clauses and the actions that close them. An open
/// finding makes its clause a gap in the conformity view; it closes only when its actions are done, with a reason.
/// </summary>
public sealed class GapAnalysis(Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, ClauseCatalogue catalogue, Texts<Strings> text, TimeProvider clock)
{
    public const string FindingRecordType = "gap-finding";
    public const string ActionRecordType = "gap-action";
    public static readonly IReadOnlyList<string> ActionStatuses = ["open", "in-progress", "done"];

    public sealed record FindingRequest(string? Edition, string? Clause, string? Title, string? Description);

    public sealed record ActionRequest(Guid? FindingId, string? Title, Guid? OwnerId, string? DueOn, string? Status, string? Note);

    public sealed record CloseRequest(string? Reason);

    public async Task<IReadOnlyList<FindingView>> FindingsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var findings = (await connection.QueryAsync<FindingView>(new CommandDefinition(
            $"SELECT {FindingView.Columns} FROM cmp_findings ORDER BY number", cancellationToken: ct))).ToList();
        var actions = await ActionsAsync(connection, ct);
        foreach (var f in findings)
        {
            f.Actions = [.. actions.Where(a => a.FindingId == f.Id)];
        }
        return findings;
    }

    /// <summary>Every action, with its finding or none (a roadmap-level action).</summary>
    public async Task<IReadOnlyList<ActionView>> ActionsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ActionsAsync(connection, ct);
    }

    private async Task<List<ActionView>> ActionsAsync(System.Data.Common.DbConnection connection, CancellationToken ct)
    {
        var actions = (await connection.QueryAsync<ActionView>(new CommandDefinition(
            $"SELECT {ActionView.Columns} FROM cmp_actions ORDER BY due_on, created_at", cancellationToken: ct))).ToList();
        var owners = await directory.FindUsersAsync(actions.Where(a => a.OwnerId is not null).Select(a => a.OwnerId!.Value).Distinct(), ct);
        foreach (var a in actions)
        {
            a.OwnerName = a.OwnerId is { } o && owners.TryGetValue(o, out var u) ? u.DisplayName : null;
        }
        return actions;
    }

    public async Task<Outcome<FindingView>> AddFindingAsync(FindingRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("title", request.Title, 200).Optional("description", request.Description, 4000);
        if (!ClauseCatalogue.IsEdition(request.Edition))
        {
            errors.Add("edition", "Validation.OneOf", "2018, 2005");
        }
        else if (catalogue[request.Edition!].Find(request.Clause?.Trim() ?? "") is null)
        {
            errors.AddMessage("clause", text["Gap.UnknownClause", request.Clause ?? ""]);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<FindingView>>(async (connection, tx) =>
        {
            var number = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "UPDATE cmp_counters SET value = value + 1 WHERE name = 'finding' RETURNING value", transaction: tx, cancellationToken: ct));
            var id = Guid.NewGuid();
            var row = new { id, number, edition = request.Edition!, clause = request.Clause!.Trim(), title = request.Title!.Trim(), description = request.Description?.Trim() ?? "",
                now = clock.GetUtcNow(), by = caller.ActorName };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cmp_findings (id, number, edition, clause, title, description, status, created_at, created_by_name, version)
                VALUES (@id, @number, @edition, @clause, @title, @description, 'open', @now, @by, 1)
                """, row, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(FindingRecordType, id.ToString("D"), "created", null, AuditTrail.Created(
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["number"] = number, ["clause"] = $"{row.edition}:{row.clause}", ["title"] = row.title })), ct);
            return (await connection.QuerySingleAsync<FindingView>(new CommandDefinition(
                $"SELECT {FindingView.Columns} FROM cmp_findings WHERE id = @id", new { id }, tx, cancellationToken: ct)));
        }, ct);
    }

    /// <summary>Closes a finding whose actions are all done; 409 names the open ones.</summary>
    public async Task<Outcome<FindingView>> CloseFindingAsync(Guid id, int version, CloseRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("reason", request.Reason, 2000);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<FindingView>>(async (connection, tx) =>
        {
            var f = await connection.QuerySingleOrDefaultAsync<FindingView>(new CommandDefinition(
                $"SELECT {FindingView.Columns} FROM cmp_findings WHERE id = @id", new { id }, tx, cancellationToken: ct));
            if (f is null)
            {
                return text.NotFound();
            }
            if (f.Version != version)
            {
                return text.Stale();
            }
            if (f.Status != "open")
            {
                return new Failure(FailureKind.Conflict, text["Gap.AlreadyClosed"]);
            }
            var open = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT title FROM cmp_actions WHERE finding_id = @id AND status <> 'done'", new { id }, tx, cancellationToken: ct))).ToList();
            if (open.Count > 0)
            {
                return new Failure(FailureKind.Conflict, text["Gap.ActionsOpen", string.Join("; ", open)]);
            }
            var reason = request.Reason!.Trim();
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cmp_findings SET status = 'closed', closed_at = @now, close_reason = @reason, version = version + 1 WHERE id = @id AND version = @version",
                new { id, version, reason, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(FindingRecordType, id.ToString("D"), "closed", null, [new AuditChange("status", "open", "closed")], reason), ct);
            return await connection.QuerySingleAsync<FindingView>(new CommandDefinition(
                $"SELECT {FindingView.Columns} FROM cmp_findings WHERE id = @id", new { id }, tx, cancellationToken: ct));
        }, ct);
    }

    public async Task<Outcome<ActionView>> AddActionAsync(ActionRequest request, CancellationToken ct = default)
    {
        var errors = ValidateAction(request);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<ActionView>>(async (connection, tx) =>
        {
            if (request.FindingId is { } findingId && await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM cmp_findings WHERE id = @findingId", new { findingId }, tx, cancellationToken: ct)) == 0)
            {
                return text.Invalid(text.Errors().Add("findingId", "Validation.Unknown", findingId));
            }
            var id = Guid.NewGuid();
            var now = clock.GetUtcNow();
            var status = request.Status ?? "open";
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cmp_actions (id, finding_id, title, owner_id, due_on, status, note, done_at, created_at, version)
                VALUES (@id, @findingId, @title, @ownerId, @dueOn, @status, @note, @doneAt, @now, 1)
                """,
                new { id, findingId = request.FindingId, title = request.Title!.Trim(), ownerId = request.OwnerId, dueOn = Blank(request.DueOn), status, note = request.Note?.Trim() ?? "",
                    doneAt = status == "done" ? now : (DateTimeOffset?)null, now }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(ActionRecordType, id.ToString("D"), "created", null, AuditTrail.Created(
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["title"] = request.Title.Trim(), ["ownerId"] = request.OwnerId, ["dueOn"] = Blank(request.DueOn), ["status"] = status })), ct);
            return await connection.QuerySingleAsync<ActionView>(new CommandDefinition(
                $"SELECT {ActionView.Columns} FROM cmp_actions WHERE id = @id", new { id }, tx, cancellationToken: ct));
        }, ct);
    }

    public async Task<Outcome<ActionView>> UpdateActionAsync(Guid id, int version, ActionRequest request, CancellationToken ct = default)
    {
        var errors = ValidateAction(request);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<ActionView>>(async (connection, tx) =>
        {
            var a = await connection.QuerySingleOrDefaultAsync<ActionView>(new CommandDefinition(
                $"SELECT {ActionView.Columns} FROM cmp_actions WHERE id = @id", new { id }, tx, cancellationToken: ct));
            if (a is null)
            {
                return text.NotFound();
            }
            if (a.Version != version)
            {
                return text.Stale();
            }
            var now = clock.GetUtcNow();
            var status = request.Status ?? a.Status;
            var after = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["title"] = request.Title!.Trim(), ["ownerId"] = request.OwnerId, ["dueOn"] = Blank(request.DueOn), ["status"] = status, ["note"] = request.Note?.Trim() ?? "",
            };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cmp_actions SET title = @title, owner_id = @ownerId, due_on = @dueOn, status = @status, note = @note,
                    done_at = CASE WHEN @status = 'done' THEN COALESCE(done_at, @now) ELSE NULL END, version = version + 1
                WHERE id = @id AND version = @version
                """,
                new { id, version, title = request.Title.Trim(), ownerId = request.OwnerId, dueOn = Blank(request.DueOn), status, note = request.Note?.Trim() ?? "", now }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(ActionRecordType, id.ToString("D"), "updated", null, AuditTrail.Diff(
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["title"] = a.Title, ["ownerId"] = a.OwnerId, ["dueOn"] = a.DueOn, ["status"] = a.Status, ["note"] = a.Note },
                after)), ct);
            return await connection.QuerySingleAsync<ActionView>(new CommandDefinition(
                $"SELECT {ActionView.Columns} FROM cmp_actions WHERE id = @id", new { id }, tx, cancellationToken: ct));
        }, ct);
    }

    private FieldErrors ValidateAction(ActionRequest r)
    {
        var errors = text.Errors().Required("title", r.Title, 300).Optional("note", r.Note, 2000);
        if (r.Status is not null && !ActionStatuses.Contains(r.Status, StringComparer.Ordinal))
        {
            errors.Add("status", "Validation.OneOf", string.Join(", ", ActionStatuses));
        }
        if (Blank(r.DueOn) is { } due && !DateOnly.TryParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.AddMessage("dueOn", text["Validation.Date"]);
        }
        return errors;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
