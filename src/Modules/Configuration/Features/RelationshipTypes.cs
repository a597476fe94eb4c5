using Certus.Configuration.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Dapper;

namespace Certus.Configuration.Features;

/// <summary>Relationship types (runs on, depends on, …) with how a failure spreads along them and which classes they may join.</summary>
public sealed class RelationshipTypes(Database database, AuditTrail audit, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "ci-relationship-type";

    public sealed record RuleRequest(Guid? SourceClassId, Guid? TargetClassId);

    public sealed record Request(
        string? Key, string? NameEn, string? NameZh, string? InverseEn, string? InverseZh, string? Impact, bool Acyclic, IReadOnlyList<RuleRequest>? Rules);

    public async Task<IReadOnlyList<RelationshipTypeView>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await ClassModel.LoadAsync(connection, null, ct)).Types;
    }

    public async Task<RelationshipTypeView?> GetAsync(string key, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await ClassModel.LoadAsync(connection, null, ct)).Type(key);
    }

    public Task<Outcome<RelationshipTypeView>> CreateAsync(Request request, CancellationToken ct = default) =>
        database.WriteAsync<Outcome<RelationshipTypeView>>(async (connection, tx) =>
        {
            var model = await ClassModel.LoadAsync(connection, tx, ct);
            var errors = Validate(request, model);
            if (request.Key is { Length: > 0 } k && model.Type(k) is not null)
            {
                errors.Add("key", "Validation.Duplicate", k.Trim());
            }
            if (!errors.IsEmpty)
            {
                return text.Invalid(errors);
            }
            var key = request.Key!.Trim().ToLowerInvariant();
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cmdb_relationship_types (key, name_en, name_zh, inverse_en, inverse_zh, impact, acyclic, created_at, updated_at, version)
                VALUES (@key, @nameEn, @nameZh, @inverseEn, @inverseZh, @impact, @acyclic, @now, @now, 1)
                """, Row(key, request, now), tx, cancellationToken: ct));
            await WriteRulesAsync(connection, tx, key, request.Rules ?? [], ct);
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, key, "created", null, AuditTrail.Created(Snapshot(request, model))), ct);
            return (await ClassModel.LoadAsync(connection, tx, ct)).Type(key)!;
        }, ct);

    public Task<Outcome<RelationshipTypeView>> UpdateAsync(string key, int expectedVersion, Request request, CancellationToken ct = default) =>
        database.WriteAsync<Outcome<RelationshipTypeView>>(async (connection, tx) =>
        {
            var model = await ClassModel.LoadAsync(connection, tx, ct);
            if (model.Type(key) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            // The key names the type in every relationship: it is fixed once created.
            var errors = Validate(request with { Key = current.Key }, model);
            if (!errors.IsEmpty)
            {
                return text.Invalid(errors);
            }
            var before = Snapshot(new Request(current.Key, current.NameEn, current.NameZh, current.InverseEn, current.InverseZh, current.Impact, current.Acyclic,
                [.. current.Rules.Select(r => new RuleRequest(r.SourceClassId, r.TargetClassId))]), model);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cmdb_relationship_types SET name_en = @nameEn, name_zh = @nameZh, inverse_en = @inverseEn, inverse_zh = @inverseZh,
                    impact = @impact, acyclic = @acyclic, updated_at = @now, version = version + 1
                WHERE key = @key
                """, Row(current.Key, request, clock.GetUtcNow()), tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM cmdb_relationship_rules WHERE type_key = @key", new { key = current.Key }, tx, cancellationToken: ct));
            await WriteRulesAsync(connection, tx, current.Key, request.Rules ?? [], ct);
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, current.Key, "updated", null,
                AuditTrail.Diff(before, Snapshot(request with { Key = current.Key }, model))), ct);
            return (await ClassModel.LoadAsync(connection, tx, ct)).Type(current.Key)!;
        }, ct);

    private FieldErrors Validate(Request request, ClassModel model)
    {
        var errors = text.Errors()
            .Required("key", request.Key, 60)
            .Required("nameEn", request.NameEn, 100)
            .Required("nameZh", request.NameZh, 100)
            .Required("inverseEn", request.InverseEn, 100)
            .Required("inverseZh", request.InverseZh, 100);
        if (request.Key is { Length: > 0 } key && !CiClasses.KebabKey().IsMatch(key.Trim()))
        {
            errors.AddMessage("key", text["Model.KeyFormat"]);
        }
        if (ConfigurationNames.ParseImpact(request.Impact) is null)
        {
            errors.Add("impact", "Validation.OneOf", string.Join(", ", Enum.GetValues<ImpactDirection>().Select(i => i.Key())));
        }
        var rules = request.Rules ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].SourceClassId is { } s && model.Find(s) is null)
            {
                errors.Add($"rules[{i}].sourceClassId", "Validation.Unknown", s);
            }
            if (rules[i].TargetClassId is { } t && model.Find(t) is null)
            {
                errors.Add($"rules[{i}].targetClassId", "Validation.Unknown", t);
            }
        }
        return errors;
    }

    private static async Task WriteRulesAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, string key, IReadOnlyList<RuleRequest> rules, CancellationToken ct)
    {
        foreach (var rule in rules.Distinct())
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO cmdb_relationship_rules (id, type_key, source_class_id, target_class_id) VALUES (@id, @key, @source, @target)",
                new { id = Guid.CreateVersion7(), key, source = rule.SourceClassId, target = rule.TargetClassId }, tx, cancellationToken: ct));
        }
    }

    private static object Row(string key, Request r, DateTimeOffset now) => new
    {
        key, nameEn = r.NameEn!.Trim(), nameZh = r.NameZh!.Trim(), inverseEn = r.InverseEn!.Trim(), inverseZh = r.InverseZh!.Trim(),
        impact = ConfigurationNames.ParseImpact(r.Impact)!.Value.Key(), acyclic = r.Acyclic, now,
    };

    private static Dictionary<string, object?> Snapshot(Request r, ClassModel model) => new(StringComparer.Ordinal)
    {
        ["nameEn"] = r.NameEn?.Trim(), ["nameZh"] = r.NameZh?.Trim(), ["inverseEn"] = r.InverseEn?.Trim(), ["inverseZh"] = r.InverseZh?.Trim(),
        ["impact"] = r.Impact?.Trim().ToLowerInvariant(), ["acyclic"] = r.Acyclic,
        ["rules"] = string.Join(", ", (r.Rules ?? []).Select(x => $"{ClassKey(model, x.SourceClassId)}→{ClassKey(model, x.TargetClassId)}").Order(StringComparer.Ordinal)),
    };

    private static string ClassKey(ClassModel model, Guid? id) => id is { } c ? model.Find(c)?.Key ?? c.ToString() : "*";

}
