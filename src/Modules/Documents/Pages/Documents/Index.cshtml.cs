using Certus.Documents.Contracts;
using Certus.Documents.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Documents.Pages.Documents;

/// <summary>The document register by tier, and registering a new document.</summary>
[RequirePermission(DocumentPermissions.Read)]
public sealed class IndexModel(DocumentRegister register, IDirectory directory, ICurrentUser caller) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Tier { get; set; }

    [BindProperty]
    public DocumentForm Input { get; set; } = new();

    public IReadOnlyList<DocumentView> Documents { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public bool CanWrite => caller.HasPermission(DocumentPermissions.Write);

    public DateOnly Today { get; } = DateOnly.FromDateTime(DateTime.Now);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanWrite)
        {
            return Forbid();
        }
        var outcome = await register.CreateAsync(Input.ToRequest(includeCode: true), ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/documents/{outcome.Value!.Code}");
        }
        ModelState.AddFailure(outcome.Failure!);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Documents = await register.ListAsync(string.IsNullOrWhiteSpace(Tier) ? null : Tier, ct);
        Staff = await directory.StaffAsync(Roles.Staff, ct);
    }
}

/// <summary>The register fields of a document as a form posts them.</summary>
public sealed class DocumentForm
{
    public string? Code { get; set; }
    public string? Tier { get; set; } = "B";
    public string? TitleEn { get; set; }
    public string? TitleZh { get; set; }
    public Guid? OwnerId { get; set; }
    public string? Clauses { get; set; }
    public int? ReviewMonths { get; set; } = 12;
    public int? RetentionMonths { get; set; }
    public string? NextReviewOn { get; set; }

    public DocumentRegister.Request ToRequest(bool includeCode) => new(
        includeCode ? Code : null, Tier, TitleEn, TitleZh, OwnerId,
        (Clauses ?? "").Split([',', ';', ' ', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        ReviewMonths, RetentionMonths, NextReviewOn);

    public static DocumentForm From(DocumentView d) => new()
    {
        Code = d.Code, Tier = d.Tier, TitleEn = d.TitleEn, TitleZh = d.TitleZh, OwnerId = d.OwnerId, Clauses = string.Join(", ", d.Clauses),
        ReviewMonths = d.ReviewMonths, RetentionMonths = d.RetentionMonths, NextReviewOn = d.NextReviewOn,
    };
}
