using System.Data.Common;
using Certus.Changes.Contracts;
using Certus.Configuration.Contracts;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Events;
using Certus.Problems.Domain;
using Certus.Releases.Contracts;
using Dapper;

namespace Certus.Problems.Features;

/// <summary>
/// Change and release outcomes feed the problem knowledge base (manual §9.1.7): when a change linked to a problem waiting
/// for its fix is implemented, the problem is resolved and its known error marked fixed by that change; a change that
/// fails, is backed out, rejected or cancelled is noted on the problem, which stays where it is. Runs on change
/// management's transaction, so the problem and the change never disagree.
/// </summary>
public sealed class ChangeOutcomes(MoveProblem move, Texts<Strings> text, TimeProvider clock) : IDomainEventHandler<ChangeStateChanged>
{
    private static readonly string[] Noted = ["implemented", "failed", "backed-out", "rejected", "cancelled"];

    public async Task HandleAsync(ChangeStateChanged domainEvent, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (domainEvent.Trigger == "create")
        {
            return;
        }
        var ct = cancellationToken;
        var problems = (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT problem_id FROM prb_problem_changes WHERE change_id = @id", new { id = domainEvent.ChangeId }, transaction, cancellationToken: ct))).ToList();
        if (problems.Count == 0)
        {
            return;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE prb_problem_changes SET state = @state WHERE change_id = @id", new { state = domainEvent.To, id = domainEvent.ChangeId }, transaction,
            cancellationToken: ct));
        if (!Noted.Contains(domainEvent.To, StringComparer.Ordinal))
        {
            return;
        }
        // Certus acts here, not the person who moved the change: the audit trail says "system".
        var trail = new AuditTrail(SystemActor.Instance, clock);
        foreach (var id in problems)
        {
            var problem = await ProblemQueries.LoadAsync(connection, transaction, id, ct);
            if (problem is null || ProblemLifecycle.IsFinished(problem.ParsedState))
            {
                continue;
            }
            var othersPending = problem.Changes.Any(c => c.Id != domainEvent.ChangeId && ChangeOutcome.IsPending(c.State));
            if (domainEvent.To == "implemented" && problem.ParsedState == ProblemState.FixPending && !othersPending)
            {
                await move.ApplyAsync(connection, transaction, trail, problem, ProblemTrigger.Resolve, ProblemState.Resolved,
                    new MoveProblem.Request(Resolution: text["Auto.Resolution", domainEvent.Number]), text["Auto.Resolved", domainEvent.Number], ct,
                    fixedByChange: domainEvent.Number);
                continue;
            }
            var note = domainEvent.To == "implemented" && othersPending
                ? text["Auto.ImplementedOthersPending", domainEvent.Number]
                : text[$"Auto.Change.{domainEvent.To}", domainEvent.Number];
            await trail.WriteAsync(connection, transaction, new AuditEvent(ProblemAudit.RecordType, id.ToString("D"), "change-" + domainEvent.To,
                problem.OrganisationId, [new AuditChange("change", domainEvent.From, domainEvent.To)], note), ct);
        }
    }
}

/// <summary>
/// A failed or backed-out release's latent cause goes to problem management (manual §9.1.6; ISO/IEC 20000-1:2018 8.5.3,
/// 8.6.3): a problem is opened, source <c>release</c>, inside the release's own write; a second cause found on the same
/// release is added to the problem already open for it.
/// </summary>
public sealed class LatentCauses(RaiseProblem raise, IConfigurationRecords cmdb, AuditTrail audit, Texts<Strings> text, TimeProvider clock)
    : IDomainEventHandler<LatentCauseFound>
{
    public async Task HandleAsync(LatentCauseFound domainEvent, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var ct = cancellationToken;
        var e = domainEvent;
        var changes = e.ChangeNumbers.Count == 0 ? "—" : string.Join(", ", e.ChangeNumbers);
        var existing = await connection.QueryFirstOrDefaultAsync<Guid?>(new CommandDefinition(
            $"SELECT id FROM prb_problems WHERE source_kind = 'release' AND source_ref = @reference AND state IN ({string.Join(", ", ProblemLifecycle.OpenKeys.Select(k => $"'{k}'"))}) ORDER BY number",
            new { reference = e.Number }, transaction, cancellationToken: ct));
        if (existing is { } id)
        {
            var problem = (await ProblemQueries.LoadAsync(connection, transaction, id, ct))!;
            var description = (problem.Description + "\n\n" + text["Latent.More", e.Cause]).Trim();
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE prb_problems SET description = @description, updated_at = @now, version = version + 1 WHERE id = @id",
                new { id, description, now = clock.GetUtcNow() }, transaction, cancellationToken: ct));
            await audit.WriteAsync(connection, transaction, new AuditEvent(ProblemAudit.RecordType, id.ToString("D"), "updated", problem.OrganisationId,
                [new AuditChange("description", problem.Description, description)], text["Latent.Reason", e.Number, e.Identifier]), ct);
            return;
        }
        var cis = e.CiIds.Count == 0 ? [] : await cmdb.GetAsync(e.CiIds, ct);
        var title = text["Latent.Title", e.Identifier, e.Title];
        var prepared = new RaiseProblem.Prepared(
            title.Length > 200 ? title[..199] + "…" : title,
            text["Latent.Description", e.Number, e.Identifier, e.Title, e.Cause, changes],
            "", e.ServiceCode, cis, RaiseProblem.DefaultPriority, "other", null, null, "release", e.Number, [], "", "");
        await raise.InsertAsync(connection, transaction, prepared, await raise.ProviderIdAsync(ct), text["Latent.Reason", e.Number, e.Identifier], ct);
    }
}
