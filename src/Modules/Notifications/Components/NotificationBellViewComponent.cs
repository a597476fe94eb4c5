using Certus.Kernel.Security;
using Certus.Notifications.Contracts;
using Certus.Notifications.Features;
using Microsoft.AspNetCore.Mvc;

namespace Certus.Notifications.Components;

/// <summary>The bell in the page header: a link to the caller's notifications with the unread count.</summary>
public sealed class NotificationBellViewComponent(MyNotifications notifications, ICurrentUser caller) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (!caller.IsAuthenticated || !caller.HasPermission(NotificationPermissions.Read))
        {
            return Content("");
        }
        return View(await notifications.UnreadCountAsync(HttpContext.RequestAborted));
    }
}
