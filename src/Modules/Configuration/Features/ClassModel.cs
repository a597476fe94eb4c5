using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certus.Configuration.Domain;
using Certus.Kernel.Http;
using Dapper;

namespace Certus.Configuration.Features;

/// <summary>An attribute a CI class defines; subclasses inherit it.</summary>
public sealed class AttributeView
{
    public Guid ClassId { get; init; }
    public string Key { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string NameZh { get; init; } = "";
    public string Type { get; init; } = "";
    public bool Required { get; init; }
    public IReadOnlyList<string> Options { get; set; } = [];
    public Guid? ReferenceClassId { get; init; }
    public int Position { get; init; }

    /// <summary>The options as stored (a JSON array).</summary>
    internal string OptionsJson { get => JsonSerializer.Serialize(Options); init => Options = JsonSerializer.Deserialize<string[]>(value) ?? []; }

    public string Name(string culture) => culture.StartsWith("zh", StringComparison.Ordinal) ? NameZh : NameEn;
}

/// <summary>A CI class of the 配置项分类定义表: its place in the tree, naming convention and attributes.</summary>
public sealed class ClassView : IVersioned
{
    public Guid Id { get; init; }
    public string Key { get; init; } = "";
    public Guid? ParentId { get; init; }
    public string NameEn { get; init; } = "";
    public string NameZh { get; init; } = "";
    public string Description { get; init; } = "";
    public string IdentifierPrefix { get; init; } = "";
    public string? NamePattern { get; init; }
    public string NameHintEn { get; init; } = "";
    public string NameHintZh { get; init; } = "";
    public int Version { get; init; }

    /// <summary>The class's own attributes.</summary>
    public IReadOnlyList<AttributeView> Attributes { get; set; } = [];

    /// <summary>Every attribute a CI of this class carries: the ancestors' first, then its own.</summary>
    public IReadOnlyList<AttributeView> AllAttributes { get; set; } = [];

    public string Name(string culture) => culture.StartsWith("zh", StringComparison.Ordinal) ? NameZh : NameEn;

    public string NameHint(string culture) => culture.StartsWith("zh", StringComparison.Ordinal) ? NameHintZh : NameHintEn;

    internal const string Columns =
        "id, key, parent_id, name_en, name_zh, description, identifier_prefix, name_pattern, name_hint_en, name_hint_zh, version";
}

/// <summary>A relationship type with its labels, the way a failure spreads along it, and its class rules.</summary>
public sealed class RelationshipTypeView : IVersioned
{
    public string Key { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string NameZh { get; init; } = "";
    public string InverseEn { get; init; } = "";
    public string InverseZh { get; init; } = "";
    public string Impact { get; init; } = "";
    public bool Acyclic { get; init; }
    public int Version { get; init; }
    public IReadOnlyList<RelationshipRuleView> Rules { get; set; } = [];

    public string Name(string culture) => culture.StartsWith("zh", StringComparison.Ordinal) ? NameZh : NameEn;

    public string Inverse(string culture) => culture.StartsWith("zh", StringComparison.Ordinal) ? InverseZh : InverseEn;

    public ImpactDirection ImpactDirection => ConfigurationNames.ParseImpact(Impact) ?? ImpactDirection.None;
}

/// <summary>One allowed pairing: a CI of the source class (or a subclass; null for any) may relate to the target class.</summary>
public sealed class RelationshipRuleView
{
    public string TypeKey { get; init; } = "";
    public Guid? SourceClassId { get; init; }
    public Guid? TargetClassId { get; init; }
}

/// <summary>
/// The whole class model read at once (it is small): classes with inherited attributes, relationship types and
/// their rules. Use cases load it inside their transaction so that validation sees what the write will see.
/// </summary>
public sealed class ClassModel
{
    private readonly Dictionary<Guid, ClassView> _byId;
    private readonly Dictionary<string, ClassView> _byKey;
    private readonly Dictionary<string, RelationshipTypeView> _types;
    private readonly Dictionary<Guid, Regex?> _patterns = [];

