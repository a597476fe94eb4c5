using System.Data.Common;
using System.Globalization;
using Certus.Configuration.Contracts;
using Certus.Configuration.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Configuration.Features;

/// <summary>A relationship between two CIs, with both ends named.</summary>
public sealed class RelationshipView
{
    public Guid Id { get; init; }
    public Guid SourceId { get; init; }
    public string SourceIdentifier { get; init; } = "";
    public string SourceName { get; init; } = "";
    public Guid TargetId { get; init; }
    public string TargetIdentifier { get; init; } = "";
    public string TargetName { get; init; } = "";
    public string Type { get; init; } = "";
    public string TypeName { get; set; } = "";
    public string InverseName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public string? ChangeRef { get; init; }

    internal const string Select =
        """
        SELECT r.id, r.source_id, s.identifier AS source_identifier, s.name AS source_name, r.target_id, t.identifier AS target_identifier,
               t.name AS target_name, r.type_key AS type, r.created_at, r.change_ref
        FROM cmdb_relationships r JOIN cmdb_items s ON s.id = r.source_id JOIN cmdb_items t ON t.id = r.target_id
        """;
}

/// <summary>A relationship added to or removed from the CMDB.</summary>
public sealed class RelationshipChange
{
    public long Seq { get; init; }
    public string Op { get; init; } = "";
    public DateTimeOffset At { get; init; }
    public Guid? ActorId { get; init; }
    public string? ChangeRef { get; init; }
    public Guid RelationshipId { get; init; }
    public Guid SourceId { get; init; }
    public string SourceIdentifier { get; init; } = "";
    public string SourceName { get; init; } = "";
    public Guid TargetId { get; init; }
    public string TargetIdentifier { get; init; } = "";
    public string TargetName { get; init; } = "";
    public string Type { get; init; } = "";
    public string TypeName { get; set; } = "";
}

