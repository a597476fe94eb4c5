using Certus.Data;
using Certus.Documents.Contracts;
using Certus.Documents.Domain;
using Certus.Documents.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Documents.Pages.Documents;

/// <summary>
/// One document: register entry, versions through the workflow, file, holders and read acknowledgements. Razor Pages
/// ignore attributes on handlers, so each POST checks its own permission.
/// </summary>
[RequirePermission(DocumentPermissions.Read)]
public sealed class DetailsModel(
    DocumentRegister register, DocumentWorkflow workflow, Distribution distribution, RecordRetention retention, IDirectory directory, Database database,
    ICurrentUser caller) : PageModel
{
    public DocumentView Document { get; private set; } = null!;

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    [BindProperty]
    public DocumentForm Input { get; set; } = new();

    [BindProperty]
    public int Version { get; set; }

    [BindProperty]
    public int Number { get; set; }

    [BindProperty]
    public string? Label { get; set; }

    [BindProperty]
    public string? Body { get; set; }

    [BindProperty]
    public string? ChangeNote { get; set; }

    [BindProperty]
    public string? Trigger { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public Guid? HolderId { get; set; }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    /// <summary>Why a legal hold is put on or lifted (a field of its own, so its error shows next to it).</summary>
    [BindProperty]
    public string? HoldReason { get; set; }

    public bool CanWrite => caller.HasPermission(DocumentPermissions.Write);

    public bool CanApprove => caller.HasPermission(DocumentPermissions.Approve);

    public bool CanDispose => caller.HasPermission(DocumentPermissions.Dispose);

    public Guid UserId => caller.UserId;

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct) => await LoadAsync(code, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetFileAsync(string code, int number, CancellationToken ct)
    {
        if (!await LoadAsync(code, ct) || Document.Versions!.FirstOrDefault(v => v.Number == number) is not { FileHash: { } hash, DisposedAt: null } v
            || await BlobStore.GetAsync(database, hash, ct) is not { } content)
        {
            return NotFound();
        }
        Response.Headers["X-Content-SHA256"] = hash;
        return File(content, v.FileType ?? "application/octet-stream", v.FileName);
    }

    public Task<IActionResult> OnPostUpdateAsync(string code, CancellationToken ct) =>
        WriteAsync(code, CanWrite, d => register.UpdateAsync(d.Id, Version, Input.ToRequest(includeCode: false), ct), ct);

    public Task<IActionResult> OnPostNewVersionAsync(string code, CancellationToken ct) =>
        WriteAsync(code, CanWrite, d => workflow.StartVersionAsync(d.Id, Version, new DocumentWorkflow.DraftRequest(Label, null, ChangeNote), ct), ct);

    public Task<IActionResult> OnPostEditDraftAsync(string code, CancellationToken ct) =>
        WriteAsync(code, CanWrite, d => workflow.EditDraftAsync(d.Id, Version, Number, new DocumentWorkflow.DraftRequest(Label, Body, ChangeNote), ct), ct);

    public async Task<IActionResult> OnPostMoveAsync(string code, CancellationToken ct)
    {
        var trigger = DocumentLifecycle.ParseTrigger(Trigger);
        var allowed = trigger == VersionTrigger.Submit ? CanWrite : CanApprove;
        return await WriteAsync(code, trigger is not null && allowed,
            d => workflow.MoveAsync(d.Id, Version, Number, trigger!.Value, new DocumentWorkflow.MoveRequest(Reason), ct), ct);
    }

    public async Task<IActionResult> OnPostAttachAsync(string code, CancellationToken ct)
    {
        byte[] content = [];
        if (Upload is not null && Upload.Length <= Api.DocumentsApi.MaxFileBytes)
        {
            using var buffer = new MemoryStream();
            await Upload.CopyToAsync(buffer, ct);
            content = buffer.ToArray();
        }
        return await WriteAsync(code, CanWrite, d => workflow.AttachAsync(d.Id, Version, Number,
            new DocumentWorkflow.UploadedFile(Upload?.FileName ?? "", Upload?.ContentType ?? "application/octet-stream", content), ct), ct);
    }

    public Task<IActionResult> OnPostAddHolderAsync(string code, CancellationToken ct) =>
        WriteAsync(code, CanWrite, d => distribution.AddHolderAsync(d.Id, new Distribution.HolderRequest(HolderId), ct), ct);

    public Task<IActionResult> OnPostRemoveHolderAsync(string code, CancellationToken ct) =>
        WriteAsync(code, CanWrite, d => distribution.RemoveHolderAsync(d.Id, HolderId ?? Guid.Empty, ct), ct);

    public Task<IActionResult> OnPostAcknowledgeAsync(string code, CancellationToken ct) =>
        WriteAsync(code, true, d => distribution.AcknowledgeAsync(d.Id, ct), ct);

    public Task<IActionResult> OnPostHoldAsync(string code, CancellationToken ct) =>
        WriteAsync(code, CanDispose, d => retention.HoldAsync(d.Id, Version, new RecordRetention.HoldRequest(HoldReason), ct), ct, holdForm: true);

    public Task<IActionResult> OnPostLiftHoldAsync(string code, CancellationToken ct) =>
        WriteAsync(code, CanDispose, d => retention.ReleaseHoldAsync(d.Id, Version, new RecordRetention.HoldRequest(HoldReason), ct), ct, holdForm: true);

    private async Task<IActionResult> WriteAsync(
        string code, bool permitted, Func<DocumentView, Task<Outcome<DocumentView>>> write, CancellationToken ct, bool holdForm = false)
    {
        if (!permitted)
        {
            return Forbid();
        }
        if (!await LoadAsync(code, ct))
        {
            return NotFound();
        }
        var outcome = await write(Document);
        if (outcome.Succeeded)
        {
            return Redirect($"/documents/{Document.Code}");
        }
        if (holdForm && outcome.Failure!.Fields?.TryGetValue("reason", out var messages) == true)
        {
            foreach (var message in messages)
            {
                ModelState.AddModelError(nameof(HoldReason), message);
            }
        }
        else
        {
            ModelState.AddFailure(outcome.Failure!, prefix: outcome.Failure!.Fields?.Keys.Any(k => k is "code" or "tier" or "titleEn" or "titleZh" or "clauses"
                or "reviewMonths" or "retentionMonths" or "nextReviewOn") == true ? "Input" : "");
        }
        await LoadAsync(code, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(string code, CancellationToken ct)
    {
        if (await register.FindByCodeAsync(code, ct) is not { } doc)
        {
            return false;
        }
        Document = doc;
        if (Request.Method == "GET" || Input.TitleEn is null)
        {
            Input = DocumentForm.From(doc);
        }
        Staff = await directory.StaffAsync(Roles.Staff, ct);
        return true;
    }
}
