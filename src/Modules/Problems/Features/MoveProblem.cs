using System.Data.Common;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Events;
using Certus.Kernel.Security;
using Certus.Problems.Contracts;
using Certus.Problems.Domain;
using Dapper;

namespace Certus.Problems.Features;

/// <summary>
/// Moves a problem through its transition table: investigate, record the known error, await the fix, resolve, close
/// after verification, reopen on recurrence, cancel. A move the table does not allow is refused with the moves that are.
/// </summary>
public sealed class MoveProblem(
    Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, ProblemQueries queries, DomainEvents events, Texts<Strings> text,
    TimeProvider clock)
{
    /// <summary>What the caller sends with a move; which fields count depends on the move.</summary>
    public sealed record Request(
        string? Reason = null,
        Guid? OwnerId = null,
        string? Symptoms = null,
        string? RootCause = null,
        string? Workaround = null,
        string? Resolution = null,
        string? ClosureNote = null);

    public async Task<Outcome<ProblemView>> HandleAsync(Guid id, ProblemTrigger trigger, Request request, int? expectedVersion = null, CancellationToken ct = default)
    {
        var current = await queries.GetAsync(id.ToString("D"), ct);
        if (current is null)
        {
            return text.NotFound();
        }
        if (!caller.HasPermission(ProblemPermissions.Manage))
        {
            return new Failure(FailureKind.Forbidden, text["Problem.ManageForbidden"]);
        }
        if (expectedVersion is { } version && version != current.Version)
        {
            return text.Stale();
        }
        if (ProblemLifecycle.Next(current.ParsedState, trigger) is not { } to)
        {
            return Illegal(text, current.ParsedState, trigger);
        }
        var errors = await ValidateAsync(current, trigger, request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        try
        {
            var moved = await database.WriteAsync<Outcome<bool>>(async (connection, tx) =>
            {
                var problem = await ProblemQueries.LoadAsync(connection, tx, id, ct);
                if (problem is null)
                {
                    return text.NotFound();
                }
                if ((expectedVersion is { } v && v != problem.Version) || problem.State != current.State)
                {
                    return problem.State != current.State && ProblemLifecycle.Next(problem.ParsedState, trigger) is null
                        ? Illegal(text, problem.ParsedState, trigger)
                        : text.Stale();
                }
                await ApplyAsync(connection, tx, audit, problem, trigger, to, request, request.Reason?.Trim(), ct);
                return true;
            }, ct);
            if (!moved.Succeeded)
            {
                return moved.Failure!;
            }
        }
        catch (RollbackException rollback)
        {
            return rollback.Failure;
        }
        return (await queries.GetAsync(id.ToString("D"), ct))!;
    }

    /// <summary>The 409 for a move the table does not allow, naming the moves that are (also as data, under <c>errors.allowed</c>).</summary>
    internal static Failure Illegal(Texts<Strings> text, ProblemState from, ProblemTrigger trigger)
    {
        var allowed = ProblemLifecycle.Allowed(from).Select(t => t.Key()).ToList();
        return new Failure(FailureKind.Conflict,
            text["Problem.IllegalMove", trigger.Key(), text[$"State.{from.Key()}"], allowed.Count == 0 ? text["Problem.NoMoves"] : string.Join(", ", allowed)],
            new Dictionary<string, string[]>(StringComparer.Ordinal) { ["allowed"] = [.. allowed] });
    }

    private async Task<FieldErrors> ValidateAsync(ProblemView current, ProblemTrigger trigger, Request request, CancellationToken ct)
    {
        var errors = text.Errors()
            .Optional("reason", request.Reason, 4000)
            .Optional("symptoms", request.Symptoms, 4000)
            .Optional("rootCause", request.RootCause, 20_000)
            .Optional("workaround", request.Workaround, 20_000)
            .Optional("resolution", request.Resolution, 20_000)
            .Optional("closureNote", request.ClosureNote, 20_000);
        var rootCause = Blank(request.RootCause) ?? Blank(current.RootCause);
        switch (trigger)
        {
            case ProblemTrigger.Investigate:
                if (request.OwnerId is { } ownerId && ownerId != Guid.Empty)
                {
                    var owner = await directory.FindUserAsync(ownerId, ct);
                    if (owner is null || !owner.IsActive || owner.OrganisationId != current.OrganisationId)
                    {
                        errors.AddMessage("ownerId", text["Problem.UnknownOwner"]);
                    }
                }
                break;
            case ProblemTrigger.KnownError:
                // A known error is a problem whose root cause is known and whose effect the desk can work around.
                errors.When(rootCause is null, "rootCause", "Validation.Required")
                    .When((Blank(request.Workaround) ?? Blank(current.Workaround)) is null, "workaround", "Validation.Required");
                if (current.ParsedState == ProblemState.FixPending)
                {
                    errors.Required("reason", request.Reason, 4000);
                }
                break;
            case ProblemTrigger.AwaitFix:
                errors.When(rootCause is null, "rootCause", "Validation.Required");
                if (!current.Changes.Any(c => ChangeOutcome.IsPending(c.State)))
                {
                    errors.AddMessage("changes", text["Problem.NoPendingChange"]);
                }
                break;
            case ProblemTrigger.Resolve:
                errors.When(rootCause is null, "rootCause", "Validation.Required").Required("resolution", request.Resolution, 20_000);
                break;
            case ProblemTrigger.Close:
                // ISO/IEC 20000-1:2018 8.6.3: the effectiveness of the resolution is checked before the problem is closed.
                errors.Required("closureNote", request.ClosureNote, 20_000);
                break;
            case ProblemTrigger.Reopen:
            case ProblemTrigger.Cancel:
                errors.Required("reason", request.Reason, 4000);
                break;
        }
        return errors;
    }

    /// <summary>
    /// Writes one move on the caller's transaction: the problem's new state and fields, the audit entry with the reason,
    /// and <see cref="ProblemStateChanged"/>. Also used by the reactions to change management, with their own actor.
    /// </summary>
    internal async Task ApplyAsync(
        DbConnection connection, DbTransaction tx, AuditTrail trail, ProblemView problem, ProblemTrigger trigger, ProblemState to, Request request, string? note,
        CancellationToken ct, string? fixedByChange = null)
    {
        var now = clock.GetUtcNow();
        var before = ProblemAudit.FieldsOf(problem);
        var after = new Dictionary<string, object?>(before, StringComparer.Ordinal) { ["state"] = to.Key() };
        var ownerId = problem.OwnerId;
        var reopened = problem.Reopened;
        switch (trigger)
        {
            case ProblemTrigger.Investigate:
                if (request.OwnerId is { } owner && owner != Guid.Empty)
                {
                    ownerId = owner;
                }
                // Whoever starts the analysis owns it unless someone was named.
                ownerId ??= caller.IsAuthenticated ? caller.UserId : null;
                after["ownerId"] = ownerId;
                break;
            case ProblemTrigger.KnownError:
                after["symptoms"] = Blank(request.Symptoms) ?? problem.Symptoms;
                after["rootCause"] = Blank(request.RootCause) ?? problem.RootCause;
                after["workaround"] = Blank(request.Workaround) ?? problem.Workaround;
                after["knownErrorAt"] = problem.KnownErrorAt ?? now;
                break;
            case ProblemTrigger.AwaitFix:
                after["rootCause"] = Blank(request.RootCause) ?? problem.RootCause;
                break;
            case ProblemTrigger.Resolve:
                after["rootCause"] = Blank(request.RootCause) ?? problem.RootCause;
                after["resolution"] = Blank(request.Resolution) ?? problem.Resolution;
                after["resolvedAt"] = now;
                after["fixedByChange"] = fixedByChange;
                break;
            case ProblemTrigger.Close:
                after["closureNote"] = request.ClosureNote!.Trim();
                after["closedAt"] = now;
                break;
            case ProblemTrigger.Reopen:
                // The recurrence undoes the resolution; the known error, if any, is in force again.
                after["resolution"] = "";
                after["resolvedAt"] = null;
                after["fixedByChange"] = null;
                reopened++;
                break;
            case ProblemTrigger.Cancel:
                after["cancelReason"] = note;
                after["closedAt"] = now;
                break;
        }
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE prb_problems SET state = @state, owner_id = @ownerId, symptoms = @symptoms, root_cause = @rootCause, workaround = @workaround,
                resolution = @resolution, closure_note = @closureNote, cancel_reason = @cancelReason, known_error_at = @knownErrorAt,
                fixed_by_change = @fixedByChange, fixed_at = @fixedAt, resolved_at = @resolvedAt, closed_at = @closedAt, reopened = @reopened,
                updated_at = @now, version = version + 1
            WHERE id = @id AND version = @version
            """,
            new
            {
                id = problem.Id, version = problem.Version, state = to.Key(), ownerId, symptoms = (string)after["symptoms"]!,
                rootCause = (string)after["rootCause"]!, workaround = (string)after["workaround"]!, resolution = (string)after["resolution"]!,
                closureNote = (string)after["closureNote"]!, cancelReason = (string?)after["cancelReason"], knownErrorAt = (DateTimeOffset?)after["knownErrorAt"],
                fixedByChange = (string?)after["fixedByChange"], fixedAt = after["fixedByChange"] is null ? null : (DateTimeOffset?)(problem.FixedAt ?? now),
                resolvedAt = (DateTimeOffset?)after["resolvedAt"], closedAt = (DateTimeOffset?)after["closedAt"], reopened, now,
            }, tx, cancellationToken: ct));
        if (updated == 0)
        {
            throw new RollbackException(text.Stale());
        }
        await trail.WriteAsync(connection, tx, new AuditEvent(ProblemAudit.RecordType, problem.Id.ToString("D"), trigger.Key(), problem.OrganisationId,
            AuditTrail.Diff(before, after), note), ct);
        await events.PublishAsync(new ProblemStateChanged(problem.Id, problem.Number, problem.State, to.Key(), trigger.Key()), connection, tx, ct);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
