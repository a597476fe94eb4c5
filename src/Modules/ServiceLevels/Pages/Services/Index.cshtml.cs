using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Domain;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.ServiceLevels.Pages.Services;

/// <summary>The portfolio for provider staff, the catalogue of the services their organisation takes for a customer.</summary>
[RequirePermission(ServiceLevelPermissions.Catalogue)]
public sealed class IndexModel(ServicePortfolio portfolio, ICurrentUser caller) : PageModel
{
    public static IReadOnlyList<string> Lifecycles { get; } = [.. Enum.GetValues<ServiceLifecycle>().Select(l => l.Key())];

    [BindProperty(SupportsGet = true)]
    public string? Lifecycle { get; set; }

    public IReadOnlyList<ServiceView> Services { get; private set; } = [];

    public bool IsStaff => caller.IsProviderStaff;

    public bool CanManage => caller.HasPermission(ServiceLevelPermissions.Portfolio);

    public async Task OnGetAsync(CancellationToken ct) => Services = await portfolio.ListAsync(IsStaff ? Lifecycle : null, ct);
}
