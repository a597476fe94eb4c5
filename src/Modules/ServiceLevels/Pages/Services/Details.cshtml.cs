using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.ServiceLevels.Pages.Services;

[RequirePermission(ServiceLevelPermissions.Catalogue)]
public sealed class DetailsModel(ServicePortfolio portfolio, Features.Agreements agreements, ICurrentUser caller) : PageModel
{
    public ServiceView Service { get; private set; } = null!;

    public IReadOnlyList<AgreementView> Agreements { get; private set; } = [];

    public bool IsStaff => caller.IsProviderStaff;

    public bool CanManage => caller.HasPermission(ServiceLevelPermissions.Portfolio);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await portfolio.GetAsync(id, ct) is not { } service)
        {
            return NotFound();
        }
        Service = service;
        if (caller.HasPermission(ServiceLevelPermissions.Read))
        {
            Agreements = [.. (await agreements.ListAsync(ct: ct)).Where(a => a.ServiceId == id)];
        }
        return Page();
    }
}
