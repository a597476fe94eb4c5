using Certus.Configuration.Contracts;
using Certus.Configuration.Features;
using Certus.Kernel.Security;
using Certus.Kernel.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Configuration.Pages.Baselines;

public sealed class BaselineInput
{
    public string? Name { get; set; }
    public string? Description { get; set; }

    /// <summary>CI identifiers, one per line or separated by spaces or commas.</summary>
    public string? Cis { get; set; }

    public bool IncludeDependencies { get; set; } = true;
}

/// <summary>Configuration baselines: the list, and taking one of chosen CIs and (usually) everything they depend on.</summary>
[RequirePermission(ConfigurationPermissions.Read)]
public sealed class IndexModel(Features.Baselines baselines, ConfigurationItems items, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty]
    public BaselineInput Input { get; set; } = new();

    public IReadOnlyList<BaselineView> All { get; private set; } = [];

    public IReadOnlyList<Certus.Kernel.Lookups.CiOption> Options { get; private set; } = [];

    public bool CanManage => caller.HasPermission(ConfigurationPermissions.Manage);

    /// <summary>Opens with the CIs chosen on the CI list or CI page (<c>?ci=</c> ids) in the form.</summary>
    public async Task OnGetAsync([FromQuery(Name = "ci")] Guid[]? ci, CancellationToken ct)
    {
        var chosen = new List<string>();
        foreach (var id in ci ?? [])
        {
            if (await items.GetAsync(id, ct) is { } found)
            {
                chosen.Add(found.Identifier);
            }
        }
        Input.Cis = string.Join("\n", chosen);
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var ids = new List<Guid>();
        foreach (var reference in (Input.Cis ?? "").Split([' ', ',', '，', '\n', '\r', '\t', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (await items.FindAsync(reference, ct) is { } found)
            {
                ids.Add(found.Id);
            }
            else
            {
                ModelState.AddModelError("Input.Cis", text["Relate.TargetUnknown", reference]);
            }
        }
        if (ModelState.ErrorCount == 0)
        {
            var outcome = await baselines.CreateAsync(new Features.Baselines.Request(Input.Name, Input.Description, ids, Input.IncludeDependencies), ct);
            if (outcome.Succeeded)
            {
                TempData["Flash"] = text.Count("Baseline.Taken", outcome.Value!.CiCount, outcome.Value.Name).Value;
                return Redirect($"/cmdb/baselines/{outcome.Value.Id}");
            }
            ModelState.AddOutcome(outcome.Failure!, text);
            if (outcome.Failure!.Fields is { } fields && fields.TryGetValue("ciIds", out var cis))
            {
                foreach (var message in cis)
                {
                    ModelState.AddModelError("Input.Cis", message);
                }
            }
            else if (outcome.Failure.Fields is not { Count: > 0 })
            {
                ModelState.AddModelError(string.Empty, outcome.Failure.Message);
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        All = await baselines.ListAsync(ct);
        if (CanManage)
        {
            Options = await items.SuggestAsync(null, 500, ct);
        }
    }
}
