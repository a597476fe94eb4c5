using System.Data.Common;
using Certus.Changes.Contracts;
using Certus.Changes.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Events;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Changes.Features;

/// <summary>
/// A board member's vote on a change, in the UI, through the API or by the link in the approval e-mail. Each vote is
/// audited with its reason; when the board's rule is met the change is authorised or rejected in the same write.
/// </summary>
public sealed class DecideChange(Database database, AuditTrail audit, ICurrentUser caller, DomainEvents events, Texts<Strings> text, TimeProvider clock)
{
    public sealed record Request(string? Reason);

    /// <summary>What the e-mail link shows before the approver decides.</summary>
    public sealed record LinkView(ChangeView Change, string ApproverName, bool Usable, string? Problem);

    public async Task<Outcome<ChangeView>> HandleAsync(Guid id, bool approve, Request request, int? expectedVersion = null, CancellationToken ct = default)
    {
        if (!caller.HasPermission(ChangePermissions.Approve))
        {
            return new Failure(FailureKind.Forbidden, text["Approval.Forbidden"]);
        }
        var errors = text.Errors().Required("reason", request.Reason, 4000);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await DecideAsync(id, caller.UserId, approve, request.Reason!.Trim(), "ui", null, expectedVersion, ct);
    }

    /// <summary>The change and approver an e-mail link stands for, and whether it can still be used.</summary>
    public async Task<LinkView?> ReadLinkAsync(string token, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var vote = await VoteByTokenAsync(connection, null, token, ct);
        if (vote is null)
        {
            return null;
        }
        var change = (await ChangeQueries.LoadAsync(connection, null, vote.ChangeId, ct))!;
        var problem = vote.ApproverId != caller.UserId ? text["Approval.LinkNotYours", vote.ApproverName] : LinkProblem(vote, change);
        return new LinkView(change, vote.ApproverName, problem is null, problem);
    }

    /// <summary>
    /// Decides through the e-mail link. The link names the vote; the approver still signs in as themselves, so the
    /// trail shows who decided and a forwarded mail decides nothing.
    /// </summary>
    public async Task<Outcome<ChangeView>> DecideByLinkAsync(string token, bool approve, Request request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("reason", request.Reason, 4000);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        await using var connection = await database.OpenAsync(ct);
        var vote = await VoteByTokenAsync(connection, null, token, ct);
        if (vote is null)
        {
            return text.NotFound();
        }
        if (vote.ApproverId != caller.UserId || !caller.HasPermission(ChangePermissions.Approve))
        {
            return new Failure(FailureKind.Forbidden, text["Approval.LinkNotYours", vote.ApproverName]);
        }
        return await DecideAsync(vote.ChangeId, vote.ApproverId, approve, request.Reason!.Trim(), "email", ApprovalRounds.Hash(token), null, ct);
    }