/// <summary>
/// Typed, directed relationships between CIs (manual §8.1.1): the class rules say which class may relate to which,
/// acyclic types refuse a cycle, and relationships touching a CI in use need an authorised change.
/// </summary>
public sealed class Relationships(Database database, AuditTrail audit, ICurrentUser caller, ConfigurationItems items, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "ci-relationship";

    public sealed record Request(Guid? SourceId, Guid? TargetId, string? Type, string? ChangeRef = null, string? Reason = null);

    public sealed record CiRelationships(IReadOnlyList<RelationshipView> Outgoing, IReadOnlyList<RelationshipView> Incoming);

    /// <summary>
    /// The CI's relationships now, or as they stood at <paramref name="asOf"/> (rebuilt from the relationship log, so
    /// any past state can be shown).
    /// </summary>
    public async Task<CiRelationships?> ForCiAsync(Guid ciId, DateTimeOffset? asOf = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var model = await ClassModel.LoadAsync(connection, null, ct);
        if (await items.GetAsync(connection, null, ciId, model, ct) is null)
        {
            return null;
        }
        var visible = VisibleFilter("other");
        if (asOf is { } moment)
        {
            var then = (await connection.QueryAsync<RelationshipView>(new CommandDefinition(
                $"""
                SELECT l.relationship_id AS id, l.source_id, s.identifier AS source_identifier, s.name AS source_name, l.target_id, t.identifier AS target_identifier,
                       t.name AS target_name, l.type_key AS type, l.at AS created_at, l.change_ref
                FROM cmdb_relationship_log l JOIN cmdb_items s ON s.id = l.source_id JOIN cmdb_items t ON t.id = l.target_id
                WHERE (l.source_id = @ciId OR l.target_id = @ciId) AND l.op = 'added' AND l.at <= @moment
                  AND NOT EXISTS (SELECT 1 FROM cmdb_relationship_log r WHERE r.relationship_id = l.relationship_id AND r.op = 'removed' AND r.seq > l.seq AND r.at <= @moment)
                  {visible.Replace("other", "CASE WHEN l.source_id = @ciId THEN l.target_id ELSE l.source_id END", StringComparison.Ordinal)}
                ORDER BY l.type_key, l.seq
                """, new { ciId, moment, scopeOrg = caller.VisibleOrganisationId }, cancellationToken: ct))).ToList();
            return new CiRelationships(Label(then.Where(r => r.SourceId == ciId), model), Label(then.Where(r => r.TargetId == ciId), model));
        }
        var outgoing = await connection.QueryAsync<RelationshipView>(new CommandDefinition(
            $"{RelationshipView.Select} WHERE r.source_id = @ciId {visible.Replace("other", "r.target_id", StringComparison.Ordinal)} ORDER BY r.type_key, t.identifier",
            new { ciId, scopeOrg = caller.VisibleOrganisationId }, cancellationToken: ct));
        var incoming = await connection.QueryAsync<RelationshipView>(new CommandDefinition(
            $"{RelationshipView.Select} WHERE r.target_id = @ciId {visible.Replace("other", "r.source_id", StringComparison.Ordinal)} ORDER BY r.type_key, s.identifier",
            new { ciId, scopeOrg = caller.VisibleOrganisationId }, cancellationToken: ct));
        return new CiRelationships(Label(outgoing, model), Label(incoming, model));
    }

    /// <summary>Every relationship this CI gained or lost, newest first, with who and under which change.</summary>
    public async Task<IReadOnlyList<RelationshipChange>?> HistoryAsync(Guid ciId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        if (caller.VisibleOrganisationId is not null || await items.GetAsync(connection, null, ciId, ct) is null)
        {
            return null;
        }
        var model = await ClassModel.LoadAsync(connection, null, ct);
        var culture = CultureInfo.CurrentUICulture.Name;
        var changes = (await connection.QueryAsync<RelationshipChange>(new CommandDefinition(
            """
            SELECT l.seq, l.op, l.at, l.actor_id, l.change_ref, l.relationship_id, l.source_id, s.identifier AS source_identifier, s.name AS source_name,
                   l.target_id, t.identifier AS target_identifier, t.name AS target_name, l.type_key AS type
            FROM cmdb_relationship_log l JOIN cmdb_items s ON s.id = l.source_id JOIN cmdb_items t ON t.id = l.target_id
            WHERE l.source_id = @ciId OR l.target_id = @ciId
            ORDER BY l.seq DESC
            """, new { ciId }, cancellationToken: ct))).ToList();
        foreach (var change in changes)
        {
            change.TypeName = model.Type(change.Type)?.Name(culture) ?? change.Type;
        }
        return changes;
    }

    public async Task<RelationshipView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var model = await ClassModel.LoadAsync(connection, null, ct);
        var found = await LoadAsync(connection, null, id, ct);
        if (found is null || (caller.VisibleOrganisationId is not null
            && (await items.GetAsync(connection, null, found.SourceId, ct) is null || await items.GetAsync(connection, null, found.TargetId, ct) is null)))
        {
            return null;
        }
        return Label([found], model)[0];
    }

    public Task<Outcome<RelationshipView>> AddAsync(Request request, CancellationToken ct = default) =>
        database.WriteAsync<Outcome<RelationshipView>>(async (connection, tx) =>
        {
            await LockGraphAsync(connection, tx, ct);
            var model = await ClassModel.LoadAsync(connection, tx, ct);
            var errors = text.Errors();
            var source = request.SourceId is { } s ? await items.GetAsync(connection, tx, s, model, ct) : null;
            var target = request.TargetId is { } t ? await items.GetAsync(connection, tx, t, model, ct) : null;
            var type = model.Type(request.Type);
            errors.When(source is null, "sourceId", request.SourceId is null ? "Validation.Required" : "Validation.Unknown", request.SourceId?.ToString() ?? "")
                .When(target is null, "targetId", request.TargetId is null ? "Validation.Required" : "Validation.Unknown", request.TargetId?.ToString() ?? "");
            if (type is null)
            {
                errors.Add("type", "Validation.OneOf", string.Join(", ", model.Types.Select(x => x.Key)));
            }
            if (!errors.IsEmpty || source is null || target is null || type is null)
            {
                return text.Invalid(errors);
            }
            var culture = CultureInfo.CurrentUICulture.Name;
            if (source.Id == target.Id)
            {
                return text.Invalid(errors.AddMessage("targetId", text["Relationship.Self"]));
            }
            foreach (var end in new[] { source, target })
            {
                if (ConfigurationNames.ParseStatus(end.Status) is { } st && CiLifecycle.IsFinal(st))
                {
                    return new Failure(FailureKind.Conflict, text["Ci.Final", end.Identifier, end.Status]);
                }
            }
            if (!model.Allows(type, source.ClassId, target.ClassId))
            {
                return text.Invalid(errors.AddMessage("type", text["Relationship.ClassRule", source.ClassName, type.Name(culture), target.ClassName]));
            }
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM cmdb_relationships WHERE source_id = @sourceId AND target_id = @targetId AND type_key = @type",
                new { sourceId = source.Id, targetId = target.Id, type = type.Key }, tx, cancellationToken: ct)) > 0)
            {
                return new Failure(FailureKind.Conflict, text["Relationship.Exists", source.Identifier, type.Name(culture), target.Identifier]);
            }
            if (type.Acyclic && await ReachesAsync(connection, tx, target.Id, source.Id, type.Key, ct))
            {
                return text.Invalid(errors.AddMessage("type", text["Relationship.Cycle", source.Identifier, type.Name(culture), target.Identifier]));
            }
            var controlled = new[] { source, target }.Where(c => c.Controlled).Select(c => c.Id).ToList();
            if (controlled.Count > 0 && await items.CheckControlAsync(connection, tx,
                new ChangeControlRequest(ConfigurationItems.Blank(request.ChangeRef), controlled, "relate"), ct) is { } refused)
            {
                return ConfigurationItems.Refusal(refused);
            }
            var id = Guid.CreateVersion7();
            var changeRef = ConfigurationItems.Blank(request.ChangeRef);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cmdb_relationships (id, source_id, target_id, type_key, created_at, actor_id, change_ref)
                VALUES (@id, @sourceId, @targetId, @type, @now, @actorId, @changeRef)
                """, new { id, sourceId = source.Id, targetId = target.Id, type = type.Key, now = clock.GetUtcNow(), actorId = caller.ActorId, changeRef }, tx, cancellationToken: ct));
            await LogAsync(connection, tx, id, "added", source.Id, target.Id, type.Key, changeRef, caller.ActorId, clock.GetUtcNow(), ct);
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "created", null,
                [new AuditChange("source", null, source.Identifier), new AuditChange("type", null, type.Key), new AuditChange("target", null, target.Identifier),
                 .. ConfigurationItems.ChangeRefEntry(changeRef)], request.Reason), ct);
            return Label([(await LoadAsync(connection, tx, id, ct))!], model)[0];
        }, ct);

    public Task<Outcome<RelationshipView>> RemoveAsync(Guid id, string? changeRef, string? reason, CancellationToken ct = default) =>
        database.WriteAsync<Outcome<RelationshipView>>(async (connection, tx) =>
        {
            await LockGraphAsync(connection, tx, ct);
            if (caller.VisibleOrganisationId is not null || await LoadAsync(connection, tx, id, ct) is not { } found)
            {
                return text.NotFound();
            }
            var ends = new[] { await items.GetAsync(connection, tx, found.SourceId, ct), await items.GetAsync(connection, tx, found.TargetId, ct) };
            var controlled = ends.Where(c => c is { Controlled: true }).Select(c => c!.Id).ToList();
            changeRef = ConfigurationItems.Blank(changeRef);
            if (controlled.Count > 0 && await items.CheckControlAsync(connection, tx, new ChangeControlRequest(changeRef, controlled, "unrelate"), ct) is { } refused)
            {
                return ConfigurationItems.Refusal(refused);
            }
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM cmdb_relationships WHERE id = @id", new { id }, tx, cancellationToken: ct));
            await LogAsync(connection, tx, id, "removed", found.SourceId, found.TargetId, found.Type, changeRef, caller.ActorId, clock.GetUtcNow(), ct);
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "deleted", null,
                [new AuditChange("source", found.SourceIdentifier, null), new AuditChange("type", found.Type, null), new AuditChange("target", found.TargetIdentifier, null),
                 .. ConfigurationItems.ChangeRefEntry(changeRef)], reason), ct);
            var model = await ClassModel.LoadAsync(connection, tx, ct);
            return Label([found], model)[0];
        }, ct);

    /// <summary>
    /// Relationship writers take turns on PostgreSQL too: the cycle check must see every committed edge, and the log's
    /// sequence numbers must follow commit order for the in-memory graphs that replay it.
    /// </summary>
    internal static async Task LockGraphAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        if (connection is Npgsql.NpgsqlConnection)
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('cmdb.relationships'))", transaction: tx, cancellationToken: ct));
        }
    }

    internal static async Task LogAsync(
        DbConnection connection, DbTransaction tx, Guid id, string op, Guid source, Guid target, string type, string? changeRef, Guid? actor, DateTimeOffset at, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cmdb_relationship_log (seq, relationship_id, op, source_id, target_id, type_key, at, actor_id, change_ref)
            SELECT coalesce(max(seq), 0) + 1, @id, @op, @source, @target, @type, @at, @actor, @changeRef FROM cmdb_relationship_log
            """, new { id, op, source, target, type, at, actor, changeRef }, tx, cancellationToken: ct));
    }

    /// <summary>True when <paramref name="to"/> is reachable from <paramref name="from"/> along relationships of one type.</summary>
    private static async Task<bool> ReachesAsync(DbConnection connection, DbTransaction tx, Guid from, Guid to, string type, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            WITH RECURSIVE reach(id) AS (
                SELECT @from
                UNION
                SELECT r.target_id FROM cmdb_relationships r JOIN reach ON r.source_id = reach.id WHERE r.type_key = @type
            )
            SELECT count(*) FROM reach WHERE id = @to
            """, new { from, to, type }, tx, cancellationToken: ct)) > 0;

    private static Task<RelationshipView?> LoadAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<RelationshipView>(new CommandDefinition($"{RelationshipView.Select} WHERE r.id = @id", new { id }, tx, cancellationToken: ct));

    private static List<RelationshipView> Label(IEnumerable<RelationshipView> rows, ClassModel model)
    {
        var culture = CultureInfo.CurrentUICulture.Name;
        var list = rows.ToList();
        foreach (var r in list)
        {
            var type = model.Type(r.Type);
            r.TypeName = type?.Name(culture) ?? r.Type;
            r.InverseName = type?.Inverse(culture) ?? r.Type;
        }
        return list;
    }

    private string VisibleFilter(string column) => caller.VisibleOrganisationId is null ? ""
        : $"AND EXISTS (SELECT 1 FROM cmdb_item_customers c WHERE c.ci_id = {column} AND c.organisation_id = @scopeOrg)";

}
