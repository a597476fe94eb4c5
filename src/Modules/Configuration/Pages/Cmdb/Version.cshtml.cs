using System.Globalization;
using System.Text.Json;
using Certus.Configuration.Contracts;
using Certus.Configuration.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Configuration.Pages.Cmdb;

/// <summary>A CI as it was at one version: every field of the stored snapshot, with who changed it, when, why and under which change.</summary>
[RequirePermission(ConfigurationPermissions.Read)]
public sealed class VersionModel(ConfigurationItems items, CiClasses classes, IDirectory directory, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    public sealed record Field(string Label, string Value);

    public CiView Ci { get; private set; } = null!;

    public CiVersionView Entry { get; private set; } = null!;

    public IReadOnlyList<Field> Fields { get; private set; } = [];

    public IReadOnlyList<Field> Attributes { get; private set; } = [];

    public int Latest { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, int version, CancellationToken ct)
    {
        if (await items.GetAsync(id, ct) is not { } ci || await items.VersionsAsync(id, ct) is not { } versions
            || versions.FirstOrDefault(v => v.Version == version) is not { } entry)
        {
            return NotFound();
        }
        Ci = ci;
        Entry = entry;
        Latest = versions.Max(v => v.Version);
        var culture = CultureInfo.CurrentUICulture.Name;
        var model = await classes.ListAsync(ct);
        var snapshot = entry.Snapshot;
        string Get(string key) => snapshot.TryGetProperty(key, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? Show.Value(v) : "";
        Guid? Id(string key) => Guid.TryParse(Get(key), out var g) ? g : null;
        var owner = Id("ownerId") is { } o ? await directory.FindUserAsync(o, ct) : null;
        var group = Id("supportGroupId") is { } g ? await directory.FindGroupAsync(g, ct) : null;
        var customerIds = Get("customerIds").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(c => Guid.TryParse(c, out var x) ? x : Guid.Empty)
            // A customer learns only that the CI served their own organisation.
            .Where(c => c != Guid.Empty && caller.CanSee(c)).ToList();
        var customers = await directory.FindOrganisationsAsync(customerIds, ct);
        var cls = model.FirstOrDefault(c => c.Key == Get("class"));
        string Or(string value) => string.IsNullOrEmpty(value) ? "—" : value;
        Fields =
        [
            new(text["Ci.Identifier"], Or(Get("identifier"))),
            new(text["Ci.Name"], Or(Get("name"))),
            new(text["Ci.Class"], cls?.Name(culture) ?? Or(Get("class"))),
            new(text["Ci.Status"], Get("status") is { Length: > 0 } s ? text[$"Status.{s}"] : "—"),
            new(text["Ci.Criticality"], Get("criticality") is { Length: > 0 } c ? text[$"Criticality.{c}"] : "—"),
            new(text["Ci.Owner"], owner?.DisplayName ?? Or(Get("ownerId"))),
            new(text["Ci.SupportGroup"], group?.Name ?? Or(Get("supportGroupId"))),
            new(text["Ci.Location"], Or(Get("location"))),
            new(text["Ci.VersionLabel"], Or(Get("versionLabel"))),
            new(text["Ci.ServiceCode"], Or(Get("serviceCode"))),
            new(text["Ci.Customers"], customerIds.Count == 0 ? "—" : string.Join("、", customerIds.Select(c => customers.TryGetValue(c, out var org) ? org.Name : c.ToString()))),
            new(text["Ci.Description"], Or(Get("description"))),
        ];
        var attributes = new List<Field>();
        if (snapshot.TryGetProperty("attributes", out var values) && values.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in values.EnumerateObject())
            {
                var definition = cls?.AllAttributes.FirstOrDefault(a => a.Key == property.Name);
                var value = Show.Value(property.Value);
                if (definition?.Type == "reference" && Guid.TryParse(value, out var target) && await items.GetAsync(target, ct) is { } referenced)
                {
                    value = referenced.Identifier;
                }
                attributes.Add(new(definition?.Name(culture) ?? property.Name, value));
            }
        }
        Attributes = attributes;
        return Page();
    }
}
