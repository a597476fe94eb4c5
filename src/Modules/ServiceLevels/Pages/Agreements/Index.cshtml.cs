using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.ServiceLevels.Pages.Agreements;

[RequirePermission(ServiceLevelPermissions.Read)]
public sealed class IndexModel(Features.Agreements agreements, ICurrentUser caller) : PageModel
{
    public static IReadOnlyList<string> Kinds { get; } = ["sla", "ola", "uc"];

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    public IReadOnlyList<AgreementView> Agreements { get; private set; } = [];

    public bool IsStaff => caller.IsProviderStaff;

    public bool CanManage => caller.HasPermission(ServiceLevelPermissions.Manage);

    public async Task OnGetAsync(CancellationToken ct) => Agreements = await agreements.ListAsync(Kind, ct: ct);
}
