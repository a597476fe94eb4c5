using System.Globalization;
using Certus.Configuration.Contracts;
using Certus.Configuration.Domain;
using Certus.Configuration.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Configuration.Pages.RelationshipTypes;

public sealed class RuleRow
{
    public Guid? SourceClassId { get; set; }
    public Guid? TargetClassId { get; set; }
    public bool Keep { get; set; }
}

public sealed class TypeInput
{
    public string? Key { get; set; }
    public string? NameEn { get; set; }
    public string? NameZh { get; set; }
    public string? InverseEn { get; set; }
    public string? InverseZh { get; set; }
    public string? Impact { get; set; } = "source";
    public bool Acyclic { get; set; }
    public List<RuleRow> Rules { get; set; } = [];
}

/// <summary>A relationship type's form, new or edit: labels both ways, impact direction, cycles, class rules.</summary>
[RequirePermission(ConfigurationPermissions.Model)]
public sealed class EditModel(Features.RelationshipTypes types, CiClasses classes, IStringLocalizer<Strings> text) : PageModel
{
    public const int BlankRules = 3;

    public static IReadOnlyList<string> Impacts { get; } = [.. Enum.GetValues<ImpactDirection>().Select(i => i.Key())];

    [BindProperty]
    public TypeInput Input { get; set; } = new();

    [BindProperty]
    public int Version { get; set; }

    /// <summary>The key of the type being edited; null for a new one.</summary>
    public string? Existing { get; private set; }

    public IReadOnlyList<ClassView> Classes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? key, CancellationToken ct)
    {
        if (key is not null)
        {
            if (await types.GetAsync(key, ct) is not { } t)
            {
                return NotFound();
            }
            Existing = t.Key;
            Version = t.Version;
            Input = new TypeInput
            {
                Key = t.Key, NameEn = t.NameEn, NameZh = t.NameZh, InverseEn = t.InverseEn, InverseZh = t.InverseZh, Impact = t.Impact, Acyclic = t.Acyclic,
                Rules = [.. t.Rules.Select(r => new RuleRow { SourceClassId = r.SourceClassId, TargetClassId = r.TargetClassId, Keep = true })],
            };
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? key, CancellationToken ct)
    {
        Existing = key;
        var request = new Features.RelationshipTypes.Request(
            key ?? Input.Key, Input.NameEn, Input.NameZh, Input.InverseEn, Input.InverseZh, Input.Impact, Input.Acyclic,
            [.. Input.Rules.Where(r => r.Keep).Select(r => new Features.RelationshipTypes.RuleRequest(r.SourceClassId, r.TargetClassId))]);
        var outcome = key is null ? await types.CreateAsync(request, ct) : await types.UpdateAsync(key, Version, request, ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Type.Saved", outcome.Value!.Name(CultureInfo.CurrentUICulture.Name)].Value;
            return Redirect("/cmdb/relationship-types");
        }
        if (outcome.Failure!.Kind == FailureKind.NotFound)
        {
            return NotFound();
        }
        ModelState.AddOutcome(outcome.Failure, text);
        if (outcome.Failure.Fields is not { Count: > 0 })
        {
            ModelState.AddModelError(string.Empty, outcome.Failure.Message);
        }
        else
        {
            // Rule errors name a rule by its index among the kept ones; show them at the top.
            foreach (var message in outcome.Failure.Fields.Where(f => f.Key.StartsWith("rules", StringComparison.Ordinal)).SelectMany(f => f.Value))
            {
                ModelState.AddModelError(string.Empty, message);
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Classes = Show.Tree(await classes.ListAsync(ct), CultureInfo.CurrentUICulture.Name);
        Input.Rules = [.. Input.Rules.Where(r => r.Keep)];
        for (var i = 0; i < BlankRules; i++)
        {
            Input.Rules.Add(new RuleRow());
        }
    }
}
