using System.Globalization;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.ServiceLevels.Pages.Agreements;

/// <summary>One agreement with every version: start a new draft, revise the draft's terms, approve it.</summary>
[RequirePermission(ServiceLevelPermissions.Read)]
public sealed class DetailsModel(Features.Agreements agreements, CalendarQueries calendars, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    public AgreementView Agreement { get; private set; } = null!;

    public IReadOnlyList<CalendarSummary> Calendars { get; private set; } = [];

    [BindProperty]
    public TermsForm Terms { get; set; } = new();

    /// <summary>The agreement's version as read, so that a write made on stale data is refused.</summary>
    [BindProperty]
    public int Version { get; set; }

    /// <summary>Local wall-clock time from a datetime-local input.</summary>
    [BindProperty]
    public string? EffectiveFrom { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public bool CanManage => caller.HasPermission(ServiceLevelPermissions.Manage);

    public bool CanApprove => caller.HasPermission(ServiceLevelPermissions.Approve);

    public bool IsStaff => caller.IsProviderStaff;

    public AgreementVersionView? Draft => Agreement.Versions.FirstOrDefault(v => v.Status == "draft");

    /// <summary>Whether the draft's edit form opens by itself (it has errors to show).</summary>
    public bool ReviseOpen { get; private set; }

    public string CalendarName(Guid? id) => id is null ? text["Agreements.CalendarAlways"] : Calendars.FirstOrDefault(c => c.Id == id)?.Name ?? id.Value.ToString("D");

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (Draft is { } draft)
        {
            Terms = TermsForm.From(draft);
        }
        EffectiveFrom = DateTimeOffset.Now.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        return Page();
    }

    // Razor Pages ignore authorisation attributes on handlers, so each write checks its own permission.
    public async Task<IActionResult> OnPostDraftAsync(Guid id, CancellationToken ct) =>
        !CanManage ? Forbid() : await AfterAsync(id, await agreements.DraftAsync(id, Version, null, ct), ct);

    public async Task<IActionResult> OnPostReviseAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        if (!ModelState.IsValid)
        {
            return await ShowAsync(id, keepTerms: true, ct);
        }
        return await AfterAsync(id, await agreements.ReviseDraftAsync(id, Version, Terms.ToTerms(), ct), ct, keepTerms: true);
    }

    public async Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken ct)
    {
        if (!CanApprove)
        {
            return Forbid();
        }
        DateTimeOffset? from = null;
        if (!string.IsNullOrWhiteSpace(EffectiveFrom))
        {
            if (!DateTime.TryParse(EffectiveFrom, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
            {
                ModelState.AddModelError(nameof(EffectiveFrom), text["Validation.Date"]);
                return await ShowAsync(id, keepTerms: false, ct);
            }
            from = new DateTimeOffset(wall, TimeZoneInfo.Local.GetUtcOffset(wall));
        }
        return await AfterAsync(id, await agreements.ApproveAsync(id, Version, new Features.Agreements.ApproveRequest(from, Reason), ct), ct);
    }

    private async Task<IActionResult> AfterAsync(Guid id, Outcome<AgreementView> outcome, CancellationToken ct, bool keepTerms = false)
    {
        if (outcome.Succeeded)
        {
            return Redirect($"/service-levels/agreements/{id}");
        }
        if (outcome.Failure!.Kind == FailureKind.NotFound)
        {
            return NotFound();
        }
        ModelState.AddOutcome(outcome.Failure, text, prefix: "");
        TermsForm.PrefixErrors(ModelState);
        return await ShowAsync(id, keepTerms, ct);
    }

    private async Task<IActionResult> ShowAsync(Guid id, bool keepTerms, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        if (!keepTerms && Draft is { } draft)
        {
            Terms = TermsForm.From(draft);
        }
        ReviseOpen = keepTerms;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await agreements.GetAsync(id, ct) is not { } agreement)
        {
            return false;
        }
        Agreement = agreement;
        Version = agreement.Version;
        Calendars = await calendars.ListAsync(ct);
        return true;
    }
}
