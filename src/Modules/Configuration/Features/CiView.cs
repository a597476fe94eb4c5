using System.Text.Json;
using Certus.Configuration.Domain;
using Certus.Kernel.Http;

namespace Certus.Configuration.Features;

/// <summary>A configuration item as the API and pages show it.</summary>
public sealed class CiView : IVersioned
{
    public Guid Id { get; init; }
    public string Identifier { get; init; } = "";
    public string Name { get; init; } = "";
    public Guid ClassId { get; init; }
    public string ClassKey { get; set; } = "";
    public string ClassName { get; set; } = "";
    public string Status { get; init; } = "";
    public Guid? OwnerId { get; init; }
    public string? OwnerName { get; set; }
    public Guid? SupportGroupId { get; init; }
    public string? SupportGroupName { get; set; }
    public string Location { get; init; } = "";
    public string VersionLabel { get; init; } = "";
    public string Criticality { get; init; } = "";
    public string Description { get; init; } = "";
    public string? ServiceCode { get; init; }
    public IReadOnlyDictionary<string, JsonElement> Attributes { get; private set; } = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
    public IReadOnlyList<Guid> CustomerIds { get; set; } = [];
    public IReadOnlyList<string> CustomerNames { get; set; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }

    /// <summary>True while the CI is in use or being changed: edits need an authorised change.</summary>
    public bool Controlled => ConfigurationNames.ParseStatus(Status) is { } s && CiLifecycle.IsControlled(s);

    /// <summary>The statuses the CI may move to next.</summary>
    public IReadOnlyList<string> NextStatuses =>
        ConfigurationNames.ParseStatus(Status) is { } s ? [.. CiLifecycle.AllowedFrom(s).Select(n => n.Key())] : [];

    internal string AttributesJson
    {
        get => JsonSerializer.Serialize(Attributes);
        init => Attributes = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(value) ?? [];
    }

    internal const string Columns =
        "i.id, i.identifier, i.name, i.class_id, i.status, i.owner_id, i.support_group_id, i.location, i.version_label, i.criticality, i.description, "
        + "i.service_code, i.attributes AS AttributesJson, i.created_at, i.updated_at, i.version";
}

/// <summary>One stored state of a CI: what it was after a change, who made the change, when, why and under which change.</summary>
public sealed class CiVersionView
{
    public Guid CiId { get; init; }
    public int Version { get; init; }
    public string Action { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset ChangedAt { get; init; }
    public Guid? ActorId { get; init; }
    public string ActorName { get; init; } = "";
    public string? ChangeRef { get; init; }
    public string? Reason { get; init; }
    public JsonElement Snapshot { get; private set; }

    internal string SnapshotJson { get => Snapshot.GetRawText(); init => Snapshot = JsonDocument.Parse(value).RootElement.Clone(); }

    /// <summary>Keeps only <paramref name="own"/> in the snapshot's customer list.</summary>
    internal void HideOtherCustomers(Guid own)
    {
        if (System.Text.Json.Nodes.JsonNode.Parse(Snapshot.GetRawText()) is not System.Text.Json.Nodes.JsonObject json)
        {
            return;
        }
        var listed = json["customerIds"]?.GetValue<string>() ?? "";
        var ownText = own.ToString("D");
        json["customerIds"] = listed.Split(", ", StringSplitOptions.RemoveEmptyEntries).Any(c => string.Equals(c, ownText, StringComparison.OrdinalIgnoreCase)) ? ownText : "";
        Snapshot = JsonDocument.Parse(json.ToJsonString()).RootElement.Clone();
    }

    internal const string Columns = "ci_id, version, action, status, snapshot AS SnapshotJson, changed_at, actor_id, actor_name, change_ref, reason";
}
