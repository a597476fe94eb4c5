using Certus.Kernel.Security;
using Certus.Notifications.Contracts;
using Certus.Notifications.Features;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Notifications.Pages.Admin.NotificationTemplates;

[RequirePermission(NotificationPermissions.Manage)]
public sealed class IndexModel(Features.NotificationTemplates templates) : PageModel
{
    public IReadOnlyList<TemplateView> Templates { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Templates = await templates.ListAsync(ct);
}
