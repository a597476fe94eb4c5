using System.Text.Json;
using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Compliance.Pages.Compliance;

/// <summary>
/// The conformity dashboard: readiness figures, the trend, and the clauses grouped by top-level clause (4-10 in 2018,
/// 3-10 in 2005), each a collapsible section with its verdict counts; filtered by verdict through the query string, so it
/// works without JavaScript.
/// </summary>
[RequirePermission(CompliancePermissions.Read)]
public sealed class IndexModel(Readiness readiness, IStringLocalizer<Strings> text) : PageModel
{
    /// <summary>The verdict filters offered, "" for all.</summary>
    public static readonly IReadOnlyList<string> Filters = ["", Conformity.Gap, Conformity.NoEvidence, Conformity.Conforming];

    [BindProperty(SupportsGet = true)]
    public string? Edition { get; set; }

    /// <summary>Shows only the leaf clauses with this verdict (gap, no-evidence, conforming); all clauses when empty.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Verdict { get; set; }

    public ConformityReport Report { get; private set; } = null!;

    public ReadinessFigures Figures { get; private set; } = null!;

    public IReadOnlyList<ClauseGroup> Groups { get; private set; } = [];

    /// <summary>The trend as the chart script reads it from a data attribute (no inline script under the CSP).</summary>
    public string TrendJson { get; private set; } = "{}";

    /// <summary>A top-level clause with the clauses under it that the filter lets through and its leaf clauses counted by verdict.</summary>
    public sealed record ClauseGroup(ClauseConformity Top, IReadOnlyList<ClauseConformity> Clauses, VerdictCounts Leaves, bool Open);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Edition = ClauseCatalogue.IsEdition(Edition) ? Edition : "2018";
        Verdict = Filters.Contains(Verdict ?? "", StringComparer.Ordinal) ? Verdict ?? "" : "";
        Report = await readiness.CurrentAsync(Edition!, ct);
        Figures = await readiness.FiguresAsync(Report, 180, ct);
        Groups = Group(Report, Verdict);
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

    /// <summary>
    /// The clauses under each top-level clause. Unfiltered, every clause shows (the top-level one heads its group); filtered,
    /// only the leaf clauses with that verdict, and groups without one are left out. Unfiltered, the groups start closed (an
    /// overview of counts); filtered, open.
    /// </summary>
    public static IReadOnlyList<ClauseGroup> Group(ConformityReport report, string? verdict)
    {
        var parents = report.Clauses.Where(c => c.Parent is not null).Select(c => c.Parent!).ToHashSet(StringComparer.Ordinal);
        var groups = new List<ClauseGroup>();
        foreach (var top in report.Clauses.Where(c => c.Depth == 1))
        {
            var members = report.Clauses.Where(c => c.Depth > 1 && c.Clause.StartsWith(top.Clause + ".", StringComparison.Ordinal)).ToList();
            var leaves = parents.Contains(top.Clause) ? members.Where(c => !parents.Contains(c.Clause)).ToList() : [top];
            var counts = new VerdictCounts(leaves.Count(c => c.Verdict == Conformity.Conforming), leaves.Count(c => c.Verdict == Conformity.Gap),
                leaves.Count(c => c.Verdict == Conformity.NoEvidence));
            if (string.IsNullOrEmpty(verdict))
            {
                groups.Add(new ClauseGroup(top, members, counts, Open: false));
                continue;
            }
            var matching = leaves.Where(c => c.Verdict == verdict && c != top).ToList();
            if (matching.Count > 0 || (leaves.Count == 1 && leaves[0] == top && top.Verdict == verdict))
            {
                groups.Add(new ClauseGroup(top, matching, counts, Open: true));
            }
        }
        return groups;
    }

    /// <summary>The dashboard's address with this edition and verdict filter.</summary>
    public static string Link(string edition, string? verdict) =>
        string.IsNullOrEmpty(verdict) ? $"/compliance?edition={edition}" : $"/compliance?edition={edition}&verdict={verdict}";

    public static string VerdictClass(string verdict) => verdict switch
    {
        Conformity.Conforming => "bg-green-lt",
        Conformity.Gap => "bg-red-lt",
        _ => "bg-secondary-lt",
    };
}
