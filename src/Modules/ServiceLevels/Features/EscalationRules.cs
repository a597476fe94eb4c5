using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.ServiceLevels.Domain;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>What happens when a clock reaches its warning level or its target.</summary>
public sealed class EscalationRuleView : IVersioned
{
    public Guid Id { get; init; }
    public Guid? AgreementId { get; init; }
    public string Name { get; init; } = "";
    /// <summary><c>response</c>, <c>resolution</c> or <c>any</c>.</summary>
    public string Metric { get; init; } = "";
    /// <summary><c>warning</c> (the agreement's warning percentage, 75% by default) or <c>breach</c> (100%).</summary>
    public string Level { get; init; } = "";
    /// <summary>The rule applies to priorities P1 to this one.</summary>
    public int MinPriority { get; init; }
    public bool NotifyAssignee { get; init; }
    public bool NotifyGroupLead { get; init; }
    public bool NotifyServiceOwner { get; init; }
    public Guid? ReassignGroupId { get; init; }
    public bool RaisePriority { get; init; }
    public bool IsActive { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int Version { get; init; }

    internal const string Columns = """
        id, agreement_id, name, metric, level, min_priority, notify_assignee, notify_group_lead, notify_service_owner, reassign_group_id,
        raise_priority, is_active, created_at, version
        """;
}

/// <summary>Escalation rules (ISO 20000-1:2018 8.3.3): notify the assignee, the group lead or the service owner; reassign; raise priority.</summary>
public sealed class EscalationRules(Database database, AuditTrail audit, IDirectory directory, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "escalation-rule";

    public sealed record Request(
        string? Name, Guid? AgreementId, string? Metric, string? Level, int? MinPriority, bool? NotifyAssignee, bool? NotifyGroupLead,
        bool? NotifyServiceOwner, Guid? ReassignGroupId, bool? RaisePriority, bool? IsActive);

    public async Task<IReadOnlyList<EscalationRuleView>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<EscalationRuleView>(new CommandDefinition(
            $"SELECT {EscalationRuleView.Columns} FROM sla_escalation_rules ORDER BY level DESC, name", cancellationToken: ct))).ToList();
    }

    public async Task<EscalationRuleView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<EscalationRuleView>(new CommandDefinition(
            $"SELECT {EscalationRuleView.Columns} FROM sla_escalation_rules WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<Outcome<EscalationRuleView>> CreateAsync(Request request, CancellationToken ct = default) =>
        await SaveAsync(null, null, request, ct);

    public async Task<Outcome<EscalationRuleView>> UpdateAsync(Guid id, int expectedVersion, Request request, CancellationToken ct = default) =>
        await SaveAsync(id, expectedVersion, request, ct);

    private async Task<Outcome<EscalationRuleView>> SaveAsync(Guid? id, int? expectedVersion, Request request, CancellationToken ct)
    {
        var errors = text.Errors().Required("name", request.Name, 200);
        var metric = request.Metric ?? "any";
        if (metric != "any" && ServiceLevelNames.ParseMetric(metric) is null)
        {
            errors.Add("metric", "Validation.OneOf", "response, resolution, any");
        }
        if (request.Level is not ("warning" or "breach"))
        {
            errors.Add("level", "Validation.OneOf", "warning, breach");
        }
        if (request.MinPriority is { } p && p is < 1 or > 5)
        {
            errors.Add("minPriority", "Validation.OneOf", "1, 2, 3, 4, 5");
        }
        if (request.ReassignGroupId is { } group && await directory.FindGroupAsync(group, ct) is null)
        {
            errors.Add("reassignGroupId", "Validation.Unknown", group);
        }
        var acts = request.NotifyAssignee == true || request.NotifyGroupLead == true || request.NotifyServiceOwner == true
            || request.ReassignGroupId is not null || request.RaisePriority == true;
        if (!acts)
        {
            errors.AddMessage("actions", text["Escalation.NoAction"]);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var now = clock.GetUtcNow();
        return await database.WriteAsync<Outcome<EscalationRuleView>>(async (connection, tx) =>
        {
            if (request.AgreementId is { } agreementId && await Agreements.LoadAsync(connection, tx, agreementId, ct) is null)
            {
                return text.Invalid(text.Errors().Add("agreementId", "Validation.Unknown", agreementId));
            }
            var row = new
            {
                id = id ?? Guid.CreateVersion7(), request.AgreementId, name = request.Name!.Trim(), metric, level = request.Level,
                minPriority = request.MinPriority ?? 5, notifyAssignee = request.NotifyAssignee == true, notifyGroupLead = request.NotifyGroupLead == true,
                notifyServiceOwner = request.NotifyServiceOwner == true, request.ReassignGroupId, raisePriority = request.RaisePriority == true,
                isActive = request.IsActive ?? true, now, version = expectedVersion ?? 0,
            };
            EscalationRuleView? before = null;
            if (id is null)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO sla_escalation_rules (id, agreement_id, name, metric, level, min_priority, notify_assignee, notify_group_lead, notify_service_owner,
                        reassign_group_id, raise_priority, is_active, created_at, version)
                    VALUES (@id, @AgreementId, @name, @metric, @level, @minPriority, @notifyAssignee, @notifyGroupLead, @notifyServiceOwner,
                        @ReassignGroupId, @raisePriority, @isActive, @now, 1)
                    """, row, tx, cancellationToken: ct));
            }
            else
            {
                before = await connection.QuerySingleOrDefaultAsync<EscalationRuleView>(new CommandDefinition(
                    $"SELECT {EscalationRuleView.Columns} FROM sla_escalation_rules WHERE id = @id", new { id }, tx, cancellationToken: ct));
                if (before is null)
                {
                    return text.NotFound();
                }
                var updated = await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE sla_escalation_rules SET agreement_id = @AgreementId, name = @name, metric = @metric, level = @level, min_priority = @minPriority,
                        notify_assignee = @notifyAssignee, notify_group_lead = @notifyGroupLead, notify_service_owner = @notifyServiceOwner,
                        reassign_group_id = @ReassignGroupId, raise_priority = @raisePriority, is_active = @isActive, version = version + 1
                    WHERE id = @id AND version = @version
                    """, row, tx, cancellationToken: ct));
                if (updated == 0)
                {
                    return text.Stale();
                }
            }
            var after = (await connection.QuerySingleAsync<EscalationRuleView>(new CommandDefinition(
                $"SELECT {EscalationRuleView.Columns} FROM sla_escalation_rules WHERE id = @id", new { row.id }, tx, cancellationToken: ct)));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, row.id.ToString("D"), before is null ? "created" : "updated", null,
                before is null ? AuditTrail.Created(Snapshot(after)) : AuditTrail.Diff(Snapshot(before), Snapshot(after))), ct);
            return after;
        }, ct);
    }

    private static Dictionary<string, object?> Snapshot(EscalationRuleView r) => new(StringComparer.Ordinal)
    {
        ["name"] = r.Name, ["agreementId"] = r.AgreementId, ["metric"] = r.Metric, ["level"] = r.Level, ["minPriority"] = r.MinPriority,
        ["notifyAssignee"] = r.NotifyAssignee, ["notifyGroupLead"] = r.NotifyGroupLead, ["notifyServiceOwner"] = r.NotifyServiceOwner,
        ["reassignGroupId"] = r.ReassignGroupId, ["raisePriority"] = r.RaisePriority, ["isActive"] = r.IsActive,
    };
}
