using Certus.Audits.Contracts;
using Certus.Audits.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Audits.Pages.Audits;

/// <summary>Audited process areas with their owner and members (who may not audit them).</summary>
[RequirePermission(AuditPermissions.Read)]
public sealed class AreasModel(AuditProgrammes programmes, IDirectory directory, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty]
    public AuditProgrammes.AreaRequest Input { get; set; } = new(null, null, null, null);

    public IReadOnlyList<AreaView> All { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public bool CanManage => caller.HasPermission(AuditPermissions.Manage);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await programmes.CreateAreaAsync(Input, ct);
        if (outcome.Succeeded)
        {
            return Redirect("/audits/areas");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        All = await programmes.AreasAsync(ct);
        Staff = await directory.StaffAsync(Roles.Staff, ct);
    }
}
