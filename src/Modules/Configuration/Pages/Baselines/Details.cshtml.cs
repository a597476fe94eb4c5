using System.Globalization;
using Certus.Configuration.Contracts;
using Certus.Configuration.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Configuration.Pages.Baselines;

/// <summary>A baseline: every CI as it was when taken, the relationships between them, and the way to compare it.</summary>
[RequirePermission(ConfigurationPermissions.Read)]
public sealed class DetailsModel(Features.Baselines baselines, Features.RelationshipTypes types, CiClasses classes) : PageModel
{
    public Features.Baselines.Detail Baseline { get; private set; } = null!;

    public IReadOnlyList<BaselineView> Others { get; private set; } = [];

    public IReadOnlyDictionary<string, string> ClassNames { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> TypeNames { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await baselines.GetAsync(id, ct) is not { } found)
        {
            return NotFound();
        }
        Baseline = found;
        Others = [.. (await baselines.ListAsync(ct)).Where(b => b.Id != id)];
        var culture = CultureInfo.CurrentUICulture.Name;
        ClassNames = (await classes.ListAsync(ct)).ToDictionary(c => c.Key, c => c.Name(culture), StringComparer.Ordinal);
        TypeNames = (await types.ListAsync(ct)).ToDictionary(t => t.Key, t => t.Name(culture), StringComparer.Ordinal);
        return Page();
    }

    public string Identifier(Guid id) => Baseline.Items.FirstOrDefault(i => i.CiId == id)?.Identifier ?? id.ToString()[..8];
}
