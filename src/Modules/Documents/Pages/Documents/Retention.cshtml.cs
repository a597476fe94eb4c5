using System.Globalization;
using Certus.Documents.Contracts;
using Certus.Documents.Features;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Certus.Kernel.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Documents.Pages.Documents;

/// <summary>
/// Records retention (manual §1.4; ISO/IEC 20000-1:2018 7.5.3): the records due for disposal, those coming due, the
/// documents under legal hold and the disposal log; disposal itself for holders of <see cref="DocumentPermissions.Dispose"/>.
/// </summary>
[RequirePermission(DocumentPermissions.Read)]
public sealed class RetentionModel(RecordRetention retention, DocumentRegister register, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    /// <summary>How far ahead the page shows records coming due.</summary>
    public const int AheadDays = 90;

    public IReadOnlyList<RetentionRecord> Due { get; private set; } = [];

    public IReadOnlyList<RetentionRecord> Upcoming { get; private set; } = [];

    public IReadOnlyList<DocumentView> Holds { get; private set; } = [];

    public IReadOnlyList<DisposalView> Disposals { get; private set; } = [];

    public bool CanDispose => caller.HasPermission(DocumentPermissions.Dispose);

    /// <summary>The chosen versions, each as <c>documentId:documentVersion:number</c>.</summary>
    [BindProperty]
    public List<string> Selected { get; set; } = [];

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public bool Confirm { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostDisposeAsync(CancellationToken ct)
    {
        if (!CanDispose)
        {
            return Forbid();
        }
        var items = Selected.Select(Parse).OfType<RecordRetention.DisposeItem>().ToList();
        var outcome = await retention.DisposeAsync(items, new RecordRetention.DisposeRequest(Reason, Confirm), ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text.Count("Retention.Disposed", outcome.Value!.Count).Value;
            return Redirect("/documents/retention");
        }
        ModelState.AddFailure(outcome.Failure!, prefix: "");
        await LoadAsync(ct);
        return Page();
    }

    public static string Key(RetentionRecord r) => string.Create(CultureInfo.InvariantCulture, $"{r.DocumentId:D}:{r.DocumentVersion}:{r.Number}");

    private static RecordRetention.DisposeItem? Parse(string value)
    {
        var parts = value.Split(':');
        return parts.Length == 3 && Guid.TryParse(parts[0], out var id)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? new RecordRetention.DisposeItem(id, version, number)
            : null;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var records = await retention.RecordsAsync(ct);
        var horizon = DocumentRegister.Day(register.Today().AddDays(AheadDays));
        Due = [.. records.Where(r => r.Due)];
        Upcoming = [.. records.Where(r => !r.Due && string.CompareOrdinal(r.RetainUntil, horizon) <= 0)];
        Holds = [.. (await register.ListAsync(null, ct)).Where(d => d.OnLegalHold)];
        Disposals = await retention.DisposalsAsync(null, ct);
    }
}
