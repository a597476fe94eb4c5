using Certus.Incidents.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Certus.Problems.Contracts;
using Certus.Problems.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Problems.Pages.Problems;

/// <summary>
/// Links an incident to the problem that explains it, from the incident page: the open problems on the incident's CI or
/// service first, then the others, searchable; linking returns to the incident.
/// </summary>
[RequirePermission(ProblemPermissions.Raise)]
public sealed class LinkModel(ProblemQueries queries, ProblemLinks links, IIncidentRecords incidents, ICurrentUser caller, IStringLocalizer<Strings> text)
    : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Incident { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public IncidentRecord? Record { get; private set; }

    /// <summary>Open problems naming the incident's CI or service.</summary>
    public IReadOnlyList<KnownErrorView> Matching { get; private set; } = [];

    public IReadOnlyList<ProblemRow> Open { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string? problem, CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }
        if (!caller.HasPermission(ProblemPermissions.Raise))
        {
            return Forbid();
        }
        if (await queries.GetAsync(problem ?? "", ct) is not { } target)
        {
            ModelState.AddModelError(string.Empty, text["Link.UnknownProblem", problem ?? ""]);
            return Page();
        }
        var outcome = await links.LinkIncidentAsync(target.Id, new ProblemLinks.IncidentRequest(Record!.Number), ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Problem.IncidentLinked", Record.Number, target.Number].Value;
            return Redirect(Record.Path);
        }
        if (outcome.Failure!.Kind == FailureKind.Forbidden)
        {
            return Forbid();
        }
        ModelState.AddModelError(string.Empty, outcome.Failure.Fields?.SelectMany(f => f.Value).FirstOrDefault() ?? outcome.Failure.Message);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (!caller.IsProviderStaff || string.IsNullOrWhiteSpace(Incident) || await incidents.FindAsync([Incident.Trim()], ct) is not [var record, ..])
        {
            return false;
        }
        Record = record;
        Matching = await queries.MatchingOpenAsync(record.CiRef, record.ServiceRef, ct);
        Open = [.. (await queries.ListAsync(new ProblemQueries.ListQuery(State: "open", Q: Q, PageSize: 50), ct)).Items.Where(p => Matching.All(m => m.Id != p.Id))];
        return true;
    }
}
