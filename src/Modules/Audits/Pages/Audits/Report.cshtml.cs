using Certus.Audits.Contracts;
using Certus.Audits.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Audits.Pages.Audits;

/// <summary>The audit report, printable: the Markdown the API serves, rendered.</summary>
[RequirePermission(AuditPermissions.Read)]
public sealed class ReportModel(InternalAudits audits, AuditReport report) : PageModel
{
    public AuditView Audit { get; private set; } = null!;

    public string Markdown { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await audits.GetAsync(id, ct) is not { } found)
        {
            return NotFound();
        }
        Audit = found;
        Markdown = report.Markdown(found);
        return Page();
    }
}
