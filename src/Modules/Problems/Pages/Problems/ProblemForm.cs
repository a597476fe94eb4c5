using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Certus.Problems.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Problems.Pages.Problems;

/// <summary>A problem as the form holds it: CIs as repeated fields, the linked incidents as one comma-separated field.</summary>
public sealed class ProblemInput
{
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Symptoms { get; set; }
    public string? Service { get; set; }
    public List<string?> Cis { get; set; } = [];
    public int? Priority { get; set; } = RaiseProblem.DefaultPriority;
    public string? Category { get; set; }
    public Guid? OwnerId { get; set; }
    public Guid? AssignmentGroupId { get; set; }
    public string? SourceKind { get; set; }
    public string? SourceRef { get; set; }
    public string? Incidents { get; set; }
    public string? RootCause { get; set; }
    public string? Workaround { get; set; }

    /// <summary>
    /// The request the use case takes. On an edit every field is sent, so an emptied field clears the value (an owner or
    /// group of all zeros removes it).
    /// </summary>
    public RaiseProblem.Request ToRequest(bool isNew) => new(
        Title, Description ?? "", Symptoms ?? "", isNew ? Service : Service ?? "",
        [.. Cis.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c!.Trim())],
        Priority, Category,
        isNew ? OwnerId : OwnerId ?? Guid.Empty,
        isNew ? AssignmentGroupId : AssignmentGroupId ?? Guid.Empty,
        isNew ? SourceKind : null, isNew ? SourceRef : null,
        isNew ? [.. (Incidents ?? "").Split([',', ' ', '，', '、', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : null,
        RootCause ?? "", Workaround ?? "");

    public static ProblemInput From(ProblemView p) => new()
    {
        Title = p.Title, Description = p.Description, Symptoms = p.Symptoms, Service = p.ServiceCode, Cis = [.. p.Cis.Select(c => (string?)c.Identifier)],
        Priority = p.Priority, Category = p.Category, OwnerId = p.OwnerId, AssignmentGroupId = p.AssignmentGroupId, SourceKind = p.SourceKind,
        SourceRef = p.SourceRef, RootCause = p.RootCause, Workaround = p.Workaround,
    };
}

/// <summary>What the new and edit pages of a problem share: the input, the pickers, and how a refusal shows.</summary>
public abstract class ProblemFormModel(
    IDirectory directory, IEnumerable<IServiceLookup> services, IEnumerable<ICiLookup> cis, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    /// <summary>How many CIs the CI fields suggest; beyond that the fields still take any identifier.</summary>
    public const int CiOptionLimit = 500;

    /// <summary>How many CI rows the form offers at least.</summary>
    public const int CiRows = 4;

    [BindProperty]
    public ProblemInput Input { get; set; } = new();

    /// <summary>Services to offer; null when no portfolio is installed (free text).</summary>
    public IReadOnlyList<ServiceOption>? ServiceOptions { get; private set; }

    /// <summary>CIs to suggest; null when no CMDB is installed (free text).</summary>
    public IReadOnlyList<CiOption>? CiOptions { get; private set; }

    /// <summary>Who may own a problem: the provider's staff, problem managers first.</summary>
    public IReadOnlyList<UserSummary> Owners { get; private set; } = [];

    public IReadOnlyList<GroupSummary> Groups { get; private set; } = [];

    public abstract bool IsNew { get; }

    protected ICurrentUser Caller => caller;

    protected IStringLocalizer<Strings> Text => text;

    protected async Task LoadChoicesAsync(CancellationToken ct)
    {
        if (services.FirstOrDefault() is { } lookup)
        {
            ServiceOptions = await lookup.ForOrganisationAsync(null, ct);
        }
        if (cis.FirstOrDefault() is { } ciLookup)
        {
            CiOptions = await ciLookup.SuggestAsync(null, CiOptionLimit, ct);
        }
        var managers = await directory.StaffAsync([Roles.ProblemManager], ct);
        var staff = await directory.StaffAsync(Roles.Staff, ct);
        Owners = [.. managers, .. staff.Where(s => managers.All(m => m.Id != s.Id)).OrderBy(s => s.DisplayName, StringComparer.CurrentCulture)];
        Groups = await directory.ProviderGroupsAsync(ct);
        while (Input.Cis.Count < CiRows)
        {
            Input.Cis.Add(null);
        }
    }

    protected async Task<IActionResult> AfterAsync(Outcome<ProblemView> outcome, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text[IsNew ? "Problem.Raised" : "Problem.Saved", outcome.Value!.Number].Value;
            return Redirect($"/problems/{outcome.Value!.Number}");
        }
        if (outcome.Failure!.Kind == FailureKind.NotFound)
        {
            return NotFound();
        }
        if (outcome.Failure.Kind == FailureKind.Forbidden)
        {
            return Forbid();
        }
        ModelState.AddOutcome(outcome.Failure, text);
        await LoadChoicesAsync(ct);
        return Page();
    }
}
