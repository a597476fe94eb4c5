using Certus.Configuration.Contracts;
using Certus.Configuration.Features;
using Certus.Data;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Certus.Kernel.Tables;

namespace Certus.Configuration.Pages.CiAudits;

/// <summary>Configuration audits: the list, and a new audit from an uploaded observed inventory.</summary>
[RequirePermission(ConfigurationPermissions.Audit)]
public sealed class IndexModel(
    ConfigurationAudits audits, Database database, ICurrentUser caller, IOptions<ConfigurationOptions> options, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public List<string> ScopeClasses { get; set; } = [];

    [BindProperty]
    public string? ScopeLocation { get; set; }

    public IReadOnlyList<AuditView> All { get; private set; } = [];

    public IReadOnlyList<ClassView> Classes { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        if (!caller.HasPermission(ConfigurationPermissions.Audit))
        {
            return Forbid();
        }
        UploadedFile? upload = null;
        if (file is not null && file.Length > options.Value.MaxImportBytes)
        {
            ModelState.AddModelError("file", text["Import.TooLarge", options.Value.MaxImportBytes / (1024 * 1024)]);
        }
        else if (file is not null && TableFiles.FormatOf(file.FileName) is null)
        {
            ModelState.AddModelError("file", text["Import.Type"]);
        }
        else if (file is not null)
        {
            upload = await Api.TransferApi.CopyAsync(file, ct);
        }
        if (ModelState.ErrorCount == 0)
        {
            var outcome = await audits.CreateAsync(new ConfigurationAudits.Request(Title, ScopeClasses, ScopeLocation), upload, ct);
            if (outcome.Succeeded)
            {
                return Redirect($"/cmdb/audits/{outcome.Value!.Id}");
            }
            ModelState.AddFailure(outcome.Failure!, "");
            if (outcome.Failure!.Fields is not { Count: > 0 })
            {
                ModelState.AddModelError(string.Empty, outcome.Failure.Message);
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        All = await audits.ListAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        Classes = (await ClassModel.LoadAsync(connection, null, ct)).Classes;
    }
}
