using Certus.Incidents.Contracts;
using Certus.Incidents.Domain;
using Certus.Incidents.Features;
using Certus.Kernel;
using Certus.Kernel.Security;
using Certus.Kernel.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Incidents.Pages.Incidents;

[RequirePermission(IncidentPermissions.Read)]
public sealed class IndexModel(
    IncidentQueries queries, MoveIncident move, SavedFilters savedFilters, ICurrentUser caller, TimeProvider clock, IStringLocalizer<Strings> text) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Queue { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Priority { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Page<IncidentView> Incidents { get; private set; } = new([], 0, 1, PageSize);

    public IReadOnlyList<SavedFilterView> Saved { get; private set; } = [];

    public bool CanWork => caller.HasPermission(IncidentPermissions.Work);

    public bool CanCreate => caller.HasPermission(IncidentPermissions.Create);

    public IReadOnlyList<string> VisibleQueues => caller.IsProviderStaff ? IncidentQueries.Queues : ["open", "all"];

    public int PageCount => (int)Math.Max(1, (Incidents.Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Queue = VisibleQueues.Contains(Queue ?? "", StringComparer.Ordinal) ? Queue : "open";
        Incidents = await queries.ListAsync(
            new IncidentQueries.Filter(Queue, Status, Priority, Q: Q, Sort: Sort), PageRequest.From(PageNumber, PageSize), ct);
        Saved = await savedFilters.ListAsync(ct);
    }

    public async Task<IActionResult> OnPostSaveFilterAsync(string? filterName, CancellationToken ct)
    {
        var outcome = await savedFilters.SaveAsync(new SavedFilters.Request(filterName, PageLink(1).Split('?', 2)[1]), ct);
        if (!outcome.Succeeded)
        {
            foreach (var message in outcome.Failure!.Fields?.SelectMany(f => f.Value) ?? [outcome.Failure.Message])
            {
                ModelState.AddModelError(string.Empty, message);
            }
            await OnGetAsync(ct);
            return Page();
        }
        return Redirect("/incidents?" + outcome.Value!.Query);
    }

    public async Task<IActionResult> OnPostDeleteFilterAsync(Guid filterId, CancellationToken ct)
    {
        await savedFilters.DeleteAsync(filterId, ct);
        return Redirect(PageLink(PageNumber));
    }

    public async Task<IActionResult> OnPostAssignToMeAsync(Guid[] ids, CancellationToken ct) =>
        await BulkAsync(ids, IncidentTrigger.Assign, new MoveIncident.Request(AssigneeId: caller.UserId), ct);

    public async Task<IActionResult> OnPostResolveAsync(Guid[] ids, string? resolutionCode, string? resolutionNotes, CancellationToken ct) =>
        await BulkAsync(ids, IncidentTrigger.Resolve, new MoveIncident.Request(ResolutionCode: resolutionCode, ResolutionNotes: resolutionNotes), ct);

    public string Age(DateTimeOffset since)
    {
        var age = clock.GetUtcNow() - since;
        return age.TotalMinutes < 60 ? $"{Math.Max(0, (int)age.TotalMinutes)}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }

    public string PageLink(int page) =>
        $"/incidents?queue={Uri.EscapeDataString(Queue ?? "")}&q={Uri.EscapeDataString(Q ?? "")}&status={Status}&priority={Priority}&sort={Sort}&page={page}";

    private async Task<IActionResult> BulkAsync(Guid[] ids, IncidentTrigger trigger, MoveIncident.Request request, CancellationToken ct)
    {
        if (!CanWork)
        {
            return Forbid();
        }
        int done = 0, refused = 0;
        foreach (var id in ids.Distinct())
        {
            var outcome = await move.HandleAsync(id, trigger, request, ct: ct);
            _ = outcome.Succeeded ? done++ : refused++;
        }
        TempData["Flash"] = text.Count("Incidents.BulkDone", done, refused).Value;
        return Redirect(PageLink(PageNumber));
    }
}