    private async Task<Outcome<ChangeView>> DecideAsync(
        Guid id, Guid approverId, bool approve, string reason, string via, string? tokenHash, int? expectedVersion, CancellationToken ct)
    {
        var trigger = approve ? ChangeTrigger.Authorise : ChangeTrigger.Reject;
        var now = clock.GetUtcNow();
        return await database.WriteAsync<Outcome<ChangeView>>(async (connection, tx) =>
        {
            var change = await ChangeQueries.LoadAsync(connection, tx, id, ct);
            if (change is null || !caller.CanSee(change.OrganisationId))
            {
                return text.NotFound();
            }
            if (expectedVersion is { } v && v != change.Version)
            {
                return text.Stale();
            }
            if (ChangeLifecycle.Next(change.ParsedType, change.ParsedState, trigger) is null)
            {
                return MoveChange.Illegal(text, change, trigger);
            }
            var votes = change.Approvals.Where(a => a.Round == change.ApprovalRound).ToList();
            var mine = votes.FirstOrDefault(a => a.ApproverId == approverId);
            if (mine is null)
            {
                return new Failure(FailureKind.Forbidden, text["Approval.NotApprover", change.Number]);
            }
            if (mine.Decision != "pending")
            {
                return new Failure(FailureKind.Conflict, text["Approval.AlreadyDecided", mine.Decision]);
            }
            if (tokenHash is not null)
            {
                var expires = await connection.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(
                    "SELECT token_expires_at FROM chg_approvals WHERE change_id = @id AND round = @round AND approver_id = @approverId AND token_hash = @tokenHash",
                    new { id, round = change.ApprovalRound, approverId, tokenHash }, tx, cancellationToken: ct));
                if (expires is null || expires < now)
                {
                    return new Failure(FailureKind.Conflict, text["Approval.LinkExpired"]);
                }
            }
            var decision = approve ? "approved" : "rejected";
            // The token is spent with the vote: a link decides once.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE chg_approvals SET decision = @decision, reason = @reason, via = @via, decided_at = @now, token_hash = NULL, token_expires_at = NULL
                WHERE change_id = @id AND round = @round AND approver_id = @approverId AND decision = 'pending'
                """,
                new { decision, reason, via, now, id, round = change.ApprovalRound, approverId }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(ChangeAudit.RecordType, id.ToString("D"), approve ? "approved" : "rejected-vote", change.OrganisationId,
                AuditTrail.Diff(
                    new Dictionary<string, object?>(StringComparer.Ordinal) { ["approval:" + mine.ApproverName] = "pending" },
                    new Dictionary<string, object?>(StringComparer.Ordinal) { ["approval:" + mine.ApproverName] = via == "email" ? decision + " (e-mail)" : decision }),
                reason), ct);

            var board = (await ChangeSettings.BoardsAsync(connection, tx, ct)).First(b => b.Id == change.BoardId);
            var approved = votes.Count(a => a.Decision == "approved") + (approve ? 1 : 0);
            var rejected = votes.Count(a => a.Decision == "rejected") + (approve ? 0 : 1);
            var outcome = board.Rule.Decide(votes.Count, approved, rejected);
            if (outcome != ApprovalOutcome.Pending)
            {
                var to = outcome == ApprovalOutcome.Authorised ? ChangeState.Authorised : ChangeState.Rejected;
                var decisive = outcome == ApprovalOutcome.Authorised ? ChangeTrigger.Authorise : ChangeTrigger.Reject;
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE chg_changes SET state = @state, authorised_at = @authorisedAt, closed_at = NULL, updated_at = @now, version = version + 1
                    WHERE id = @id
                    """,
                    new { state = to.Key(), authorisedAt = to == ChangeState.Authorised ? now : (DateTimeOffset?)null, now, id }, tx, cancellationToken: ct));
                // Votes still open no longer count; their links stop working.
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE chg_approvals SET decision = 'not-needed', token_hash = NULL, token_expires_at = NULL WHERE change_id = @id AND round = @round AND decision = 'pending'",
                    new { id, round = change.ApprovalRound }, tx, cancellationToken: ct));
                await audit.WriteAsync(connection, tx, new AuditEvent(ChangeAudit.RecordType, id.ToString("D"), decisive.Key(), change.OrganisationId,
                    AuditTrail.Diff(
                        new Dictionary<string, object?>(StringComparer.Ordinal) { ["state"] = change.State, ["authorisedAt"] = null },
                        new Dictionary<string, object?>(StringComparer.Ordinal) { ["state"] = to.Key(), ["authorisedAt"] = to == ChangeState.Authorised ? now : null }),
                    text["Approval.RuleMet", board.Name, board.ApprovalMode == "quorum" ? $"quorum {board.Quorum}" : board.ApprovalMode, approved, rejected, votes.Count]), ct);
                await events.PublishAsync(new ChangeStateChanged(id, change.Number, change.Type, change.State, to.Key(), decisive.Key()), connection, tx, ct);
            }
            else
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE chg_changes SET updated_at = @now, version = version + 1 WHERE id = @id", new { now, id }, tx, cancellationToken: ct));
            }
            return (await ChangeQueries.LoadAsync(connection, tx, id, ct))!;
        }, ct);
    }

    private string? LinkProblem(Vote vote, ChangeView change)
    {
        if (vote.ExpiresAt is null || vote.ExpiresAt < clock.GetUtcNow())
        {
            return text["Approval.LinkExpired"];
        }
        return vote.Round != change.ApprovalRound || !ChangeLifecycle.IsAwaitingDecision(change.ParsedType, change.ParsedState)
            ? text["Approval.LinkClosed", change.State]
            : null;
    }

    private static async Task<Vote?> VoteByTokenAsync(DbConnection connection, DbTransaction? tx, string token, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(token) || token.Length > 100
            ? null
            : await connection.QuerySingleOrDefaultAsync<Vote>(new CommandDefinition(
                "SELECT change_id, round, approver_id, approver_name, token_expires_at AS expires_at FROM chg_approvals WHERE token_hash = @hash",
                new { hash = ApprovalRounds.Hash(token.Trim()) }, tx, cancellationToken: ct));

    private sealed class Vote
    {
        public Guid ChangeId { get; init; }
        public int Round { get; init; }
        public Guid ApproverId { get; init; }
        public string ApproverName { get; init; } = "";
        public DateTimeOffset? ExpiresAt { get; init; }
    }
}
