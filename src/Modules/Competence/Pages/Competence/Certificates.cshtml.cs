using Certus.Competence.Contracts;
using Certus.Competence.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Certus.Competence.Pages.Competence;

/// <summary>Everyone's certificates with expiry badges, a new certificate (with its scan), retiring one, and downloading the scan.</summary>
[RequirePermission(CompetencePermissions.Read)]
public sealed class CertificatesModel(Certificates certificates, Staff staff, ICurrentUser caller, IOptions<CompetenceOptions> options, IStringLocalizer<Strings> text)
    : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty]
    public Certificates.Request Input { get; set; } = new(null, null, null, null, null, null);

    [BindProperty]
    public IFormFile? Scan { get; set; }

    public IReadOnlyList<CertificateView> All { get; private set; } = [];

    public IReadOnlyList<CertificateView> Shown { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public bool CanManage => caller.HasPermission(CompetencePermissions.Manage);

    public int SoonDays => options.Value.SoonDays;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        Certificates.UploadedFile? upload = null;
        if (Scan is { Length: > 0 } file)
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            upload = new Certificates.UploadedFile(file.FileName, string.IsNullOrWhiteSpace(file.ContentType) ? "application/octet-stream" : file.ContentType, buffer.ToArray());
        }
        var outcome = await certificates.CreateAsync(Input, upload, ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Certificate.Added", outcome.Value!.Name, outcome.Value.PersonName].Value;
            return Redirect("/competence/certificates");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        if (outcome.Failure!.Fields?.ContainsKey("file") == true)
        {
            ModelState.AddModelError("Scan", string.Join(" ", outcome.Failure.Fields["file"]));
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRetireAsync(Guid certificate, int version, string? reason, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await certificates.RetireAsync(certificate, version, new Certificates.RetireRequest(reason), ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Certificate.RetiredFlash", outcome.Value!.Name].Value;
            return Redirect($"/competence/certificates{(State is null ? "" : "?state=" + State)}");
        }
        ModelState.AddModelError(string.Empty, outcome.Failure!.Fields is { Count: > 0 } f ? string.Join(" ", f.SelectMany(x => x.Value)) : outcome.Failure.Kind == FailureKind.PreconditionFailed ? text["Page.Stale"] : outcome.Failure.Message);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnGetFileAsync(Guid certificate, CancellationToken ct) =>
        await certificates.FileAsync(certificate, ct) is { } file ? File(file.Content, file.Type, file.Name) : NotFound();

    private async Task LoadAsync(CancellationToken ct)
    {
        All = await certificates.ListAsync(null, null, ct);
        Shown = [.. All.Where(c => string.IsNullOrEmpty(State) || c.State == State)];
        Staff = await staff.ActiveAsync(ct);
    }
}
