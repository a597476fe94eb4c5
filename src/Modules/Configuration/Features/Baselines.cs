using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Certus.Configuration.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Configuration.Features;

/// <summary>A named snapshot of a set of CIs (ISO/IEC 20000-1:2018 8.2.6; manual §8.1.2 configuration baseline).</summary>
public sealed class BaselineView
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public IReadOnlyList<Guid> RootIds { get; private set; } = [];
    public bool IncludeDependencies { get; init; }
    public int CiCount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public Guid? CreatedBy { get; init; }

    internal string RootIdsJson { get => JsonSerializer.Serialize(RootIds); init => RootIds = JsonSerializer.Deserialize<Guid[]>(value) ?? []; }

    internal const string Columns = "id, name, description, root_ids AS RootIdsJson, include_dependencies, ci_count, created_at, created_by";
}

/// <summary>One CI as a baseline holds it.</summary>
public sealed record BaselineItem(Guid CiId, string Identifier, string Name, string Class, string Status, int CiVersion, JsonElement Snapshot);

/// <summary>
/// Baselines: take one of a service and everything it depends on (or any chosen CIs), list them, and compare a
/// baseline with today's CMDB or with another baseline.
/// </summary>
public sealed class Baselines(
    Database database, AuditTrail audit, ICurrentUser caller, RelationshipGraph graph, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "ci-baseline";

    // A baseline of more CIs than this is refused rather than cut short.
    private const int MaxItems = 50_000;

    public sealed record Request(string? Name, string? Description, IReadOnlyList<Guid>? CiIds, bool IncludeDependencies = true);

    public sealed record Detail(BaselineView Baseline, IReadOnlyList<BaselineItem> Items, IReadOnlyList<RelationshipKey> Relationships);

    public sealed record RelationshipKey(Guid SourceId, Guid TargetId, string Type);

    public sealed record FieldChange(string Field, string? Old, string? New);

    public sealed record ChangedCi(Guid CiId, string Identifier, string Name, int FromVersion, int ToVersion, IReadOnlyList<FieldChange> Changes);

    public sealed record CiRef(Guid CiId, string Identifier, string Name, string Class, string Status);

    public sealed record Comparison(
        Guid BaselineId, string BaselineName, Guid? WithId, string WithName, IReadOnlyList<CiRef> Added, IReadOnlyList<CiRef> Removed,
        IReadOnlyList<ChangedCi> Changed, int Unchanged, IReadOnlyList<RelationshipKey> RelationshipsAdded, IReadOnlyList<RelationshipKey> RelationshipsRemoved);

    public async Task<IReadOnlyList<BaselineView>> ListAsync(CancellationToken ct = default)
    {
        if (caller.VisibleOrganisationId is not null)
        {
            return [];
        }
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<BaselineView>(new CommandDefinition(
            $"SELECT {BaselineView.Columns} FROM cmdb_baselines ORDER BY created_at DESC", cancellationToken: ct))];
    }

    public async Task<Detail?> GetAsync(Guid id, CancellationToken ct = default)
    {
        if (caller.VisibleOrganisationId is not null)
        {
            return null;
        }
        await using var connection = await database.OpenAsync(ct);
        var baseline = await connection.QuerySingleOrDefaultAsync<BaselineView>(new CommandDefinition(
            $"SELECT {BaselineView.Columns} FROM cmdb_baselines WHERE id = @id", new { id }, cancellationToken: ct));
        if (baseline is null)
        {
            return null;
        }
        return new Detail(baseline, await ItemsAsync(connection, id, ct), await RelationshipsAsync(connection, id, ct));
    }

    public async Task<Outcome<BaselineView>> CreateAsync(Request request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("name", request.Name, 200).Optional("description", request.Description, 4000);
        if (request.CiIds is not { Count: > 0 })
        {
            errors.Add("ciIds", "Validation.Required");
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var roots = request.CiIds!.Distinct().ToList();
        var scope = await ScopeAsync(roots, request.IncludeDependencies, ct);
        return await database.WriteAsync<Outcome<BaselineView>>(async (connection, tx) =>
        {
            var current = await CurrentAsync(connection, tx, scope, ct);
            foreach (var missing in roots.Where(r => !current.ContainsKey(r)))
            {
                errors.Add("ciIds", "Validation.Unknown", missing);
            }
            if (scope.Count > MaxItems)
            {
                errors.AddMessage("ciIds", text["Baseline.TooLarge", scope.Count, MaxItems]);
            }
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM cmdb_baselines WHERE lower(name) = @name", new { name = request.Name!.Trim().ToLowerInvariant() }, tx, cancellationToken: ct)) > 0)
            {
                errors.Add("name", "Validation.Duplicate", request.Name.Trim());
            }
            if (!errors.IsEmpty)
            {
                return text.Invalid(errors);
            }
            var id = Guid.CreateVersion7();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cmdb_baselines (id, name, description, root_ids, include_dependencies, ci_count, created_at, created_by)
                VALUES (@id, @name, @description, @roots, @include, @count, @now, @by)
                """,
                new
                {
                    id, name = request.Name!.Trim(), description = request.Description?.Trim() ?? "", roots = JsonSerializer.Serialize(roots),
                    include = request.IncludeDependencies, count = current.Count, now = clock.GetUtcNow(), by = caller.ActorId,
                }, tx, cancellationToken: ct));
            foreach (var item in current.Values)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO cmdb_baseline_items (baseline_id, ci_id, ci_version, snapshot) VALUES (@id, @ciId, @version, @snapshot)",
                    new { id, ciId = item.CiId, version = item.CiVersion, snapshot = item.Snapshot.GetRawText() }, tx, cancellationToken: ct));
            }
            foreach (var r in await CurrentRelationshipsAsync(connection, tx, [.. current.Keys], ct))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO cmdb_baseline_relationships (baseline_id, source_id, target_id, type_key) VALUES (@id, @source, @target, @type)",
                    new { id, source = r.SourceId, target = r.TargetId, type = r.Type }, tx, cancellationToken: ct));
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "created", null,
                [new AuditChange("name", null, request.Name!.Trim()), new AuditChange("ciCount", null, current.Count.ToString(CultureInfo.InvariantCulture))]), ct);
            return await connection.QuerySingleAsync<BaselineView>(new CommandDefinition(
                $"SELECT {BaselineView.Columns} FROM cmdb_baselines WHERE id = @id", new { id }, tx, cancellationToken: ct));
        }, ct);
    }

    /// <summary>Compares a baseline with another one, or (when <paramref name="withId"/> is null) with today's CMDB over the same scope.</summary>
    public async Task<Comparison?> CompareAsync(Guid id, Guid? withId, CancellationToken ct = default)
    {
        if (await GetAsync(id, ct) is not { } left)
        {
            return null;
        }
        Detail right;
        if (withId is { } other)
        {
            if (await GetAsync(other, ct) is not { } r)
            {
                return null;
            }
            right = r;
        }
        else
        {
            var scope = await ScopeAsync(left.Baseline.RootIds, left.Baseline.IncludeDependencies, ct);
            // CIs the baseline held stay in the comparison even when no longer reachable: they show as changed or removed.
            await using var connection = await database.OpenAsync(ct);
            var current = await CurrentAsync(connection, null, scope, ct);
            var now = new BaselineView { Name = text["Baseline.Today"], CreatedAt = clock.GetUtcNow() };
            right = new Detail(now, [.. current.Values], await CurrentRelationshipsAsync(connection, null, [.. current.Keys], ct));
        }
        var before = left.Items.ToDictionary(i => i.CiId);
        var after = right.Items.ToDictionary(i => i.CiId);
        static CiRef Ref(BaselineItem i) => new(i.CiId, i.Identifier, i.Name, i.Class, i.Status);
        var changed = new List<ChangedCi>();
        var unchanged = 0;
        foreach (var (ciId, old) in before)
        {
            if (!after.TryGetValue(ciId, out var now))
            {
                continue;
            }
            var changes = Diff(old.Snapshot, now.Snapshot);
            if (changes.Count == 0)
            {
                unchanged++;
            }
            else
            {
                changed.Add(new ChangedCi(ciId, now.Identifier, now.Name, old.CiVersion, now.CiVersion, changes));
            }
        }
        var leftRelationships = left.Relationships.ToHashSet();
        var rightRelationships = right.Relationships.ToHashSet();
        return new Comparison(
            left.Baseline.Id, left.Baseline.Name, withId, right.Baseline.Name,
            [.. after.Values.Where(i => !before.ContainsKey(i.CiId)).Select(Ref).OrderBy(r => r.Identifier, StringComparer.Ordinal)],
            [.. before.Values.Where(i => !after.ContainsKey(i.CiId)).Select(Ref).OrderBy(r => r.Identifier, StringComparer.Ordinal)],
            [.. changed.OrderBy(c => c.Identifier, StringComparer.Ordinal)], unchanged,
            [.. rightRelationships.Except(leftRelationships)], [.. leftRelationships.Except(rightRelationships)]);
    }

    /// <summary>The roots, and when asked everything they depend on (any depth).</summary>
    private async Task<List<Guid>> ScopeAsync(IReadOnlyList<Guid> roots, bool includeDependencies, CancellationToken ct)
    {
        var scope = new List<Guid>(roots);
        if (!includeDependencies)
        {
            return scope;
        }
        await using var connection = await database.OpenAsync(ct);
        var model = await ClassModel.LoadAsync(connection, null, ct);
        await graph.RefreshAsync(connection, ct);
        graph.Read(view =>
        {
            var spread = Enumerable.Range(0, view.TypeCount).Select(t => model.Type(view.TypeKey((byte)t))?.ImpactDirection ?? ImpactDirection.None).ToList();
            var seen = new HashSet<Guid>(roots);
            foreach (var root in roots)
            {
                if (view.TryIndex(root, out var node))
                {
                    var (visits, _) = ImpactWalk.Run(view.Outgoing, view.Incoming, spread, node, 1000, WalkDirection.Dependencies, MaxItems + 1);
                    scope.AddRange(visits.Select(v => view.Id(v.Node)).Where(seen.Add));
                }
            }
            return 0;
        });
        return scope;
    }

    private static async Task<Dictionary<Guid, BaselineItem>> CurrentAsync(DbConnection connection, DbTransaction? tx, IReadOnlyList<Guid> scope, CancellationToken ct)
    {
        var items = new Dictionary<Guid, BaselineItem>();
        var dialect = SqlDialect.For(connection);
        foreach (var chunk in scope.Chunk(900))
        {
            foreach (var row in await connection.QueryAsync<SnapshotRow>(new CommandDefinition(
                $"""
                SELECT i.id AS ci_id, i.identifier, i.name, c.key AS class, i.status, v.version AS ci_version, v.snapshot AS SnapshotJson
                FROM cmdb_items i JOIN cmdb_classes c ON c.id = i.class_id JOIN cmdb_item_versions v ON v.ci_id = i.id AND v.version = i.version
                WHERE {dialect.In("i.id", "ids")}
                """, new { ids = chunk }, tx, cancellationToken: ct)))
            {
                items[row.CiId] = row.ToItem();
            }
        }
        return items;
    }

    private static async Task<IReadOnlyList<RelationshipKey>> CurrentRelationshipsAsync(DbConnection connection, DbTransaction? tx, IReadOnlyList<Guid> scope, CancellationToken ct)
    {
        var inScope = scope.ToHashSet();
        var result = new List<RelationshipKey>();
        var dialect = SqlDialect.For(connection);
        foreach (var chunk in scope.Chunk(900))
        {
            result.AddRange((await connection.QueryAsync<RelationshipRow>(new CommandDefinition(
                $"SELECT source_id, target_id, type_key FROM cmdb_relationships WHERE {dialect.In("source_id", "ids")}",
                new { ids = chunk }, tx, cancellationToken: ct))).Where(r => inScope.Contains(r.TargetId)).Select(r => r.ToKey()));
        }
        return result;
    }

    private static async Task<IReadOnlyList<BaselineItem>> ItemsAsync(DbConnection connection, Guid id, CancellationToken ct) =>
        [.. (await connection.QueryAsync<SnapshotRow>(new CommandDefinition(
            """
            SELECT b.ci_id, i.identifier, i.name, c.key AS class, i.status, b.ci_version, b.snapshot AS SnapshotJson
            FROM cmdb_baseline_items b JOIN cmdb_items i ON i.id = b.ci_id JOIN cmdb_classes c ON c.id = i.class_id
            WHERE b.baseline_id = @id ORDER BY i.identifier
            """, new { id }, cancellationToken: ct))).Select(r => r.ToItem())];

    private static async Task<IReadOnlyList<RelationshipKey>> RelationshipsAsync(DbConnection connection, Guid id, CancellationToken ct) =>
        [.. (await connection.QueryAsync<RelationshipRow>(new CommandDefinition(
            "SELECT source_id, target_id, type_key FROM cmdb_baseline_relationships WHERE baseline_id = @id", new { id }, cancellationToken: ct))).Select(r => r.ToKey())];

    private static List<FieldChange> Diff(JsonElement before, JsonElement after)
    {
        var changes = new List<FieldChange>();
        var fields = before.EnumerateObject().Select(p => p.Name).Union(after.EnumerateObject().Select(p => p.Name), StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var old = before.TryGetProperty(field, out var o) ? o : default;
            var now = after.TryGetProperty(field, out var n) ? n : default;
            if (field == "attributes" && old.ValueKind == JsonValueKind.Object && now.ValueKind == JsonValueKind.Object)
            {
                changes.AddRange(Diff(old, now).Select(c => c with { Field = $"attributes.{c.Field}" }));
            }
            else if (Show(old) != Show(now))
            {
                changes.Add(new FieldChange(field, Show(old), Show(now)));
            }
        }
        return changes;
    }

    private static string? Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };

    private sealed class RelationshipRow
    {
        public Guid SourceId { get; init; }
        public Guid TargetId { get; init; }
        public string TypeKey { get; init; } = "";

        public RelationshipKey ToKey() => new(SourceId, TargetId, TypeKey);
    }

    private sealed class SnapshotRow
    {
        public Guid CiId { get; init; }
        public string Identifier { get; init; } = "";
        public string Name { get; init; } = "";
        public string Class { get; init; } = "";
        public string Status { get; init; } = "";
        public int CiVersion { get; init; }
        public string SnapshotJson { get; init; } = "{}";

        public BaselineItem ToItem() => new(CiId, Identifier, Name, Class, Status, CiVersion, JsonDocument.Parse(SnapshotJson).RootElement.Clone());
    }
}
