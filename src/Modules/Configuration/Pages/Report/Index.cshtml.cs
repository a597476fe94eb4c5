using Certus.Configuration.Contracts;
using Certus.Configuration.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Configuration.Pages.Report;

/// <summary>The configuration item report (配置项管理报告, manual §8.1.8) on screen, with the same report as a workbook.</summary>
[RequirePermission(ConfigurationPermissions.Audit)]
public sealed class IndexModel(ConfigurationReport report, CiClasses classes) : PageModel
{
    [FromQuery(Name = "class")]
    public string? Class { get; set; }

    [FromQuery]
    public string? Service { get; set; }

    public ConfigurationReport.Result Result { get; private set; } = new(DateTimeOffset.MinValue, null, null, []);

    public IReadOnlyList<ClassView> Classes { get; private set; } = [];

    public string DownloadUrl =>
        $"/api/v1/reports/configuration-items?format=xlsx&class={Uri.EscapeDataString(Class ?? "")}&service={Uri.EscapeDataString(Service ?? "")}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Classes = await classes.ListAsync(ct);
        Result = await report.HandleAsync(Class, Service, ct);
    }
}
