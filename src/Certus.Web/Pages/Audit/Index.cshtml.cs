using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Web.Pages.Audit;

[RequirePermission(PlatformPermissions.AuditRead)]
public sealed class IndexModel(AuditQueries queries, Database database) : PageModel
{
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public AuditVerification? Verification { get; private set; }

    /// <summary>The page of the record an entry is about, where the platform knows one.</summary>
    public static string? LinkTo(AuditEntry entry) => entry.RecordType switch
    {
        "organisation" => $"/admin/organisations/{entry.RecordId}",
        "user" => $"/admin/users/{entry.RecordId}",
        // A refused sign-in for an unknown account is recorded under the e-mail tried: no page to link to.
        "sign-in" when Guid.TryParse(entry.RecordId, out var user) => $"/admin/users/{user:D}",
        _ => null,
    };

    public async Task OnGetAsync(long? before, CancellationToken ct) =>
        Entries = await queries.RecentAsync(100, before, ct);

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken ct)
    {
        Verification = await AuditTrail.VerifyAsync(database, ct);
        Entries = await queries.RecentAsync(100, null, ct);
        return Page();
    }
}
