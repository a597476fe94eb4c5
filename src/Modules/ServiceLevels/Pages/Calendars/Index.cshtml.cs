using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.ServiceLevels.Pages.Calendars;

[RequirePermission(ServiceLevelPermissions.Read)]
public sealed class IndexModel(CalendarQueries queries, ICurrentUser caller) : PageModel
{
    public IReadOnlyList<CalendarSummary> Calendars { get; private set; } = [];

    public bool CanManage => caller.HasPermission(ServiceLevelPermissions.Manage);

    public async Task OnGetAsync(CancellationToken ct) => Calendars = await queries.ListAsync(ct);
}
