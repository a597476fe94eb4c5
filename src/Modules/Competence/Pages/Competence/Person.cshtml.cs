using Certus.Competence.Contracts;
using Certus.Competence.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Certus.Kernel.Tables;

namespace Certus.Competence.Pages.Competence;

/// <summary>A person's training record, its export, and (for the records keepers) assessments and external trainings.</summary>
[RequirePermission(CompetencePermissions.OwnRecord)]
public sealed class PersonModel(TrainingRecords records, Assessments assessments, Catalogue catalogue, Certificates certificates, Staff staff, ICurrentUser caller,
    IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty]
    public Assessments.AssessRequest Assess { get; set; } = new(null, null, null, null, null);

    [BindProperty]
    public TrainingRecords.ExternalRequest External { get; set; } = new(null, null, null, null, null);

    public TrainingRecordView Record { get; private set; } = null!;

    public IReadOnlyList<CompetenceView> Competences { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public bool CanManage => caller.HasPermission(CompetencePermissions.Manage);

    public bool CanRead => caller.HasPermission(CompetencePermissions.Read);

    public bool IsMine => caller.UserId == Record.UserId;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    /// <summary>The record as CSV or XLSX.</summary>
    public async Task<IActionResult> OnGetExportAsync(Guid id, string? format, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }
        var name = $"training-record-{Record.Email.Split('@')[0]}";
        return string.Equals(format, "xlsx", StringComparison.OrdinalIgnoreCase)
            ? File(TableFiles.ToBytes(TableFormat.Xlsx, records.Sheets(Record, false)), TableFiles.ContentType(TableFormat.Xlsx), name + ".xlsx")
            : File(TableFiles.ToBytes(TableFormat.Csv, records.Sheets(Record, true)), TableFiles.ContentType(TableFormat.Csv), name + ".csv");
    }

    /// <summary>The scan of one of the person's certificates.</summary>
    public async Task<IActionResult> OnGetFileAsync(Guid id, Guid certificate, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }
        return Record.Certificates.Any(c => c.Id == certificate) && await certificates.FileAsync(certificate, ct) is { } file
            ? File(file.Content, file.Type, file.Name)
            : NotFound();
    }

    public async Task<IActionResult> OnPostAssessAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await assessments.AssessAsync(id, Assess, ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Assess.Saved", outcome.Value!.Name, outcome.Value.Level].Value;
            return Redirect($"/competence/people/{id}");
        }
        ModelState.AddOutcome(outcome.Failure!, text, "Assess");
        return await LoadAsync(id, ct) ?? Page();
    }

    public async Task<IActionResult> OnPostExternalAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await records.AddExternalAsync(id, External, ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Saved"].Value;
            return Redirect($"/competence/people/{id}#training");
        }
        ModelState.AddOutcome(outcome.Failure!, text, "External");
        return await LoadAsync(id, ct) ?? Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        if (!records.MayRead(id))
        {
            return Forbid();
        }
        if (await records.GetAsync(id, ct) is not { } record)
        {
            return NotFound();
        }
        Record = record;
        Competences = await catalogue.CompetencesAsync(ct);
        Staff = CanManage ? await staff.ActiveAsync(ct) : [];
        return null;
    }
}
