using Certus.Configuration.Contracts;
using Certus.Configuration.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Certus.Kernel.Tables;

namespace Certus.Configuration.Pages.Import;

/// <summary>CMDB import: upload, a dry run that shows every row's errors, then the import itself (same use case as the API).</summary>
[RequirePermission(ConfigurationPermissions.Manage)]
public sealed class IndexModel(ImportCis import, ICurrentUser caller, IOptions<ConfigurationOptions> options, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty]
    public string? ChangeRef { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public ImportReport? Report { get; private set; }

    public string? Problem { get; private set; }

    public long MaxMegabytes => options.Value.MaxImportBytes / (1024 * 1024);

    public Task<IActionResult> OnPostDryRunAsync(IFormFile? file, CancellationToken ct) => RunAsync(file, dryRun: true, ct);

    public Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken ct) => RunAsync(file, dryRun: false, ct);

    private async Task<IActionResult> RunAsync(IFormFile? file, bool dryRun, CancellationToken ct)
    {
        // Razor Pages ignore permission attributes on handlers: checked here.
        if (!caller.HasPermission(ConfigurationPermissions.Manage))
        {
            return Forbid();
        }
        if (file is null || file.Length == 0)
        {
            Problem = text["Import.NoFile"];
            return Page();
        }
        if (file.Length > options.Value.MaxImportBytes)
        {
            Problem = text["Import.TooLarge", MaxMegabytes];
            return Page();
        }
        if (TableFiles.FormatOf(file.FileName) is null)
        {
            Problem = text["Import.Type"];
            return Page();
        }
        var outcome = await import.HandleAsync(await Api.TransferApi.CopyAsync(file, ct), null, dryRun, ChangeRef, Reason, ct);
        if (!outcome.Succeeded)
        {
            Problem = outcome.Failure!.Message;
            return Page();
        }
        Report = outcome.Value;
        if (Report!.Written)
        {
            TempData["Flash"] = text["Import.Done", Report.Created, Report.Updated, Report.Unchanged, Report.Relationships].Value;
        }
        return Page();
    }
}
