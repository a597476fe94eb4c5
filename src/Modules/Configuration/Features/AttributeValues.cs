using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Certus.Configuration.Domain;
using Certus.Data;
using Certus.Kernel.Errors;
using Dapper;

namespace Certus.Configuration.Features;

/// <summary>
/// Checks a CI's attributes against its class (inherited attributes included) and stores them in one normal form:
/// numbers as numbers, dates as <c>yyyy-MM-dd</c>, enum values as the class spells them, references as CI ids.
/// </summary>
internal static class AttributeValues
{
    /// <summary>A reference attribute's value waiting to be resolved to a CI of the right class.</summary>
    internal sealed record PendingReference(string Field, string Key, string Value, Guid ClassId);

    public static JsonObject Normalise(
        ClassView cls, IReadOnlyDictionary<string, JsonElement>? input, FieldErrors errors, Texts<Strings> text, string prefix, List<PendingReference> references)
    {
        var result = new JsonObject();
        var defined = cls.AllAttributes.ToDictionary(a => a.Key, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, _) in input ?? new Dictionary<string, JsonElement>(StringComparer.Ordinal))
        {
            if (!defined.ContainsKey(key))
            {
                errors.AddMessage($"{prefix}{key}", text["Ci.AttributeUnknown", key, cls.Key]);
            }
        }
        foreach (var attribute in cls.AllAttributes)
        {
            var field = $"{prefix}{attribute.Key}";
            var value = input?.FirstOrDefault(p => string.Equals(p.Key, attribute.Key, StringComparison.OrdinalIgnoreCase)).Value ?? default;
            var blank = value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
                || (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString()));
            if (blank)
            {
                if (attribute.Required)
                {
                    errors.Add(field, "Validation.Required");
                }
                continue;
            }
            var type = ConfigurationNames.ParseAttributeType(attribute.Type) ?? AttributeType.Text;
            var raw = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
            switch (type)
            {
                case AttributeType.Text when raw is not null && raw.Length <= 2000:
                    result[attribute.Key] = raw;
                    break;
                case AttributeType.Text:
                    errors.AddMessage(field, text["Ci.AttributeText", attribute.Key]);
                    break;
                case AttributeType.Number when value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var n):
                    result[attribute.Key] = n;
                    break;
                case AttributeType.Number when raw is not null && decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed):
                    result[attribute.Key] = parsed;
                    break;
                case AttributeType.Number:
                    errors.AddMessage(field, text["Ci.AttributeNumber", attribute.Key]);
                    break;
                case AttributeType.Date when raw is not null && DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date):
                    result[attribute.Key] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    break;
                case AttributeType.Date:
                    errors.AddMessage(field, text["Ci.AttributeDate", attribute.Key]);
                    break;
                case AttributeType.Enum when raw is not null && attribute.Options.FirstOrDefault(o => string.Equals(o, raw, StringComparison.OrdinalIgnoreCase)) is { } option:
                    result[attribute.Key] = option;
                    break;
                case AttributeType.Enum:
                    errors.AddMessage(field, text["Ci.AttributeEnum", attribute.Key, string.Join(", ", attribute.Options)]);
                    break;
                case AttributeType.Reference when raw is not null && attribute.ReferenceClassId is { } referenceClass:
                    references.Add(new PendingReference(field, attribute.Key, raw, referenceClass));
                    result[attribute.Key] = raw;
                    break;
                case AttributeType.Reference:
                    errors.AddMessage(field, text["Ci.AttributeReference", attribute.Key]);
                    break;
            }
        }
        return result;
    }

    /// <summary>
    /// Resolves reference values (a CI id or identifier) to CI ids of the attribute's class or a subclass, in one query
    /// per batch; unresolved ones become field errors.
    /// </summary>
    public static async Task ResolveAsync(
        DbConnection connection, DbTransaction? tx, Database database, ClassModel model, IReadOnlyList<(JsonObject Attributes, PendingReference Reference)> pending,
        FieldErrors errors, Texts<Strings> text, CancellationToken ct)
    {
        if (pending.Count == 0)
        {
            return;
        }
        var keys = pending.Select(p => p.Reference.Value.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        var ids = pending.Select(p => Guid.TryParse(p.Reference.Value, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).Distinct().ToArray();
        var found = new List<(Guid Id, string Identifier, Guid ClassId)>();
        foreach (var chunk in keys.Chunk(500))
        {
            found.AddRange(await connection.QueryAsync<(Guid, string, Guid)>(new CommandDefinition(
                $"SELECT id, identifier, class_id FROM cmdb_items WHERE {database.Dialect.In("identifier", "keys")}", new { keys = chunk }, tx, cancellationToken: ct)));
        }
        foreach (var chunk in ids.Chunk(500))
        {
            found.AddRange(await connection.QueryAsync<(Guid, string, Guid)>(new CommandDefinition(
                $"SELECT id, identifier, class_id FROM cmdb_items WHERE {database.Dialect.In("id", "ids")}", new { ids = chunk }, tx, cancellationToken: ct)));
        }
        // Dictionaries, not a scan per value: an import resolves thousands of references at once.
        var byIdentifier = found.GroupBy(f => f.Identifier, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var byId = found.GroupBy(f => f.Id).ToDictionary(g => g.Key, g => g.First());
        foreach (var (attributes, reference) in pending)
        {
            var match = byIdentifier.TryGetValue(reference.Value, out var m) ? m
                : Guid.TryParse(reference.Value, out var g) && byId.TryGetValue(g, out var n) ? n : default;
            if (match.Id == Guid.Empty)
            {
                errors.AddMessage(reference.Field, text["Ci.AttributeReferenceUnknown", reference.Value]);
            }
            else if (!model.IsA(match.ClassId, reference.ClassId))
            {
                errors.AddMessage(reference.Field, text["Ci.AttributeReferenceClass", match.Identifier, model.Find(reference.ClassId)?.Key ?? ""]);
            }
            else
            {
                attributes[reference.Key] = match.Id.ToString("D");
            }
        }
    }
}
