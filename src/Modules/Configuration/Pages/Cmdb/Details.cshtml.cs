using System.Globalization;
using System.Text.Json;
using Certus.Configuration.Contracts;
using Certus.Configuration.Domain;
using Certus.Configuration.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Configuration.Pages.Cmdb;

/// <summary>
/// A configuration item: identity, attributes, relationships, lifecycle, version history, what its failure takes down
/// and what it needs, and the graph of its neighbourhood. Managers relate it, unrelate it and move it.
/// </summary>
[RequirePermission(ConfigurationPermissions.Read)]
public sealed class DetailsModel(
    ConfigurationItems items, Relationships relationships, Features.RelationshipTypes types, CiClasses classes, ImpactAnalysis impact, ICurrentUser caller,
    IStringLocalizer<Strings> text) : PageModel
{
    public const int PickerLimit = 500;

    /// <summary>A relationship the CI may take part in, as the add form offers it: the type read from this CI's side.</summary>
    public sealed record RelationChoice(string Value, string Label);

    public CiView Ci { get; private set; } = null!;

    public ClassView? Class { get; private set; }

    public Relationships.CiRelationships Links { get; private set; } = new([], []);

    public IReadOnlyList<CiVersionView> Versions { get; private set; } = [];

    public ImpactAnalysis.Result? Impact { get; private set; }

    public ImpactAnalysis.Result? Dependencies { get; private set; }

    public IReadOnlyList<RelationChoice> Choices { get; private set; } = [];

    public IReadOnlyList<Certus.Kernel.Lookups.CiOption> Targets { get; private set; } = [];

    /// <summary>Identifiers of the CIs reference attributes point to.</summary>
    public IReadOnlyDictionary<Guid, string> References { get; private set; } = new Dictionary<Guid, string>();

    [BindProperty(SupportsGet = true)]
    public int Depth { get; set; } = ImpactAnalysis.DefaultDepth;

    /// <summary>What the user typed into a form that was refused, to show it again.</summary>
    public IReadOnlyDictionary<string, string?> Posted { get; private set; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    public bool CanManage => caller.HasPermission(ConfigurationPermissions.Manage);

    public bool IsStaff => caller.IsProviderStaff;

    public bool IsFinal => ConfigurationNames.ParseStatus(Ci.Status) is { } s && CiLifecycle.IsFinal(s);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostStatusAsync(Guid id, int version, string? status, string? reason, string? changeRef, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await items.ChangeStatusAsync(id, version, new ConfigurationItems.StatusRequest(status, reason, changeRef), ct);
        Posted = new Dictionary<string, string?>(StringComparer.Ordinal) { ["status"] = status, ["reason"] = reason, ["changeRef"] = changeRef };
        return await AfterAsync(id, outcome.Failure, "Move", "#lifecycle", () => text["Ci.Moved", text[$"Status.{outcome.Value!.Status}"]], ct);
    }

    public async Task<IActionResult> OnPostRelateAsync(Guid id, string? relation, string? target, string? changeRef, string? reason, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        Posted = new Dictionary<string, string?>(StringComparer.Ordinal) { ["relation"] = relation, ["target"] = target, ["changeRef"] = changeRef, ["reason"] = reason };
        var other = string.IsNullOrWhiteSpace(target) ? null : await items.FindAsync(target, ct);
        if (other is null)
        {
            ModelState.AddModelError("Relate.Target", string.IsNullOrWhiteSpace(target) ? text["Relate.TargetRequired"] : text["Relate.TargetUnknown", target.Trim()]);
            return await LoadAsync(id, ct) ? Page() : NotFound();
        }
        var parts = (relation ?? "").Split(':', 2);
        var incoming = parts[0] == "in";
        var type = parts.Length == 2 ? parts[1] : relation;
        var request = incoming
            ? new Relationships.Request(other.Id, id, type, changeRef, reason)
            : new Relationships.Request(id, other.Id, type, changeRef, reason);
        var outcome = await relationships.AddAsync(request, ct);
        return await AfterAsync(id, outcome.Failure, "Relate", "#relationships", () => text["Relate.Added", other.Identifier], ct);
    }

    public async Task<IActionResult> OnPostUnrelateAsync(Guid id, Guid relationship, string? changeRef, string? reason, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        Posted = new Dictionary<string, string?>(StringComparer.Ordinal) { ["relationship"] = relationship.ToString(), ["changeRef"] = changeRef, ["reason"] = reason };
        var outcome = await relationships.RemoveAsync(relationship, changeRef, reason, ct);
        return await AfterAsync(id, outcome.Failure, "Unrelate", "#relationships", () => text["Relate.Removed"], ct);
    }

    public string? Value(string key) => Posted.TryGetValue(key, out var v) ? v : null;

    private async Task<IActionResult> AfterAsync(Guid id, Failure? failure, string prefix, string anchor, Func<string> done, CancellationToken ct)
    {
        if (failure is null)
        {
            TempData["Flash"] = done();
            return Redirect($"/cmdb/{id}{anchor}");
        }
        if (failure.Kind == FailureKind.NotFound)
        {
            return NotFound();
        }
        ModelState.AddOutcome(failure, text, prefix);
        if (failure.Fields is not { Count: > 0 })
        {
            // A conflict (an illegal move, a duplicate) has no field: show it beside the form that was sent.
            ModelState.AddModelError($"{prefix}.Form", failure.Message);
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await items.GetAsync(id, ct) is not { } ci)
        {
            return false;
        }
        Ci = ci;
        Depth = Math.Clamp(Depth, 1, ImpactAnalysis.MaxDepth);
        var all = await classes.ListAsync(ct);
        Class = all.FirstOrDefault(c => c.Id == ci.ClassId);
        Links = await relationships.ForCiAsync(id, null, ct) ?? new([], []);
        Versions = await items.VersionsAsync(id, ct) ?? [];
        Impact = await impact.HandleAsync(id, Depth, WalkDirection.Impact, ct);
        Dependencies = await impact.HandleAsync(id, Depth, WalkDirection.Dependencies, ct);
        var references = new Dictionary<Guid, string>();
        foreach (var attribute in Class?.AllAttributes.Where(a => a.Type == "reference") ?? [])
        {
            if (ci.Attributes.TryGetValue(attribute.Key, out var v) && v.ValueKind == JsonValueKind.String && Guid.TryParse(v.GetString(), out var target)
                && await items.GetAsync(target, ct) is { } referenced)
            {
                references[target] = referenced.Identifier;
            }
        }
        References = references;
        if (CanManage && !IsFinal)
        {
            var culture = CultureInfo.CurrentUICulture.Name;
            var model = all.ToDictionary(c => c.Id);
            bool IsA(Guid cls, Guid? ancestor)
            {
                if (ancestor is not { } a)
                {
                    return true;
                }
                for (Guid? c = cls; c is { } current && model.TryGetValue(current, out var found); c = found.ParentId)
                {
                    if (current == a)
                    {
                        return true;
                    }
                }
                return false;
            }
            var choices = new List<RelationChoice>();
            foreach (var t in await types.ListAsync(ct))
            {
                // Offer a direction only when a rule lets this CI's class stand at that end.
                if (t.Rules.Any(r => IsA(ci.ClassId, r.SourceClassId)))
                {
                    choices.Add(new RelationChoice($"out:{t.Key}", t.Name(culture)));
                }
                if (t.Rules.Any(r => IsA(ci.ClassId, r.TargetClassId)))
                {
                    choices.Add(new RelationChoice($"in:{t.Key}", t.Inverse(culture)));
                }
            }
            Choices = choices;
            Targets = [.. (await items.SuggestAsync(null, PickerLimit, ct)).Where(o => o.Identifier != ci.Identifier)];
        }
        return true;
    }
}
