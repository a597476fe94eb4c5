using Certus.Audits.Contracts;
using Certus.Audits.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Audits.Pages.Audits;

/// <summary>The year's audit programme: its audits, a new programme and a new audit.</summary>
[RequirePermission(AuditPermissions.Read)]
public sealed class IndexModel(AuditProgrammes programmes, InternalAudits audits, IDirectory directory, ICurrentUser caller, TimeProvider clock, IStringLocalizer<Strings> text)
    : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Year { get; set; }

    [BindProperty]
    public InternalAudits.Request Input { get; set; } = new(null, null, null, null, null, null, null, null, null);

    [BindProperty]
    public string? CriteriaText { get; set; }

    [BindProperty]
    public AuditProgrammes.ProgrammeRequest Programme { get; set; } = new(null, null, null);

    public IReadOnlyList<ProgrammeView> Programmes { get; private set; } = [];

    public ProgrammeView? Current { get; private set; }

    public IReadOnlyList<AuditView> All { get; private set; } = [];

    public IReadOnlyList<AreaView> Areas { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public bool CanManage => caller.HasPermission(AuditPermissions.Manage);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var criteria = (CriteriaText ?? "").Split([',', ';', '\n', ' ', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var outcome = await audits.CreateAsync(Input with { Criteria = criteria }, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/audits/{outcome.Value!.Id}");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        Year = Input.Year;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostProgrammeAsync(CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await programmes.CreateProgrammeAsync(Programme, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/audits?year={outcome.Value!.Year}");
        }
        ModelState.AddOutcome(outcome.Failure!, text, "Programme");
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Programmes = await programmes.ProgrammesAsync(ct);
        Year ??= Programmes.Count > 0 ? Programmes[0].Year : clock.GetLocalNow().Year;
        Current = Programmes.FirstOrDefault(p => p.Year == Year);
        All = await audits.ListAsync(Year, ct);
        Areas = await programmes.AreasAsync(ct);
        Staff = await directory.StaffAsync(Roles.Staff, ct);
    }
}
