using System.Globalization;
using System.Text.RegularExpressions;
using Certus.Configuration.Contracts;
using Certus.Configuration.Domain;
using Certus.Configuration.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Configuration.Pages.Classes;

/// <summary>One attribute row of the class form; options are written one per line or separated by commas.</summary>
public sealed class AttributeRow
{
    public string? Key { get; set; }
    public string? NameEn { get; set; }
    public string? NameZh { get; set; }
    public string? Type { get; set; } = "text";
    public bool Required { get; set; }
    public string? Options { get; set; }
    public Guid? ReferenceClassId { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Key) && string.IsNullOrWhiteSpace(NameEn) && string.IsNullOrWhiteSpace(NameZh);
}

public sealed class ClassInput
{
    public string? Key { get; set; }
    public Guid? ParentId { get; set; }
    public string? NameEn { get; set; }
    public string? NameZh { get; set; }
    public string? Description { get; set; }
    public string? IdentifierPrefix { get; set; }
    public string? NamePattern { get; set; }
    public string? NameHintEn { get; set; }
    public string? NameHintZh { get; set; }
    public List<AttributeRow> Rows { get; set; } = [];
}

/// <summary>What the new and edit pages of a CI class share: the rows, the request, and errors put back on the right row.</summary>
public abstract partial class ClassFormModel(CiClasses classes, IStringLocalizer<Strings> text) : PageModel
{
    /// <summary>Blank attribute rows offered for new attributes (the form works without JavaScript).</summary>
    public const int BlankRows = 3;

    public static IReadOnlyList<string> Types { get; } = [.. Enum.GetValues<AttributeType>().Select(t => t.Key())];

    [BindProperty]
    public ClassInput Input { get; set; } = new();

    public IReadOnlyList<ClassView> Classes { get; private set; } = [];

    /// <summary>Attributes this class inherits from its parent (shown read-only).</summary>
    public IReadOnlyList<AttributeView> Inherited { get; private set; } = [];

    public abstract bool IsNew { get; }

    protected CiClasses Model => classes;

    protected async Task LoadChoicesAsync(Guid? self, CancellationToken ct)
    {
        Classes = Show.Tree(await classes.ListAsync(ct), CultureInfo.CurrentUICulture.Name);
        Inherited = Classes.FirstOrDefault(c => c.Id == Input.ParentId)?.AllAttributes ?? [];
        if (self is { } id)
        {
            Classes = [.. Classes.Where(c => c.Id != id)];
        }
        while (Input.Rows.Count(r => r.IsBlank) < BlankRows)
        {
            Input.Rows.Add(new AttributeRow());
        }
    }

    /// <summary>The use case's request, from the rows that are not blank; <paramref name="rows"/> maps its attribute index to the form's row.</summary>
    protected CiClasses.Request ToRequest(out List<int> rows)
    {
        rows = [];
        var attributes = new List<CiClasses.AttributeRequest>();
        for (var i = 0; i < Input.Rows.Count; i++)
        {
            var r = Input.Rows[i];
            if (r.IsBlank)
            {
                continue;
            }
            rows.Add(i);
            var options = (r.Options ?? "").Split([',', '\n', '，'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            attributes.Add(new CiClasses.AttributeRequest(r.Key, r.NameEn, r.NameZh, r.Type, r.Required, options, r.ReferenceClassId));
        }
        var i2 = Input;
        return new CiClasses.Request(i2.Key, i2.ParentId, i2.NameEn, i2.NameZh, i2.Description, i2.IdentifierPrefix, i2.NamePattern, i2.NameHintEn, i2.NameHintZh, attributes);
    }

    protected async Task<IActionResult> AfterAsync(Outcome<ClassView> outcome, List<int> rows, Guid? self, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Class.Saved", outcome.Value!.Key].Value;
            return Redirect("/cmdb/classes");
        }
        var failure = outcome.Failure!;
        if (failure.Kind == FailureKind.NotFound)
        {
            return NotFound();
        }
        if (failure.Kind == FailureKind.PreconditionFailed)
        {
            ModelState.AddModelError(string.Empty, text["Page.Stale"]);
        }
        else if (failure.Fields is not { Count: > 0 })
        {
            ModelState.AddModelError(string.Empty, failure.Message);
        }
        foreach (var (field, messages) in failure.Fields ?? new Dictionary<string, string[]>(StringComparer.Ordinal))
        {
            // attributes[2].key is the third non-blank row: put it back on the row the user sees.
            var match = RowField().Match(field);
            var key = match.Success && int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var n) && n < rows.Count
                ? $"Input.Rows[{rows[n]}].{match.Groups[2].Value}"
                : $"Input.{char.ToUpperInvariant(field[0])}{field[1..]}";
            foreach (var message in messages)
            {
                ModelState.AddModelError(key, message);
            }
        }
        await LoadChoicesAsync(self, ct);
        return Page();
    }

    [GeneratedRegex(@"^attributes\[(\d+)\]\.(\w+)$")]
    private static partial Regex RowField();
}

[RequirePermission(ConfigurationPermissions.Model)]
public sealed class NewModel(CiClasses classes, IStringLocalizer<Strings> text) : ClassFormModel(classes, text)
{
    public override bool IsNew => true;

    public async Task OnGetAsync(Guid? parent, CancellationToken ct)
    {
        Input.ParentId = parent;
        await LoadChoicesAsync(null, ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var request = ToRequest(out var rows);
        return await AfterAsync(await Model.CreateAsync(request, ct), rows, null, ct);
    }
}

[RequirePermission(ConfigurationPermissions.Model)]
public sealed class EditModel(CiClasses classes, IStringLocalizer<Strings> text) : ClassFormModel(classes, text)
{
    public override bool IsNew => false;

    [BindProperty]
    public int Version { get; set; }

    public Guid Id { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await Model.GetAsync(id, ct) is not { } c)
        {
            return NotFound();
        }
        Id = id;
        Version = c.Version;
        Input = new ClassInput
        {
            Key = c.Key, ParentId = c.ParentId, NameEn = c.NameEn, NameZh = c.NameZh, Description = c.Description, IdentifierPrefix = c.IdentifierPrefix,
            NamePattern = c.NamePattern, NameHintEn = c.NameHintEn, NameHintZh = c.NameHintZh,
            Rows = [.. c.Attributes.Select(a => new AttributeRow
            {
                Key = a.Key, NameEn = a.NameEn, NameZh = a.NameZh, Type = a.Type, Required = a.Required, Options = string.Join(", ", a.Options),
                ReferenceClassId = a.ReferenceClassId,
            })],
        };
        await LoadChoicesAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        Id = id;
        var request = ToRequest(out var rows);
        return await AfterAsync(await Model.UpdateAsync(id, Version, request, ct), rows, id, ct);
    }
}
