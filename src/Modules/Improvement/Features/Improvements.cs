using System.Data.Common;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Improvement.Domain;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Improvement.Features;

/// <summary>An improvement proposal with its evaluation, priority, owner and outcome.</summary>
public sealed class ImprovementView : IVersioned
{
    public Guid Id { get; init; }
    public string Number { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Description { get; init; }
    public string Source { get; init; } = "";
    public string? SourceRef { get; init; }
    public string? Evaluation { get; init; }
    public int? Benefit { get; init; }
    public int? Effort { get; init; }
    public string? Priority { get; init; }
    public Guid? OwnerId { get; init; }
    public string? OwnerName { get; set; }
    public string? DueDate { get; init; }
    public string? Outcome { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset ProposedAt { get; init; }
    public string ProposedByName { get; init; } = "";
    public DateTimeOffset? DoneAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }
    public IReadOnlyList<string> AllowedMoves { get; set; } = [];

    internal const string Columns =
        "id, number, title, description, source, source_ref, evaluation, benefit, effort, priority, owner_id, due_date, outcome, status, proposed_at, "
        + "proposed_by_name, done_at, updated_at, version";
}

/// <summary>
/// The improvement register (ISO/IEC 20000-1:2018 10.2; manual §3.4.4): anyone on the staff proposes; the manager
/// evaluates benefit and effort and sets a priority, approves with an owner and due date, and records the outcome.
/// </summary>
public sealed class Improvements(Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "improvement";

    public sealed record Request(string? Title, string? Description, string? Source, string? SourceRef);

    /// <param name="Move"><c>evaluate</c>, <c>approve</c>, <c>start</c>, <c>complete</c> or <c>reject</c>.</param>
    /// <param name="Reason">Why; required to reject.</param>
    /// <param name="Evaluation">The evaluation (evaluate).</param>
    /// <param name="Benefit">1-5 (evaluate).</param>
    /// <param name="Effort">1-5 (evaluate).</param>
    /// <param name="Priority">high, medium or low (evaluate).</param>
    /// <param name="OwnerId">Who carries it out (approve).</param>
    /// <param name="DueDate">By when, yyyy-MM-dd (approve).</param>
    /// <param name="Outcome">What it achieved (complete).</param>
    public sealed record MoveRequest(
        string? Move, string? Reason = null, string? Evaluation = null, int? Benefit = null, int? Effort = null, string? Priority = null,
        Guid? OwnerId = null, string? DueDate = null, string? Outcome = null);

    public async Task<IReadOnlyList<ImprovementView>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<ImprovementView>(new CommandDefinition(
            $"""
            SELECT {ImprovementView.Columns} FROM imp_improvements
            ORDER BY CASE WHEN status IN ('done', 'rejected') THEN 1 ELSE 0 END,
                CASE priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, number DESC
            """, cancellationToken: ct))).ToList();
        await DecorateAsync(rows, ct);
        return rows;
    }

    public async Task<ImprovementView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var found = await GetAsync(connection, null, id, ct);
        if (found is not null)
        {
            await DecorateAsync([found], ct);
        }
        return found;
    }

    private static Task<ImprovementView?> GetAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ImprovementView>(new CommandDefinition(
            $"SELECT {ImprovementView.Columns} FROM imp_improvements WHERE id = @id", new { id }, tx, cancellationToken: ct));

    private async Task DecorateAsync(IReadOnlyList<ImprovementView> rows, CancellationToken ct)
    {
        var owners = await directory.FindUsersAsync(rows.Where(r => r.OwnerId is not null).Select(r => r.OwnerId!.Value).Distinct(), ct);
        foreach (var r in rows)
        {
            r.OwnerName = r.OwnerId is { } o && owners.TryGetValue(o, out var u) ? u.DisplayName : null;
            r.AllowedMoves = ImprovementLifecycle.Allowed(ImpNames.ParseStatus(r.Status)).Select(t => t.Key()).ToList();
        }
    }

    public async Task<Outcome<ImprovementView>> CreateAsync(Request request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("title", request.Title, 300).Optional("description", request.Description, 8000).Optional("sourceRef", request.SourceRef, 200);
        var source = request.Source ?? "manual";
        errors.When(!ImpNames.Sources.Contains(source, StringComparer.Ordinal), "source", "Validation.OneOf", string.Join(", ", ImpNames.Sources));
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<ImprovementView>>(async (connection, tx) =>
        {
            var id = Guid.CreateVersion7();
            var number = await Nonconformities.NextNumberAsync(connection, tx, "IMP", ct);
            var now = clock.GetUtcNow();
            var row = new { id, number, title = request.Title!.Trim(), description = CalendarDates.Blank(request.Description), source, sourceRef = CalendarDates.Blank(request.SourceRef) };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO imp_improvements (id, number, title, description, source, source_ref, status, proposed_at, proposed_by_name, updated_at, version)
                VALUES (@id, @number, @title, @description, @source, @sourceRef, 'proposed', @now, @byName, @now, 1)
                """, new { row.id, row.number, row.title, row.description, row.source, row.sourceRef, now, byName = caller.ActorName }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "proposed", null,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["number"] = number, ["title"] = row.title, ["source"] = source, ["sourceRef"] = row.sourceRef, ["status"] = "proposed",
                }), row.description), ct);
            var saved = (await GetAsync(connection, tx, id, ct))!;
            await DecorateAsync([saved], ct);
            return saved;
        }, ct);
    }

    public async Task<Outcome<ImprovementView>> MoveAsync(Guid id, int expectedVersion, MoveRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Optional("reason", request.Reason, 2000);
        var trigger = ImpNames.ParseTrigger(request.Move);
        if (trigger is null)
        {
            errors.Add("move", "Validation.OneOf", string.Join(", ", Enum.GetValues<ImpTrigger>().Select(t => t.Key())));
        }
        string? due = null;
        switch (trigger)
        {
            case ImpTrigger.Evaluate:
                errors.Required("evaluation", request.Evaluation, 8000);
                errors.When(request.Benefit is not (>= 1 and <= 5), "benefit", "Validation.OneOf", "1, 2, 3, 4, 5");
                errors.When(request.Effort is not (>= 1 and <= 5), "effort", "Validation.OneOf", "1, 2, 3, 4, 5");
                errors.When(!ImpNames.Priorities.Contains(request.Priority ?? "", StringComparer.Ordinal), "priority", "Validation.OneOf", string.Join(", ", ImpNames.Priorities));
                break;
            case ImpTrigger.Approve:
                errors.When(request.OwnerId is null, "ownerId", "Validation.Required");
                if (string.IsNullOrWhiteSpace(request.DueDate))
                {
                    errors.Add("dueDate", "Validation.Required");
                }
                else if (!CalendarDates.TryParse(request.DueDate, out due))
                {
                    errors.AddMessage("dueDate", text["Validation.Date"]);
                }
                if (request.OwnerId is { } owner && (await directory.FindUserAsync(owner, ct) is not { IsActive: true } user
                    || (await directory.FindOrganisationAsync(user.OrganisationId, ct))?.Kind != OrganisationKind.Provider))
                {
                    errors.Add("ownerId", "Validation.Unknown", owner);
                }
                break;
            case ImpTrigger.Complete:
                errors.Required("outcome", request.Outcome, 8000);
                break;
            case ImpTrigger.Reject:
                errors.Required("reason", request.Reason, 2000);
                break;
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<ImprovementView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            var from = ImpNames.ParseStatus(current.Status);
            if (ImprovementLifecycle.Next(from, trigger!.Value) is not { } to)
            {
                var allowed = ImprovementLifecycle.Allowed(from);
                return new Failure(FailureKind.Conflict, text["Imp.IllegalMove", request.Move!, text[$"Imp.Status.{current.Status}"],
                    allowed.Count == 0 ? text["Nc.NoMoves"] : string.Join(", ", allowed.Select(t => t.Key()))]);
            }
            var before = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["status"] = current.Status, ["evaluation"] = current.Evaluation, ["benefit"] = current.Benefit, ["effort"] = current.Effort,
                ["priority"] = current.Priority, ["ownerId"] = current.OwnerId, ["dueDate"] = current.DueDate, ["outcome"] = current.Outcome,
            };
            var after = new Dictionary<string, object?>(before, StringComparer.Ordinal) { ["status"] = to.Key() };
            var reason = request.Reason;
            switch (trigger.Value)
            {
                case ImpTrigger.Evaluate:
                    after["evaluation"] = request.Evaluation!.Trim();
                    after["benefit"] = request.Benefit;
                    after["effort"] = request.Effort;
                    after["priority"] = request.Priority;
                    reason ??= request.Evaluation.Trim();
                    break;
                case ImpTrigger.Approve:
                    after["ownerId"] = request.OwnerId;
                    after["dueDate"] = due;
                    reason ??= text["Imp.Approved"];
                    break;
                case ImpTrigger.Start:
                    reason ??= text["Imp.Started"];
                    break;
                case ImpTrigger.Complete:
                    after["outcome"] = request.Outcome!.Trim();
                    reason ??= request.Outcome.Trim();
                    break;
                case ImpTrigger.Reject:
                    break;
            }
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE imp_improvements SET status = @status, evaluation = @evaluation, benefit = @benefit, effort = @effort, priority = @priority,
                    owner_id = @ownerId, due_date = @dueDate, outcome = @outcome, done_at = CASE WHEN @status = 'done' THEN @now ELSE done_at END,
                    updated_at = @now, version = version + 1
                WHERE id = @id AND version = @version
                """,
                new
                {
                    status = to.Key(), evaluation = (string?)after["evaluation"], benefit = (int?)after["benefit"], effort = (int?)after["effort"],
                    priority = (string?)after["priority"], ownerId = (Guid?)after["ownerId"], dueDate = (string?)after["dueDate"], outcome = (string?)after["outcome"],
                    now, id, version = expectedVersion,
                }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), request.Move!, null, AuditTrail.Diff(before, after), reason), ct);
            var saved = (await GetAsync(connection, tx, id, ct))!;
            await DecorateAsync([saved], ct);
            return saved;
        }, ct);
    }
}
