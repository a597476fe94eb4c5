using System.Globalization;
using Certus.Changes.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Changes.Pages.Changes;

/// <summary>A CMDB update as the form holds it.</summary>
public sealed class UpdateInput
{
    public string? Ci { get; set; }
    public string? VersionLabel { get; set; }
    public string? Status { get; set; }
}

/// <summary>A request for change as the form holds it: lists as repeated fields, times as local <c>datetime-local</c> values.</summary>
public sealed class ChangeInput
{
    public string? Type { get; set; }
    public string? Title { get; set; }
    public string? Reason { get; set; }
    public string? Description { get; set; }
    public Guid? OrganisationId { get; set; }
    public Guid? TemplateId { get; set; }
    public List<string?> Cis { get; set; } = [];
    public List<string?> Services { get; set; } = [];
    public Dictionary<string, string?> RiskAnswers { get; set; } = new(StringComparer.Ordinal);
    public string? ImplementationPlan { get; set; }
    public string? BackoutPlan { get; set; }
    public string? TestPlan { get; set; }
    public string? CustomerImpact { get; set; }
    public decimal? CostEstimate { get; set; }
    public string? CostCurrency { get; set; } = "CNY";
    public string? SupplierContract { get; set; }
    public string? SlaImpact { get; set; }
    public DateTime? PlannedStart { get; set; }
    public DateTime? PlannedEnd { get; set; }
    public List<UpdateInput> CmdbUpdates { get; set; } = [];
    public string? SourceKind { get; set; }
    public string? SourceRef { get; set; }

    /// <summary>The request the use case takes; blank rows and answers are left out.</summary>
    public RequestChange.Request ToRequest() => new(
        Type, Title, Reason, Description, OrganisationId, TemplateId,
        [.. Cis.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c!.Trim())],
        [.. Services.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim())],
        RiskAnswers.Where(a => !string.IsNullOrWhiteSpace(a.Value)).ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal),
        ImplementationPlan, BackoutPlan, TestPlan, CustomerImpact, CostEstimate, CostEstimate is null ? null : CostCurrency, SupplierContract, SlaImpact,
        Show.Instant(PlannedStart), Show.Instant(PlannedEnd),
        [.. CmdbUpdates.Where(u => !string.IsNullOrWhiteSpace(u.Ci))
            .Select(u => new RequestChange.UpdateRequest(u.Ci, Blank(u.VersionLabel), Blank(u.Status), null))],
        Blank(SourceKind), Blank(SourceRef));

    public static ChangeInput From(ChangeView c) => new()
    {
        Type = c.Type, Title = c.Title, Reason = c.Reason, Description = c.Description, OrganisationId = c.OrganisationId, TemplateId = c.TemplateId,
        Cis = [.. c.Cis.Select(x => (string?)x.Identifier)], Services = [.. c.Services.Select(s => (string?)s)],
        RiskAnswers = c.RiskAnswers.ToDictionary(a => a.Key, a => (string?)a.Value, StringComparer.Ordinal),
        ImplementationPlan = c.ImplementationPlan, BackoutPlan = c.BackoutPlan, TestPlan = c.TestPlan, CustomerImpact = c.CustomerImpact,
        CostEstimate = c.CostEstimate, CostCurrency = c.CostCurrency ?? "CNY", SupplierContract = c.SupplierContract, SlaImpact = c.SlaImpact,
        PlannedStart = c.PlannedStart?.ToLocalTime().DateTime, PlannedEnd = c.PlannedEnd?.ToLocalTime().DateTime,
        CmdbUpdates = [.. c.CmdbUpdates.Select(u => new UpdateInput { Ci = u.Identifier, VersionLabel = u.VersionLabel, Status = u.Status })],
        SourceKind = c.SourceKind, SourceRef = c.SourceRef,
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>What the new and edit pages of a change share: the input, the pickers, and how a refusal shows.</summary>
public abstract class ChangeFormModel(
    ChangeSettings settings, IDirectory directory, IEnumerable<IServiceLookup> services, IEnumerable<ICiLookup> cis, ICurrentUser caller,
    IStringLocalizer<Strings> text) : PageModel
{
    /// <summary>How many CIs the CI fields suggest; beyond that the fields still take any identifier.</summary>
    public const int CiOptionLimit = 500;

    /// <summary>How many CI and CMDB-update rows the form offers.</summary>
    public const int CiRows = 4;

    public const int UpdateRows = 2;

    [BindProperty]
    public ChangeInput Input { get; set; } = new();

    public IReadOnlyList<ChangeTemplate> Templates { get; private set; } = [];

    public IReadOnlyList<RiskQuestion> Questions { get; private set; } = [];

    public IReadOnlyList<OrganisationSummary> Customers { get; private set; } = [];

    /// <summary>Services to offer; null when no portfolio is installed (free text).</summary>
    public IReadOnlyList<ServiceOption>? ServiceOptions { get; private set; }

    /// <summary>CIs to suggest; null when no CMDB is installed (free text).</summary>
    public IReadOnlyList<CiOption>? CiOptions { get; private set; }

    public abstract bool IsNew { get; }

    public Guid ProviderId => caller.OrganisationId;

    protected ICurrentUser Caller => caller;

    protected IStringLocalizer<Strings> Text => text;

    public ChangeTemplate? Template => Templates.FirstOrDefault(t => t.Id == Input.TemplateId);

    protected async Task LoadChoicesAsync(CancellationToken ct)
    {
        Templates = await settings.TemplatesAsync(true, ct);
        Questions = await settings.QuestionsAsync(true, ct);
        Customers = [.. (await directory.OrganisationsAsync(ct)).Where(o => o.Kind == OrganisationKind.Customer)];
        if (services.FirstOrDefault() is { } lookup)
        {
            ServiceOptions = await lookup.ForOrganisationAsync(null, ct);
        }
        if (cis.FirstOrDefault() is { } ciLookup)
        {
            CiOptions = await ciLookup.SuggestAsync(null, CiOptionLimit, ct);
        }
        while (Input.Cis.Count < CiRows)
        {
            Input.Cis.Add(null);
        }
        while (Input.CmdbUpdates.Count < UpdateRows)
        {
            Input.CmdbUpdates.Add(new UpdateInput());
        }
    }

    protected async Task<IActionResult> AfterAsync(Outcome<ChangeView> outcome, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text[IsNew ? "Change.Raised" : "Change.Saved", outcome.Value!.Number].Value;
            return Redirect($"/changes/{outcome.Value!.Number}");
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

    public static string Culture => CultureInfo.CurrentUICulture.Name;
}
