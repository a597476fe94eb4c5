using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Incidents.Contracts;
using Certus.Incidents.Domain;
using Certus.Incidents.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Certus.Incidents.Pages.Incidents;

[RequirePermission(IncidentPermissions.Read)]
public sealed class DetailsModel(
    IncidentQueries queries,
    MoveIncident move,
    AddComment comment,
    LinkIncidents link,
    UpdateIncident update,
    SimilarIncidents similar,
    IncidentSettings settings,
    AuditQueries audit,
    IDirectory directory,
    Attachments attachments,
    ICurrentUser caller,
    IOptions<IncidentOptions> options,
    IEnumerable<IServiceLookup> serviceLookups,
    IEnumerable<ICiLookup> ciLookups,
    IStringLocalizer<Strings> text) : PageModel
{
    public string MaxAttachmentMegabytes => (options.Value.MaxAttachmentBytes / 1048576.0).ToString("0.#", System.Globalization.CultureInfo.CurrentCulture);

    /// <summary>One line of the timeline: a status move, a reply or a work note.</summary>
    public sealed record TimelineItem(DateTimeOffset When, string Who, string What, string? Body, bool Internal, int Minutes);

    public IncidentView Incident { get; private set; } = null!;

    public IReadOnlyList<TimelineItem> Timeline { get; private set; } = [];

    public IReadOnlyList<LinkView> Links { get; private set; } = [];

    public IReadOnlyList<SimilarIncidents.Match> Similar { get; private set; } = [];

    public IReadOnlyList<CategoryView> Categories { get; private set; } = [];

    public IReadOnlyList<AttachmentView> Files { get; private set; } = [];

    public IReadOnlyList<GroupSummary> Groups { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    /// <summary>Services the incident's organisation takes, for the service field; null when no portfolio is installed (free text).</summary>
    public IReadOnlyList<ServiceOption>? ServiceOptions { get; private set; }

    /// <summary>CIs to suggest for the CI field; null when no CMDB is installed (free text).</summary>
    public IReadOnlyList<CiOption>? CiOptions { get; private set; }

    [BindProperty]
    public UpdateIncident.Request Edit { get; set; } = new();

    public bool IsStaff => caller.IsProviderStaff;

    public bool CanWork => caller.HasPermission(IncidentPermissions.Work);

    public bool CanConfirm => caller.HasPermission(IncidentPermissions.Confirm);

    /// <summary>The buttons: moves the incident allows now that the caller may make.</summary>
    public IReadOnlyList<string> Actions => IncidentLifecycle.Allowed(Incident.ParsedStatus)
        .Where(t => t != IncidentTrigger.AutoClose)
        .Where(t => t is IncidentTrigger.Confirm or IncidentTrigger.RejectResolution ? CanConfirm : CanWork)
        .Select(t => t.Key()).ToList();

    public async Task<IActionResult> OnGetAsync(long number, CancellationToken ct) =>
        await LoadAsync(number, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostMoveAsync(long number, string? action, int? version, MoveIncident.Request request, CancellationToken ct)
    {
        if (await queries.GetByNumberAsync(number, ct) is not { } incident)
        {
            return NotFound();
        }
        var trigger = Enum.GetValues<IncidentTrigger>().Cast<IncidentTrigger?>().FirstOrDefault(t => t!.Value.Key() == action);
        if (trigger is null or IncidentTrigger.AutoClose)
        {
            return BadRequest();
        }
        var outcome = await move.HandleAsync(incident.Id, trigger.Value, request, version, ct);
        return await AfterAsync(number, outcome.Failure, () => text["Incidents.Moved", text[$"Status.{outcome.Value!.Status}"]].Value, ct);
    }

    public async Task<IActionResult> OnPostCommentAsync(long number, AddComment.Request request, CancellationToken ct)
    {
        if (await queries.GetByNumberAsync(number, ct) is not { } incident)
        {
            return NotFound();
        }
        var outcome = await comment.HandleAsync(incident.Id, request, ct);
        return await AfterAsync(number, outcome.Failure, null, ct);
    }

    public async Task<IActionResult> OnPostLinkAsync(long number, string? kind, string? related, CancellationToken ct)
    {
        if (await queries.GetByNumberAsync(number, ct) is not { } incident)
        {
            return NotFound();
        }
        var other = IncidentNumber.Parse(related) is { } n ? await queries.GetByNumberAsync(n.Value, ct) : null;
        var outcome = await link.HandleAsync(incident.Id, new LinkIncidents.Request(other?.Id ?? (related is null ? null : Guid.Empty), kind), ct);
        return await AfterAsync(number, outcome.Failure, null, ct);
    }

    public async Task<IActionResult> OnPostAttachAsync(long number, IFormFile? file, CancellationToken ct)
    {
        if (await queries.GetByNumberAsync(number, ct) is not { } incident)
        {
            return NotFound();
        }
        if (file is null)
        {
            return await AfterAsync(number, new Failure(FailureKind.Validation, text["Incidents.Attach"]), null, ct);
        }
        var (_, refused, failure) = await attachments.AddAsync(incident.Id, Api.IncidentsApi.ToUpload(file, null), ct);
        var problem = refused switch
        {
            Attachments.Refusal.TooLarge => new Failure(FailureKind.Validation, text["Attachment.TooLarge"]),
            Attachments.Refusal.TypeNotAllowed => new Failure(FailureKind.Validation, text["Attachment.TypeNotAllowed"]),
            null => failure,
        };
        return await AfterAsync(number, problem, null, ct);
    }

    public async Task<IActionResult> OnPostUpdateAsync(long number, int version, CancellationToken ct)
    {
        if (await queries.GetByNumberAsync(number, ct) is not { } incident)
        {
            return NotFound();
        }
        var outcome = await update.HandleAsync(incident.Id, version, Edit, ct);
        return await AfterAsync(number, outcome.Failure, null, ct);
    }

    private async Task<IActionResult> AfterAsync(long number, Failure? failure, Func<string>? done, CancellationToken ct)
    {
        if (failure is null)
        {
            if (done is not null)
            {
                TempData["Flash"] = done();
            }
            return Redirect($"/incidents/{number}");
        }
        if (failure.Kind == FailureKind.NotFound)
        {
            return NotFound();
        }
        if (failure.Kind == FailureKind.Forbidden)
        {
            return Forbid();
        }
        ModelState.AddFailure(failure, prefix: "");
        if (failure.Fields is { Count: > 0 })
        {
            // Field names are not on this page as inputs; show the messages in the summary too.
            foreach (var message in failure.Fields.SelectMany(f => f.Value))
            {
                ModelState.AddModelError(string.Empty, message);
            }
        }
        return await LoadAsync(number, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(long number, CancellationToken ct)
    {
        var incident = await queries.GetByNumberAsync(number, ct);
        if (incident is null)
        {
            return false;
        }
        Incident = incident;
        Categories = await settings.CategoriesAsync(ct);
        Links = await queries.LinksAsync(incident.Id, ct);
        Files = await attachments.ListAsync(incident.Id, ct);
        var comments = await queries.CommentsAsync(incident.Id, ct);
        var history = await audit.HistoryAsync("incident", incident.Id.ToString("D"), ct);
        var items = comments.Select(c => new TimelineItem(c.CreatedAt, c.AuthorName, c.IsPublic ? text["Action.replied"] : text["Incidents.Note"], c.Body, !c.IsPublic, c.MinutesSpent)).ToList();
        var names = await directory.FindUsersAsync(history.SelectMany(h => h.ParsedChanges())
            .Where(c => c.Field == "assigneeId" && Guid.TryParse(c.New, out _)).Select(c => Guid.Parse(c.New!)), ct);
        foreach (var entry in history.Where(h => h.Action is not ("replied" or "noted")))
        {
            // Customers see the moves and what concerns them; the desk's edits, links, files and internal reasons stay with the desk.
            if (!IsStaff && entry.Action is "attached" or "linked" or "updated")
            {
                continue;
            }
            var reason = !IsStaff && entry.Action is "assign" or "start" or "pend" or "reopen" ? null : entry.Reason;
            items.Add(new TimelineItem(entry.OccurredAt, entry.ActorName, Describe(entry, names), reason, false, 0));
        }
        Timeline = items.OrderBy(t => t.When).ToList();
        if (CanWork)
        {
            Similar = await similar.HandleAsync(incident, 5, ct);
            Groups = await directory.ProviderGroupsAsync(ct);
            Staff = await directory.StaffAsync(IncidentRules.Workers, ct);
            if (serviceLookups.FirstOrDefault() is { } lookup)
            {
                ServiceOptions = await lookup.ForOrganisationAsync(incident.OrganisationId, ct);
            }
            if (ciLookups.FirstOrDefault() is { } cis)
            {
                CiOptions = await cis.SuggestAsync(null, NewModel.CiOptionLimit, ct);
            }
        }
        return true;
    }

    private string Describe(AuditEntry entry, IReadOnlyDictionary<Guid, UserSummary> names)
    {
        var changes = entry.ParsedChanges();
        var status = changes.FirstOrDefault(c => c.Field == "status");
        var verb = entry.Action switch
        {
            "created" => text["Incidents.Logged", ""].Value.Trim(' ', '.', '。'),
            "updated" => text["Incidents.Edit"].Value,
            "linked" => text["Incidents.Links"].Value,
            _ => text[$"Action.{entry.Action}"].Value,
        };
        var parts = new List<string> { verb };
        if (status?.Old is not null && status.New is not null)
        {
            parts.Add($"{text[$"Status.{status.Old}"]} → {text[$"Status.{status.New}"]}");
        }
        var assignee = changes.FirstOrDefault(c => c.Field == "assigneeId");
        if (assignee?.New is not null && Guid.TryParse(assignee.New, out var id) && names.TryGetValue(id, out var user))
        {
            parts.Add($"{text["Incidents.Assignee"]}: {user.DisplayName}");
        }
        if (entry.Action == "updated")
        {
            parts.Add(string.Join(", ", changes.Select(c => c.Field)));
        }
        return string.Join(" · ", parts);
    }
}
