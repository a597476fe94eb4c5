using Certus.Kernel;
using Certus.Kernel.Security;
using Certus.Notifications.Contracts;
using Certus.Notifications.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Notifications.Pages.Notifications;

[RequirePermission(NotificationPermissions.Read)]
public sealed class IndexModel(MyNotifications notifications) : PageModel
{
    public Page<NotificationView> Items { get; private set; } = new([], 0, 1, 50);

    [BindProperty(SupportsGet = true)]
    public bool Unread { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public async Task OnGetAsync(CancellationToken ct) =>
        Items = await notifications.ListAsync(Unread, PageRequest.From(PageNumber, 50), ct);

    public async Task<IActionResult> OnPostReadAsync(Guid id, CancellationToken ct)
    {
        var read = await notifications.MarkReadAsync(id, ct);
        if (read is null)
        {
            return NotFound();
        }
        // Reading a notification with a link means going there.
        return read.Link is { } link && Url.IsLocalUrl(link) ? LocalRedirect(link) : RedirectToPage(new { unread = Unread });
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        await notifications.MarkAllReadAsync(ct);
        return RedirectToPage();
    }
}
