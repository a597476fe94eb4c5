using System.Globalization;
using Certus.Configuration.Contracts;
using Certus.Configuration.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Configuration.Pages.Baselines;

/// <summary>A baseline against today's CMDB or another baseline: CIs added, removed and changed (field by field), relationships added and removed.</summary>
[RequirePermission(ConfigurationPermissions.Read)]
public sealed class CompareModel(Features.Baselines baselines, ConfigurationItems items, Features.RelationshipTypes types, CiClasses classes) : PageModel
{
    public Features.Baselines.Comparison Result { get; private set; } = null!;

    public IReadOnlyDictionary<string, string> ClassNames { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> TypeNames { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Labels of attribute keys in the UI language, over all classes.</summary>
    public IReadOnlyDictionary<string, string> AttributeNames { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    private readonly Dictionary<Guid, string> _identifiers = [];

    public async Task<IActionResult> OnGetAsync(Guid id, Guid? with, CancellationToken ct)
    {
        if (await baselines.CompareAsync(id, with, ct) is not { } result || await baselines.GetAsync(id, ct) is not { } left)
        {
            return NotFound();
        }
        Result = result;
        var culture = CultureInfo.CurrentUICulture.Name;
        var all = await classes.ListAsync(ct);
        ClassNames = all.ToDictionary(c => c.Key, c => c.Name(culture), StringComparer.Ordinal);
        AttributeNames = all.SelectMany(c => c.Attributes).GroupBy(a => a.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Name(culture), StringComparer.Ordinal);
        TypeNames = (await types.ListAsync(ct)).ToDictionary(t => t.Key, t => t.Name(culture), StringComparer.Ordinal);
        foreach (var i in left.Items)
        {
            _identifiers[i.CiId] = i.Identifier;
        }
        foreach (var i in result.Added.Concat(result.Removed))
        {
            _identifiers[i.CiId] = i.Identifier;
        }
        foreach (var unknown in result.RelationshipsAdded.Concat(result.RelationshipsRemoved).SelectMany(r => new[] { r.SourceId, r.TargetId }).Distinct().Where(g => !_identifiers.ContainsKey(g)).ToList())
        {
            _identifiers[unknown] = (await items.GetAsync(unknown, ct))?.Identifier ?? unknown.ToString()[..8];
        }
        return Page();
    }

    public string Identifier(Guid id) => _identifiers.GetValueOrDefault(id) ?? id.ToString()[..8];

    /// <summary>A changed field's label: attributes by their name in the UI language.</summary>
    public string FieldLabel(string field, Func<string, string> text) =>
        field.StartsWith("attributes.", StringComparison.Ordinal) && AttributeNames.TryGetValue(field["attributes.".Length..], out var name) ? name : text(field);
}
