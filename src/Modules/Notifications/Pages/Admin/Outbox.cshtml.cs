using Certus.Kernel;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Certus.Notifications.Contracts;
using Certus.Notifications.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Notifications.Pages.Admin;

[RequirePermission(NotificationPermissions.Manage)]
public sealed class OutboxModel(Features.Outbox outbox, IStringLocalizer<Strings> text) : PageModel
{
    public Page<OutboxMessage> Messages { get; private set; } = new([], 0, 1, 50);

    public IReadOnlyDictionary<string, long> Counts { get; private set; } = new Dictionary<string, long>(StringComparer.Ordinal);

    public bool IsConfigured => outbox.IsConfigured;

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    [BindProperty]
    public string? Address { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostRetryAsync(Guid id, CancellationToken ct)
    {
        var outcome = await outbox.RetryAsync(id, ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Outbox.Retried"].Value;
            return RedirectToPage(new { status = Status });
        }
        ModelState.AddFailure(outcome.Failure!, prefix: "");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync(CancellationToken ct)
    {
        var outcome = await outbox.SendTestAsync(new Features.Outbox.TestRequest(Address), ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Outbox.TestQueued", outcome.Value!.RecipientAddress].Value;
            return RedirectToPage();
        }
        ModelState.AddFailure(outcome.Failure!, prefix: "");
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Messages = await outbox.ListAsync(Status, PageRequest.From(PageNumber, 50), ct);
        Counts = await outbox.CountsAsync(ct);
    }
}
