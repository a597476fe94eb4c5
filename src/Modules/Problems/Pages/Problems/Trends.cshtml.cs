using Certus.Kernel.Security;
using Certus.Problems.Contracts;
using Certus.Problems.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Problems.Pages.Problems;

/// <summary>
/// Proactive problem management (ISO/IEC 20000-1:2018 8.6.3): CIs and services with repeated incidents in the last 30
/// or 90 days that no open problem explains, each with a way to raise one.
/// </summary>
[RequirePermission(ProblemPermissions.Read)]
public sealed class TrendsModel(ProblemTrends trends, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int Days { get; set; } = 90;

    [BindProperty(SupportsGet = true)]
    public int Min { get; set; } = ProblemTrends.DefaultMinimum;

    public IReadOnlyList<Trend> Results { get; private set; } = [];

    public bool CanRaise => caller.HasPermission(ProblemPermissions.Raise);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!caller.IsProviderStaff)
        {
            return Forbid();
        }
        Days = ProblemTrends.Periods.Contains(Days) ? Days : 90;
        Min = Math.Clamp(Min, 2, 1000);
        Results = await trends.FindAsync(Days, Min, ct);
        return Page();
    }

    /// <summary>The new-problem form prefilled with the trend: source, its reference, the CI or service and its incidents.</summary>
    public string RaiseLink(Trend trend)
    {
        var reference = $"{trend.Reference} · {trend.Incidents.Count}/{Days}d";
        var query = $"source=trend&ref={Uri.EscapeDataString(reference.Length > 60 ? reference[..60] : reference)}"
            + $"&{(trend.Kind == "ci" ? "ci" : "service")}={Uri.EscapeDataString(trend.Reference)}"
            + $"&incidents={Uri.EscapeDataString(string.Join(",", trend.Incidents.Take(50).Select(i => i.Number)))}"
            + $"&title={Uri.EscapeDataString(text["Trends.DefaultTitle", trend.Reference, trend.Incidents.Count, Days].Value)}";
        return "/problems/new?" + query;
    }
}