    private ClassModel(IReadOnlyList<ClassView> classes, IReadOnlyList<RelationshipTypeView> types)
    {
        Classes = classes;
        Types = types;
        _byId = classes.ToDictionary(c => c.Id);
        _byKey = classes.ToDictionary(c => c.Key, StringComparer.OrdinalIgnoreCase);
        _types = types.ToDictionary(t => t.Key, StringComparer.Ordinal);
        foreach (var c in classes)
        {
            c.AllAttributes = [.. Lineage(c.Id).Reverse().SelectMany(a => a.Attributes)];
        }
    }

    public IReadOnlyList<ClassView> Classes { get; }

    public IReadOnlyList<RelationshipTypeView> Types { get; }

    public static async Task<ClassModel> LoadAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        var classes = (await connection.QueryAsync<ClassView>(new CommandDefinition(
            $"SELECT {ClassView.Columns} FROM cmdb_classes ORDER BY key", transaction: tx, cancellationToken: ct))).ToList();
        var attributes = (await connection.QueryAsync<AttributeView>(new CommandDefinition(
            """
            SELECT class_id, key, name_en, name_zh, type, required, options AS OptionsJson, reference_class_id, position
            FROM cmdb_class_attributes ORDER BY position, key
            """, transaction: tx, cancellationToken: ct))).ToList();
        foreach (var c in classes)
        {
            c.Attributes = [.. attributes.Where(a => a.ClassId == c.Id)];
        }
        var types = (await connection.QueryAsync<RelationshipTypeView>(new CommandDefinition(
            "SELECT key, name_en, name_zh, inverse_en, inverse_zh, impact, acyclic, version FROM cmdb_relationship_types ORDER BY key",
            transaction: tx, cancellationToken: ct))).ToList();
        var rules = (await connection.QueryAsync<RelationshipRuleView>(new CommandDefinition(
            "SELECT type_key, source_class_id, target_class_id FROM cmdb_relationship_rules", transaction: tx, cancellationToken: ct))).ToList();
        foreach (var t in types)
        {
            t.Rules = [.. rules.Where(r => r.TypeKey == t.Key)];
        }
        return new ClassModel(classes, types);
    }

    public ClassView? Find(Guid id) => _byId.GetValueOrDefault(id);

    public ClassView? Find(string? keyOrId) =>
        string.IsNullOrWhiteSpace(keyOrId) ? null
        : Guid.TryParse(keyOrId, out var id) ? Find(id)
        : _byKey.GetValueOrDefault(keyOrId.Trim());

    public RelationshipTypeView? Type(string? key) => key is null ? null : _types.GetValueOrDefault(key.Trim().ToLowerInvariant());

    /// <summary>The class and its ancestors, nearest first.</summary>
    public IEnumerable<ClassView> Lineage(Guid classId)
    {
        var seen = new HashSet<Guid>();
        for (var c = Find(classId); c is not null && seen.Add(c.Id); c = c.ParentId is { } p ? Find(p) : null)
        {
            yield return c;
        }
    }

    public bool IsA(Guid classId, Guid ancestorId) => Lineage(classId).Any(c => c.Id == ancestorId);

    /// <summary>The class and every class below it.</summary>
    public IReadOnlyList<Guid> Subtree(Guid classId) => [.. Classes.Where(c => IsA(c.Id, classId)).Select(c => c.Id)];

    /// <summary>True when a rule of the type pairs the two classes (rules cover subclasses; a missing class is any class).</summary>
    public bool Allows(RelationshipTypeView type, Guid sourceClassId, Guid targetClassId) =>
        type.Rules.Any(r => (r.SourceClassId is not { } s || IsA(sourceClassId, s)) && (r.TargetClassId is not { } t || IsA(targetClassId, t)));

    /// <summary>The class's naming rule, compiled once per model.</summary>
    public Regex? NamePattern(ClassView c)
    {
        if (!_patterns.TryGetValue(c.Id, out var regex))
        {
            regex = c.NamePattern is { Length: > 0 } p ? new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)) : null;
            _patterns[c.Id] = regex;
        }
        return regex;
    }
}
