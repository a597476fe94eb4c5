using System.Data.Common;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Events;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Domain;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.ServiceLevels.Features;

/// <summary>
/// The scheduled look at running clocks: records warnings and breaches, and fires the escalation rules for each
/// once. "Once" holds with several instances because each step is a conditional update or an insert that only one
/// transaction can win, besides the job itself running on one node at a time.
/// </summary>
public sealed class EvaluateClocks(IServiceScopeFactory scopes, TimeProvider clock)
{
    private const int Batch = 500;

    /// <summary>What one evaluation did.</summary>
    public sealed record Result(long Replanned, int Warnings, int Breaches, int Escalations);

    /// <param name="ct">Cancellation.</param>
    /// <param name="asOf">Evaluate as of this instant instead of now (operators catching up, tests looking ahead).</param>
    public async Task<Result> RunOnceAsync(CancellationToken ct, DateTimeOffset? asOf = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider.ActAsSystem();
        var database = services.GetRequiredService<Database>();
        var replanned = await services.GetRequiredService<ReplanClocks>().RunPendingAsync(ct);
        var now = asOf ?? clock.GetUtcNow();
        List<ClockRow> due;
        List<EscalationRuleView> rules;
        await using (var connection = await database.OpenAsync(ct))
        {
            due = (await connection.QueryAsync<ClockRow>(new CommandDefinition(
                ClockRow.Select + """
                 WHERE c.state = 'running' AND ((c.warned_at IS NULL AND c.warn_at <= @now) OR (c.breached_at IS NULL AND c.due_at <= @now))
                 ORDER BY c.warn_at
                 LIMIT @batch
                """, new { now, batch = Batch, noCalendar = ClockStore.NoCalendar }, cancellationToken: ct))).ToList();
            rules = due.Count == 0 ? [] : (await connection.QueryAsync<EscalationRuleView>(new CommandDefinition(
                $"SELECT {EscalationRuleView.Columns} FROM sla_escalation_rules WHERE is_active = @yes", new { yes = true }, cancellationToken: ct))).ToList();
        }
        int warnings = 0, breaches = 0, escalations = 0;
        foreach (var row in due)
        {
            var (warned, breached, fired) = await database.WriteAsync(
                (connection, tx) => EvaluateAsync(services, connection, tx, row, rules, now, ct), ct);
            warnings += warned ? 1 : 0;
            breaches += breached ? 1 : 0;
            escalations += fired;
        }
        return new Result(replanned, warnings, breaches, escalations);
    }

    private static async Task<(bool Warned, bool Breached, int Fired)> EvaluateAsync(
        IServiceProvider services, DbConnection connection, DbTransaction tx, ClockRow row, List<EscalationRuleView> rules, DateTimeOffset now, CancellationToken ct)
    {
        var audit = services.GetRequiredService<AuditTrail>();
        var key = new { incidentId = row.IncidentId, agreementId = row.AgreementId, metric = row.Metric, now };
        var warned = row.WarnedAt is null && row.WarnAt <= now && await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE sla_clocks SET warned_at = @now
            WHERE incident_id = @incidentId AND agreement_id = @agreementId AND metric = @metric AND state = 'running' AND warned_at IS NULL
            """, key, tx, cancellationToken: ct)) == 1;
        var breached = row.BreachedAt is null && row.DueAt <= now && await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE sla_clocks SET breached_at = due_at
            WHERE incident_id = @incidentId AND agreement_id = @agreementId AND metric = @metric AND state = 'running' AND breached_at IS NULL AND due_at <= @now
            """, key, tx, cancellationToken: ct)) == 1;
        var metric = ServiceLevelNames.ParseMetric(row.Metric)!.Value;
        if (warned)
        {
            await audit.WriteAsync(connection, tx, new AuditEvent("incident", row.IncidentId.ToString("D"), "sla-warning", row.OrganisationId,
                [new AuditChange($"sla.{row.Metric}", null, $"{row.WarningPercent}%")]), ct);
        }
        if (breached)
        {
            await Breaches.RecordAsync(connection, tx, row.IncidentId, row.AgreementId, metric, row.OrganisationId, row.ServiceId, row.Priority, row.DueAt!.Value, row.DueAt.Value, ct);
            await audit.WriteAsync(connection, tx, new AuditEvent("incident", row.IncidentId.ToString("D"), "sla-breached", row.OrganisationId,
                [new AuditChange($"sla.{row.Metric}", null, row.DueAt.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture))]), ct);
            await services.GetRequiredService<DomainEvents>().PublishAsync(
                new SlaBreached(row.IncidentId, row.AgreementId, row.Metric, row.OrganisationId, row.ServiceId, row.Priority, row.DueAt.Value), connection, tx, ct);
        }
        var fired = 0;
        foreach (var level in new[] { (Reached: warned, Name: "warning"), (Reached: breached, Name: "breach") }.Where(l => l.Reached))
        {
            foreach (var rule in rules.Where(r => r.Level == level.Name && (r.AgreementId is null || r.AgreementId == row.AgreementId)
                && (r.Metric == "any" || r.Metric == row.Metric) && row.Priority <= r.MinPriority))
            {
                var first = await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO sla_escalations (rule_id, incident_id, agreement_id, metric, fired_at) VALUES (@ruleId, @incidentId, @agreementId, @metric, @now)
                    ON CONFLICT DO NOTHING
                    """, new { ruleId = rule.Id, key.incidentId, key.agreementId, key.metric, now }, tx, cancellationToken: ct)) == 1;
                if (first)
                {
                    await services.GetRequiredService<Escalate>().FireAsync(rule, row, level.Name, connection, tx, ct);
                    fired++;
                }
            }
        }
        return (warned, breached, fired);
    }
}

/// <summary>Runs <see cref="EvaluateClocks"/> every <c>Certus:ServiceLevels:EvaluateEvery</c>; one node at a time across a cluster.</summary>
[Quartz.DisallowConcurrentExecution]
public sealed class EvaluateClocksJob(EvaluateClocks evaluate) : Quartz.IJob
{
    public static readonly Quartz.JobKey Key = new("evaluate-clocks", "service-levels");

    public async ValueTask Execute(Quartz.IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await evaluate.RunOnceAsync(cancellationToken);
}
