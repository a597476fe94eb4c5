using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Data;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.ServiceLevels.Pages.Calendars;

[RequirePermission(ServiceLevelPermissions.Manage)]
public sealed class NewModel(CreateCalendar create) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary><c>office</c> or <c>always</c>.</summary>
    [BindProperty]
    public string Preset { get; set; } = "office";

    [BindProperty]
    public bool WithChina { get; set; } = true;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var template = Preset == "always" ? SeedCalendars.AroundTheClock() : SeedCalendars.ChinaStandard(
            WithChina ? ChineseHolidays.Years.Select(y => ChineseHolidays.For(y)!) : []);
        var outcome = await create.HandleAsync(template with { Name = Name, TimeZone = TimeZone }, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/service-levels/calendars/{outcome.Value!.Id}");
        }
        ModelState.AddFailure(outcome.Failure!, prefix: "");
        return Page();
    }
}
