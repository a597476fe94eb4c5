using System.Text.Json;
using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Compliance.Pages.Compliance;

/// <summary>The conformity dashboard: readiness figures, the trend and every clause with its verdict and evidence.</summary>
[RequirePermission(CompliancePermissions.Read)]
public sealed class IndexModel(Readiness readiness, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Edition { get; set; }

    public ConformityReport Report { get; private set; } = null!;

    public ReadinessFigures Figures { get; private set; } = null!;

    /// <summary>The trend as the chart script reads it from a data attribute (no inline script under the CSP).</summary>
    public string TrendJson { get; private set; } = "{}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Edition = ClauseCatalogue.IsEdition(Edition) ? Edition : "2018";
        Figures = await readiness.FiguresAsync(Edition!, 180, ct);
        Report = await readiness.CurrentAsync(Edition!, ct);
        TrendJson = JsonSerializer.Serialize(new
        {
            days = Figures.Trend.Select(t => t.Day),
            series = new object[]
            {
                new { name = text["Dash.Conforming"].Value, color = "#2fb344", data = Figures.Trend.Select(t => t.Conforming) },
                new { name = text["Dash.Gap"].Value, color = "#d63939", data = Figures.Trend.Select(t => t.Gap) },
                new { name = text["Dash.NoEvidence"].Value, color = "#9ba9be", data = Figures.Trend.Select(t => t.NoEvidence) },
            },
        });
    }

    public static string VerdictClass(string verdict) => verdict switch
    {
        Conformity.Conforming => "bg-green-lt",
        Conformity.Gap => "bg-red-lt",
        _ => "bg-secondary-lt",
    };
}
