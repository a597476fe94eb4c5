using System.Text.Json;
using System.Text.Json.Nodes;
using Certus.Configuration.Domain;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;

namespace Certus.Configuration.Features;

/// <summary>A CI's fields after validation, in stored form.</summary>
internal sealed record PreparedCi(
    string Name, ClassView Class, CiStatus Status, Guid? OwnerId, Guid? SupportGroupId, string Location, string VersionLabel, string Criticality,
    string Description, string? ServiceCode, JsonObject Attributes, IReadOnlyList<Guid> CustomerIds)
{
    public Dictionary<string, object?> Snapshot(string identifier) => new(StringComparer.Ordinal)
    {
        ["identifier"] = identifier, ["name"] = Name, ["class"] = Class.Key, ["status"] = Status.Key(), ["ownerId"] = OwnerId,
        ["supportGroupId"] = SupportGroupId, ["location"] = Location, ["versionLabel"] = VersionLabel, ["criticality"] = Criticality,
        ["description"] = Description, ["serviceCode"] = ServiceCode, ["attributes"] = Attributes.ToJsonString(),
        ["customerIds"] = string.Join(", ", CustomerIds.Order()),
    };
}

/// <summary>
/// The rules a CI's fields obey (naming convention, class attributes, known owner, group, customers and service),
/// checked against lookups loaded beforehand so that one request and a 100,000-row import run the same checks.
/// </summary>
internal sealed class CiRules(
    ClassModel model,
    IReadOnlyDictionary<Guid, UserSummary> users,
    IReadOnlyDictionary<Guid, GroupSummary> groups,
    IReadOnlyDictionary<Guid, OrganisationSummary> organisations,
    IReadOnlySet<string>? serviceCodes,
    Texts<Strings> text)
{
    public ClassModel Model => model;

    /// <summary>
    /// Checks a request, adding messages to errors under the field prefix (an import names the row); returns the
    /// prepared CI when nothing was wrong with it. The CI being edited is null for a new one, whose status then comes
    /// from the request. Reference attributes are queued for one batched lookup.
    /// </summary>
    public PreparedCi? Check(
        ConfigurationItems.Request r, CiView? current, FieldErrors errors, string prefix,
        List<(JsonObject Attributes, AttributeValues.PendingReference Reference)> references)
    {
        var before = errors.Count;
        errors.Required($"{prefix}name", r.Name, 200)
            .Optional($"{prefix}location", r.Location, 200)
            .Optional($"{prefix}versionLabel", r.VersionLabel, 100)
            .Optional($"{prefix}description", r.Description, 20_000)
            .Optional($"{prefix}serviceCode", r.ServiceCode, 40);
        var cls = current is not null ? model.Find(current.ClassId) : model.Find(r.ClassId);
        if (cls is null)
        {
            errors.Add($"{prefix}classId", string.IsNullOrWhiteSpace(r.ClassId) ? "Validation.Required" : "Validation.Unknown", r.ClassId ?? "");
        }
        else if (current is not null && !string.IsNullOrWhiteSpace(r.ClassId) && model.Find(r.ClassId)?.Id != current.ClassId)
        {
            errors.AddMessage($"{prefix}classId", text["Ci.ClassFixed"]);
        }
        if (cls is not null && r.Name is { Length: > 0 } name && model.NamePattern(cls) is { } pattern && !pattern.IsMatch(name.Trim()))
        {
            errors.AddMessage($"{prefix}name", text["Ci.NameConvention", cls.NameHint(System.Globalization.CultureInfo.CurrentUICulture.Name) is { Length: > 0 } hint ? hint : cls.NamePattern!]);
        }
        var status = current is not null ? ConfigurationNames.ParseStatus(current.Status)!.Value : ConfigurationNames.ParseStatus(r.Status ?? "received");
        if (status is null || (current is null && !CiLifecycle.Initial.Contains(status.Value)))
        {
            errors.Add($"{prefix}status", "Validation.OneOf", string.Join(", ", CiLifecycle.Initial.Select(s => s.Key())));
        }
        var criticality = ConfigurationNames.ParseCriticality(r.Criticality ?? "medium");
        if (criticality is null)
        {
            errors.Add($"{prefix}criticality", "Validation.OneOf", string.Join(", ", Enum.GetValues<Criticality>().Select(c => c.Key())));
        }
        if (r.OwnerId is { } owner && (!users.TryGetValue(owner, out var user) || !user.IsActive))
        {
            errors.Add($"{prefix}ownerId", "Validation.Unknown", owner);
        }
        if (r.SupportGroupId is { } group && !groups.ContainsKey(group))
        {
            errors.Add($"{prefix}supportGroupId", "Validation.Unknown", group);
        }
        foreach (var customer in (r.CustomerIds ?? []).Where(c => !organisations.TryGetValue(c, out var o) || o.Kind != OrganisationKind.Customer))
        {
            errors.Add($"{prefix}customerIds", "Validation.Unknown", customer);
        }
        var serviceCode = string.IsNullOrWhiteSpace(r.ServiceCode) ? null : r.ServiceCode.Trim().ToUpperInvariant();
        if (serviceCode is not null && serviceCodes is not null && !serviceCodes.Contains(serviceCode))
        {
            errors.Add($"{prefix}serviceCode", "Validation.Unknown", serviceCode);
        }
        var attributes = cls is null ? [] : NormaliseAttributes(cls, r.Attributes, errors, prefix, references);
        if (errors.Count > before || cls is null || status is null || criticality is null)
        {
            return null;
        }
        return new PreparedCi(
            r.Name!.Trim(), cls, status.Value, r.OwnerId, r.SupportGroupId, r.Location?.Trim() ?? "", r.VersionLabel?.Trim() ?? "", criticality.Value.Key(),
            r.Description?.Trim() ?? "", serviceCode, attributes, [.. (r.CustomerIds ?? []).Distinct()]);
    }

    private JsonObject NormaliseAttributes(
        ClassView cls, IReadOnlyDictionary<string, JsonElement>? input, FieldErrors errors, string prefix,
        List<(JsonObject Attributes, AttributeValues.PendingReference Reference)> references)
    {
        var pending = new List<AttributeValues.PendingReference>();
        var attributes = AttributeValues.Normalise(cls, input, errors, text, $"{prefix}attributes.", pending);
        references.AddRange(pending.Select(p => (attributes, p)));
        return attributes;
    }
}
