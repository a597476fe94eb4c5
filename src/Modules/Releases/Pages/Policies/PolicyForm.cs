using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Certus.Releases.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Releases.Pages.Policies;

/// <summary>The policy form as posted: release types one per line, <c>key | frequency</c>.</summary>
public sealed class PolicyInput
{
    public string? ServiceCode { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? Types { get; set; } = "major | \nminor | \nemergency | ";
    public string? IdentificationScheme { get; set; } = Domain.IdentificationScheme.Default;
    public string? AuthorisingRole { get; set; } = Roles.ChangeManager;
    public string? RolesDescription { get; set; }

    public ReleasePolicies.Request ToRequest() => new(ServiceCode, Name, Description,
        [.. Show.Lines(Types).Select(line =>
        {
            var bar = line.IndexOf('|', StringComparison.Ordinal);
            return bar < 0 ? new ReleasePolicies.TypeInput(line, "") : new ReleasePolicies.TypeInput(line[..bar].Trim(), line[(bar + 1)..].Trim());
        })],
        IdentificationScheme, AuthorisingRole, RolesDescription);

    public static PolicyInput From(PolicyView p) => new()
    {
        ServiceCode = p.ServiceCode, Name = p.Name, Description = p.Description,
        Types = string.Join("\n", p.Types.Select(t => $"{t.Key} | {t.Frequency}")), IdentificationScheme = p.IdentificationScheme,
        AuthorisingRole = p.AuthorisingRole, RolesDescription = p.RolesDescription,
    };
}

/// <summary>What the new and edit policy pages share.</summary>
public abstract class PolicyFormPage(IServiceLookup services) : PageModel
{
    [BindProperty]
    public PolicyInput Input { get; set; } = new();

    public IReadOnlyList<ServiceOption> Services { get; private set; } = [];

    public abstract bool IsNew { get; }

    public string? Errors(string prefix)
    {
        var messages = ModelState.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) && e.Value is { Errors.Count: > 0 })
            .SelectMany(e => e.Value!.Errors.Select(x => x.ErrorMessage)).ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    protected async Task LoadServicesAsync(CancellationToken ct) => Services = await services.ForOrganisationAsync(null, ct);
}
