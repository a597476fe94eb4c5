using System.Data.Common;
using System.Text.Json;
using Certus.Configuration.Contracts;
using Certus.Configuration.Domain;
using Certus.Data;
using Certus.Kernel.Errors;

namespace Certus.Configuration.Features;

/// <summary>Configuration management's contract for change and release management.</summary>
public sealed class ConfigurationRecords(Database database, ConfigurationItems items, ImpactAnalysis impact, Baselines baselines, Texts<Strings> text)
    : IConfigurationRecords
{
    public async Task<IReadOnlyList<CiFacts>> FindAsync(IReadOnlyCollection<string> references, CancellationToken ct)
    {
        var found = new List<CiFacts>();
        foreach (var reference in references.Where(r => !string.IsNullOrWhiteSpace(r)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (await items.FindAsync(reference, ct) is { } ci && found.All(f => f.Id != ci.Id))
            {
                found.Add(Facts(ci));
            }
        }
        return found;
    }

    public async Task<IReadOnlyList<CiFacts>> GetAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var model = await ClassModel.LoadAsync(connection, null, ct);
        var found = new List<CiFacts>();
        foreach (var id in ids.Distinct())
        {
            if (await items.GetAsync(connection, null, id, model, ct) is { } ci)
            {
                found.Add(Facts(ci));
            }
        }
        return found;
    }

    public async Task<ImpactSummary> ImpactAsync(IReadOnlyCollection<Guid> ciIds, CancellationToken ct)
    {
        var reached = new Dictionary<Guid, ImpactAnalysis.AffectedCi>();
        var services = new Dictionary<Guid, ImpactedService>();
        var customers = new Dictionary<Guid, (string Name, HashSet<string> Agreements)>();
        var truncated = false;
        foreach (var id in ciIds.Distinct())
        {
            if (await impact.HandleAsync(id, null, WalkDirection.Impact, ct) is not { } result)
            {
                continue;
            }
            truncated |= result.Truncated;
            foreach (var item in result.Items)
            {
                reached.TryAdd(item.Id, item);
            }
            foreach (var service in result.Services)
            {
                services.TryAdd(service.CiId, new ImpactedService(service.CiId, service.Identifier, service.Name, service.ServiceCode));
            }
            foreach (var customer in result.Customers)
            {
                if (!customers.TryGetValue(customer.OrganisationId, out var entry))
                {
                    entry = (customer.Name, new HashSet<string>(StringComparer.Ordinal));
                    customers[customer.OrganisationId] = entry;
                }
                entry.Agreements.UnionWith(customer.Agreements.Select(a => a.Reference));
            }
        }
        var facts = reached.Values.OrderBy(i => i.Depth).ThenBy(i => i.Identifier, StringComparer.Ordinal)
            .Select(i => new CiFacts(i.Id, i.Identifier, i.Name, i.ClassKey, i.ClassName, i.Status, i.Criticality, null, null, 0)).ToList();
        return new ImpactSummary(facts, services.Values.ToList(),
            customers.Select(c => new ImpactedCustomer(c.Key, c.Value.Name, c.Value.Agreements.Order(StringComparer.Ordinal).ToList())).ToList(), truncated);
    }

    public async Task<Outcome<IReadOnlyList<CiFacts>>> ApplyAsync(
        string changeRef, string reason, IReadOnlyList<CiUpdate> updates, DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        var applied = new List<CiFacts>();
        foreach (var update in updates)
        {
            if (await items.GetAsync(connection, transaction, update.CiId, ct) is not { } current)
            {
                return new Failure(FailureKind.Unprocessable, text["Apply.UnknownCi", update.CiId]);
            }
            if (update.VersionLabel is not null || update.Attributes is { Count: > 0 })
            {
                var attributes = new Dictionary<string, JsonElement>(current.Attributes, StringComparer.OrdinalIgnoreCase);
                foreach (var (key, value) in update.Attributes ?? new Dictionary<string, string?>(StringComparer.Ordinal))
                {
                    if (value is null)
                    {
                        attributes.Remove(key);
                    }
                    else
                    {
                        attributes[key] = JsonSerializer.SerializeToElement(value);
                    }
                }
                var request = new ConfigurationItems.Request(
                    current.Name, current.ClassId.ToString("D"), null, current.OwnerId, current.SupportGroupId, current.Location,
                    update.VersionLabel ?? current.VersionLabel, current.Criticality, current.Description, current.ServiceCode, current.CustomerIds,
                    attributes, changeRef, reason);
                var rules = await items.RulesForAsync([request], ct);
                var edited = await items.UpdateInAsync(connection, transaction, current.Id, null, request, rules, ct);
                if (!edited.Succeeded)
                {
                    return Named(current.Identifier, edited.Failure!);
                }
                current = edited.Value!;
            }
            if (update.Status is { } status && !string.Equals(status, current.Status, StringComparison.OrdinalIgnoreCase))
            {
                var moved = await items.ChangeStatusInAsync(connection, transaction, current.Id, null, new ConfigurationItems.StatusRequest(status, reason, changeRef), ct);
                if (!moved.Succeeded)
                {
                    return Named(current.Identifier, moved.Failure!);
                }
                current = moved.Value!;
            }
            applied.Add(Facts(current));
        }
        return applied;
    }

    public async Task<Outcome<BaselineFacts>> TakeBaselineAsync(string name, string? description, IReadOnlyCollection<Guid> ciIds, CancellationToken ct)
    {
        var created = await baselines.CreateAsync(new Baselines.Request(name, description, ciIds.ToList()), ct);
        return created.Succeeded ? new BaselineFacts(created.Value!.Id, created.Value.Name, created.Value.CiCount) : created.Failure!;
    }

    /// <summary>A refusal about one of several CIs says which one, so the change's owner knows what to fix.</summary>
    private Failure Named(string identifier, Failure failure) =>
        failure with
        {
            Kind = failure.Kind == FailureKind.Validation ? FailureKind.Unprocessable : failure.Kind,
            Message = text["Apply.Refused", identifier, failure.Fields is { Count: > 0 } f ? string.Join(" ", f.SelectMany(e => e.Value)) : failure.Message],
        };

    private static CiFacts Facts(CiView ci) =>
        new(ci.Id, ci.Identifier, ci.Name, ci.ClassKey, ci.ClassName, ci.Status, ci.Criticality, ci.VersionLabel, ci.ServiceCode, ci.Version);
}
