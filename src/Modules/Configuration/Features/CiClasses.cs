using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certus.Configuration.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Dapper;

namespace Certus.Configuration.Features;

/// <summary>
/// The CI class tree (配置项分类定义表, manual §8.1.1): classes with typed attributes, required fields and a naming
/// convention, maintained by configuration managers.
/// </summary>
public sealed partial class CiClasses(Database database, AuditTrail audit, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "ci-class";

    public sealed record AttributeRequest(
        string? Key, string? NameEn, string? NameZh, string? Type, bool Required = false, IReadOnlyList<string>? Options = null, Guid? ReferenceClassId = null);

    public sealed record Request(
        string? Key, Guid? ParentId, string? NameEn, string? NameZh, string? Description, string? IdentifierPrefix, string? NamePattern,
        string? NameHintEn, string? NameHintZh, IReadOnlyList<AttributeRequest>? Attributes);

    public async Task<IReadOnlyList<ClassView>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await ClassModel.LoadAsync(connection, null, ct)).Classes;
    }

    public async Task<ClassView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await ClassModel.LoadAsync(connection, null, ct)).Find(id);
    }

    public Task<Outcome<ClassView>> CreateAsync(Request request, CancellationToken ct = default) =>
        database.WriteAsync<Outcome<ClassView>>(async (connection, tx) =>
        {
            var model = await ClassModel.LoadAsync(connection, tx, ct);
            var errors = Validate(request, model, null);
            if (!errors.IsEmpty)
            {
                return text.Invalid(errors);
            }
            var id = Guid.CreateVersion7();
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cmdb_classes (id, key, parent_id, name_en, name_zh, description, identifier_prefix, name_pattern, name_hint_en, name_hint_zh, created_at, updated_at, version)
                VALUES (@id, @key, @parentId, @nameEn, @nameZh, @description, @prefix, @pattern, @hintEn, @hintZh, @now, @now, 1)
                """, Row(id, request, now), tx, cancellationToken: ct));
            await WriteAttributesAsync(connection, tx, id, request.Attributes ?? [], ct);
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "created", null, AuditTrail.Created(Snapshot(request))), ct);
            return (await ClassModel.LoadAsync(connection, tx, ct)).Find(id)!;
        }, ct);

    public Task<Outcome<ClassView>> UpdateAsync(Guid id, int expectedVersion, Request request, CancellationToken ct = default) =>
        database.WriteAsync<Outcome<ClassView>>(async (connection, tx) =>
        {
            var model = await ClassModel.LoadAsync(connection, tx, ct);
            if (model.Find(id) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            var errors = Validate(request, model, current);
            if (!errors.IsEmpty)
            {
                return text.Invalid(errors);
            }
            var before = Snapshot(current);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cmdb_classes SET key = @key, parent_id = @parentId, name_en = @nameEn, name_zh = @nameZh, description = @description,
                    identifier_prefix = @prefix, name_pattern = @pattern, name_hint_en = @hintEn, name_hint_zh = @hintZh, updated_at = @now, version = version + 1
                WHERE id = @id
                """, Row(id, request, clock.GetUtcNow()), tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM cmdb_class_attributes WHERE class_id = @id", new { id }, tx, cancellationToken: ct));
            await WriteAttributesAsync(connection, tx, id, request.Attributes ?? [], ct);
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "updated", null, AuditTrail.Diff(before, Snapshot(request))), ct);
            return (await ClassModel.LoadAsync(connection, tx, ct)).Find(id)!;
        }, ct);

    private FieldErrors Validate(Request request, ClassModel model, ClassView? current)
    {
        var errors = text.Errors()
            .Required("key", request.Key, 60)
            .Required("nameEn", request.NameEn, 200)
            .Required("nameZh", request.NameZh, 200)
            .Optional("description", request.Description, 4000)
            .Required("identifierPrefix", request.IdentifierPrefix, 8)
            .Optional("namePattern", request.NamePattern, 400)
            .Optional("nameHintEn", request.NameHintEn, 400)
            .Optional("nameHintZh", request.NameHintZh, 400);
        if (request.Key is { Length: > 0 } key && !KebabKey().IsMatch(key.Trim()))
        {
            errors.AddMessage("key", text["Model.KeyFormat"]);
        }
        else if (request.Key is { Length: > 0 } && model.Find(request.Key) is { } other && other.Id != current?.Id)
        {
            errors.Add("key", "Validation.Duplicate", request.Key.Trim());
        }
        if (request.IdentifierPrefix is { Length: > 0 } prefix && !PrefixFormat().IsMatch(prefix.Trim()))
        {
            errors.AddMessage("identifierPrefix", text["Class.PrefixFormat"]);
        }
        if (request.ParentId is { } parentId)
        {
            if (model.Find(parentId) is null)
            {
                errors.Add("parentId", "Validation.Unknown", parentId);
            }
            else if (current is not null && model.IsA(parentId, current.Id))
            {
                errors.AddMessage("parentId", text["Class.ParentCycle"]);
            }
        }
        if (request.NamePattern is { Length: > 0 } pattern)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException e)
            {
                errors.AddMessage("namePattern", text["Class.PatternInvalid", e.Message]);
            }
        }
        var inherited = request.ParentId is { } p ? model.Find(p)?.AllAttributes.Select(a => a.Key).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [] : [];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var attributes = request.Attributes ?? [];
        for (var i = 0; i < attributes.Count; i++)
        {
            var a = attributes[i];
            var field = $"attributes[{i}]";
            errors.Required($"{field}.key", a.Key, 60).Required($"{field}.nameEn", a.NameEn, 200).Required($"{field}.nameZh", a.NameZh, 200);
            if (a.Key is { Length: > 0 } k)
            {
                if (!CamelKey().IsMatch(k.Trim()))
                {
                    errors.AddMessage($"{field}.key", text["Class.AttributeKeyFormat"]);
                }
                else if (!seen.Add(k.Trim()) || inherited.Contains(k.Trim()))
                {
                    errors.Add($"{field}.key", "Validation.Duplicate", k.Trim());
                }
            }
            switch (ConfigurationNames.ParseAttributeType(a.Type))
            {
                case null:
                    errors.Add($"{field}.type", "Validation.OneOf", string.Join(", ", Enum.GetValues<AttributeType>().Select(t => t.Key())));
                    break;
                case AttributeType.Enum when a.Options is not { Count: > 0 } || a.Options.Any(string.IsNullOrWhiteSpace):
                    errors.AddMessage($"{field}.options", text["Class.EnumNeedsOptions"]);
                    break;
                case AttributeType.Reference when a.ReferenceClassId is not { } rc || model.Find(rc) is null:
                    errors.Add($"{field}.referenceClassId", "Validation.Unknown", a.ReferenceClassId?.ToString() ?? "");
                    break;
                default:
                    break;
            }
        }
        return errors;
    }

    private static async Task WriteAttributesAsync(DbConnection connection, DbTransaction tx, Guid classId, IReadOnlyList<AttributeRequest> attributes, CancellationToken ct)
    {
        for (var i = 0; i < attributes.Count; i++)
        {
            var a = attributes[i];
            var type = ConfigurationNames.ParseAttributeType(a.Type)!.Value;
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cmdb_class_attributes (class_id, key, name_en, name_zh, type, required, options, reference_class_id, position)
                VALUES (@classId, @key, @nameEn, @nameZh, @type, @required, @options, @referenceClassId, @position)
                """,
                new
                {
                    classId, key = a.Key!.Trim(), nameEn = a.NameEn!.Trim(), nameZh = a.NameZh!.Trim(), type = type.Key(), required = a.Required,
                    options = JsonSerializer.Serialize(type == AttributeType.Enum ? a.Options!.Select(o => o.Trim()).ToArray() : []),
                    referenceClassId = type == AttributeType.Reference ? a.ReferenceClassId : null, position = i,
                }, tx, cancellationToken: ct));
        }
    }

    private static object Row(Guid id, Request r, DateTimeOffset now) => new
    {
        id, key = r.Key!.Trim().ToLowerInvariant(), parentId = r.ParentId, nameEn = r.NameEn!.Trim(), nameZh = r.NameZh!.Trim(),
        description = r.Description?.Trim() ?? "", prefix = r.IdentifierPrefix!.Trim().ToUpperInvariant(),
        pattern = string.IsNullOrWhiteSpace(r.NamePattern) ? null : r.NamePattern.Trim(),
        hintEn = r.NameHintEn?.Trim() ?? "", hintZh = r.NameHintZh?.Trim() ?? "", now,
    };

    private static Dictionary<string, object?> Snapshot(Request r) => new(StringComparer.Ordinal)
    {
        ["key"] = r.Key?.Trim().ToLowerInvariant(), ["parentId"] = r.ParentId, ["nameEn"] = r.NameEn?.Trim(), ["nameZh"] = r.NameZh?.Trim(),
        ["identifierPrefix"] = r.IdentifierPrefix?.Trim().ToUpperInvariant(), ["namePattern"] = string.IsNullOrWhiteSpace(r.NamePattern) ? null : r.NamePattern.Trim(),
        ["attributes"] = string.Join(", ", (r.Attributes ?? []).Select(a => $"{a.Key?.Trim()}:{a.Type?.Trim().ToLowerInvariant()}{(a.Required ? "!" : "")}")),
    };

    private static Dictionary<string, object?> Snapshot(ClassView c) => new(StringComparer.Ordinal)
    {
        ["key"] = c.Key, ["parentId"] = c.ParentId, ["nameEn"] = c.NameEn, ["nameZh"] = c.NameZh, ["identifierPrefix"] = c.IdentifierPrefix,
        ["namePattern"] = c.NamePattern, ["attributes"] = string.Join(", ", c.Attributes.Select(a => $"{a.Key}:{a.Type}{(a.Required ? "!" : "")}")),
    };

    /// <summary>The shape of model keys (class keys, relationship type keys): <c>network-device</c>.</summary>
    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    internal static partial Regex KebabKey();

    [GeneratedRegex("^[a-z][A-Za-z0-9]*$")]
    private static partial Regex CamelKey();

    [GeneratedRegex("^[A-Za-z]{2,8}$")]
    private static partial Regex PrefixFormat();
}
