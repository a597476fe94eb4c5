using Certus.Competence.Contracts;
using Certus.Competence.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Competence.Pages.Competence;

/// <summary>The competence matrix: people holding job roles × the competences those roles require, gaps in red.</summary>
[RequirePermission(CompetencePermissions.Read)]
public sealed class IndexModel(Assessments assessments, Certificates certificates) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid? Role { get; set; }

    public MatrixView Matrix { get; private set; } = null!;

    public int Expiring { get; private set; }

    public int Expired { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Matrix = await assessments.MatrixAsync(Role, ct);
        var all = await certificates.ListAsync(null, null, ct);
        Expiring = all.Count(c => c.State == "expiring");
        Expired = all.Count(c => c.State == "expired");
    }
}
