using System.Globalization;
using System.Text.Json;
using Certus.Configuration.Contracts;
using Certus.Configuration.Domain;
using Certus.Configuration.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Configuration.Pages.Cmdb;

/// <summary>A CI as the form holds it: attributes as text, keyed by attribute key, whatever their type.</summary>
public sealed class CiInput
{
    public string? Name { get; set; }
    public string? ClassId { get; set; }
    public string? Status { get; set; } = "received";
    public Guid? OwnerId { get; set; }
    public Guid? SupportGroupId { get; set; }
    public string? Location { get; set; }
    public string? VersionLabel { get; set; }
    public string? Criticality { get; set; } = "medium";
    public string? Description { get; set; }
    public string? ServiceCode { get; set; }
    public List<Guid> CustomerIds { get; set; } = [];
    public Dictionary<string, string?> Attributes { get; set; } = new(StringComparer.Ordinal);
    public string? ChangeRef { get; set; }
    public string? Reason { get; set; }

    /// <summary>The request the use case takes; blank attributes are left out (the class says which are required).</summary>
    public ConfigurationItems.Request ToRequest() => new(
        Name, ClassId, Status, OwnerId, SupportGroupId, Location, VersionLabel, Criticality, Description, ServiceCode, CustomerIds,
        Attributes.Where(a => !string.IsNullOrWhiteSpace(a.Value)).ToDictionary(a => a.Key, a => JsonSerializer.SerializeToElement(a.Value!.Trim()), StringComparer.Ordinal),
        ChangeRef, Reason);
}

/// <summary>What the new and edit pages of a CI share: the input, the pickers, and how a refusal shows.</summary>
public abstract class CiFormModel(
    ConfigurationItems items, CiClasses classes, IDirectory directory, IEnumerable<IServiceLookup> services, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty]
    public CiInput Input { get; set; } = new();

    /// <summary>The class whose attributes the form shows; null until one is chosen.</summary>
    public ClassView? Class { get; protected set; }

    public IReadOnlyList<ClassView> Classes { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public IReadOnlyList<GroupSummary> Groups { get; private set; } = [];

    public IReadOnlyList<OrganisationSummary> Customers { get; private set; } = [];

    public IReadOnlyList<ServiceOption>? ServiceOptions { get; private set; }

    /// <summary>For each reference attribute, the CIs of its class to suggest.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<CiView>> ReferenceOptions { get; private set; } = new Dictionary<string, IReadOnlyList<CiView>>(StringComparer.Ordinal);

    /// <summary>True when the CI is in use: saving needs a change reference.</summary>
    public bool Controlled { get; protected set; }

    public abstract bool IsNew { get; }

    protected ConfigurationItems Items => items;

    protected async Task LoadChoicesAsync(CancellationToken ct)
    {
        Classes = await classes.ListAsync(ct);
        Class ??= Classes.FirstOrDefault(c => string.Equals(c.Key, Input.ClassId, StringComparison.OrdinalIgnoreCase) || c.Id.ToString() == Input.ClassId);
        Staff = await directory.StaffAsync(Roles.Staff, ct);
        Groups = await directory.ProviderGroupsAsync(ct);
        Customers = [.. (await directory.OrganisationsAsync(ct)).Where(o => o.Kind == OrganisationKind.Customer)];
        if (services.FirstOrDefault() is { } lookup)
        {
            ServiceOptions = await lookup.ForOrganisationAsync(null, ct);
        }
        var options = new Dictionary<string, IReadOnlyList<CiView>>(StringComparer.Ordinal);
        foreach (var a in Class?.AllAttributes.Where(a => a.Type == "reference" && a.ReferenceClassId is not null) ?? [])
        {
            options[a.Key] = (await items.ListAsync(new ConfigurationItems.ListQuery(Class: a.ReferenceClassId!.Value.ToString(), PageSize: 500), ct)).Items;
        }
        ReferenceOptions = options;
    }

    protected async Task<IActionResult> AfterAsync(Outcome<CiView> outcome, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text[IsNew ? "Ci.Registered" : "Ci.Saved", outcome.Value!.Identifier].Value;
            return Redirect($"/cmdb/{outcome.Value!.Id}");
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
        await LoadChoicesAsync(ct);
        return Page();
    }

    public static string Culture => CultureInfo.CurrentUICulture.Name;
}

[RequirePermission(ConfigurationPermissions.Manage)]
public sealed class NewModel(
    ConfigurationItems items, CiClasses classes, IDirectory directory, IEnumerable<IServiceLookup> services, IStringLocalizer<Strings> text)
    : CiFormModel(items, classes, directory, services, text)
{
    public override bool IsNew => true;

    public static IReadOnlyList<string> InitialStatuses { get; } = [.. CiLifecycle.Initial.Select(s => s.Key())];

    public async Task OnGetAsync(string? @class, CancellationToken ct)
    {
        Input.ClassId = @class;
        await LoadChoicesAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct) => await AfterAsync(await Items.RegisterAsync(Input.ToRequest(), ct), ct);
}

[RequirePermission(ConfigurationPermissions.Manage)]
public sealed class EditModel(
    ConfigurationItems items, CiClasses classes, IDirectory directory, IEnumerable<IServiceLookup> services, IStringLocalizer<Strings> text)
    : CiFormModel(items, classes, directory, services, text)
{
    public override bool IsNew => false;

    [BindProperty]
    public int Version { get; set; }

    public CiView Ci { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadCiAsync(id, ct))
        {
            return NotFound();
        }
        Version = Ci.Version;
        Input = new CiInput
        {
            Name = Ci.Name, ClassId = Ci.ClassKey, Status = Ci.Status, OwnerId = Ci.OwnerId, SupportGroupId = Ci.SupportGroupId, Location = Ci.Location,
            VersionLabel = Ci.VersionLabel, Criticality = Ci.Criticality, Description = Ci.Description, ServiceCode = Ci.ServiceCode,
            CustomerIds = [.. Ci.CustomerIds],
        };
        await LoadChoicesAsync(ct);
        foreach (var a in Class?.AllAttributes ?? [])
        {
            if (Ci.Attributes.TryGetValue(a.Key, out var value))
            {
                var shown = Show.FieldValue(value);
                // A reference holds the CI's id; the form shows (and takes) its identifier.
                if (a.Type == "reference" && Guid.TryParse(shown, out var target) && await Items.GetAsync(target, ct) is { } referenced)
                {
                    shown = referenced.Identifier;
                }
                Input.Attributes[a.Key] = shown;
            }
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadCiAsync(id, ct))
        {
            return NotFound();
        }
        Input.ClassId = Ci.ClassKey;
        return await AfterAsync(await Items.UpdateAsync(id, Version, Input.ToRequest(), ct), ct);
    }

    private async Task<bool> LoadCiAsync(Guid id, CancellationToken ct)
    {
        if (await Items.GetAsync(id, ct) is not { } ci)
        {
            return false;
        }
        Ci = ci;
        Controlled = ci.Controlled;
        return true;
    }
}
