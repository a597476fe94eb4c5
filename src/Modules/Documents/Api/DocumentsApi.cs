using Certus.Data;
using Certus.Documents.Contracts;
using Certus.Documents.Domain;
using Certus.Documents.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Certus.Documents.Api;

/// <summary>The document register over REST: documents, their versions and workflow, files, holders and acknowledgements.</summary>
internal static class DocumentsApi
{
    /// <summary>Largest file a version may carry.</summary>
    public const long MaxFileBytes = 20 * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var docs = endpoints.MapGroup("/api/v1/documents").WithTags("Documents").RequirePermission(DocumentPermissions.Read);
        docs.MapGet("", async (string? tier, DocumentRegister r, CancellationToken ct) => TypedResults.Ok(await r.ListAsync(tier, ct)))
            .WithSummary("The document register, by tier (A manual, B procedures, C work instructions and rules, D records and forms) and code.");
        docs.MapGet("/{id:guid}", async (Guid id, DocumentRegister r, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await r.GetAsync(id, ct)))
            .WithSummary("One document with every version (retained ones too), holders and acknowledgements, with its ETag.");
        docs.MapPost("", async (DocumentRegister.Request request, DocumentRegister r, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await r.CreateAsync(request, ct), d => $"/api/v1/documents/{d.Id}"))
            .RequirePermission(DocumentPermissions.Write)
            .WithSummary("Register a document: code, tier, titleEn, titleZh, ownerId, clauses (such as 2018:8.6.1), reviewMonths, retentionMonths, nextReviewOn.");
        docs.MapPatch("/{id:guid}", (Guid id, DocumentRegister.Request request, DocumentRegister r, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await r.GetAsync(id, ct) is not null, version => r.UpdateAsync(id, version, request, ct)))
            .RequirePermission(DocumentPermissions.Write)
            .WithSummary("Change what the register says about a document (not its code or content); send If-Match.");
        docs.MapPost("/{id:guid}/versions", (Guid id, DocumentWorkflow.DraftRequest request, DocumentWorkflow w, DocumentRegister r, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await r.GetAsync(id, ct) is not null, version => w.StartVersionAsync(id, version, request, ct)))
            .RequirePermission(DocumentPermissions.Write)
            .WithSummary("Start the next version as a draft (409 while another version is open); send the document's If-Match.");
        docs.MapPut("/{id:guid}/versions/{number:int}", (Guid id, int number, DocumentWorkflow.DraftRequest request, DocumentWorkflow w, DocumentRegister r, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await r.GetAsync(id, ct) is not null, version => w.EditDraftAsync(id, version, number, request, ct)))
            .RequirePermission(DocumentPermissions.Write)
            .WithSummary("Rewrite a draft: label, body (Markdown), changeNote. Approved, effective and retained versions refuse with 409.");
        docs.MapPost("/{id:guid}/versions/{number:int}/file", AttachAsync)
            .RequirePermission(DocumentPermissions.Write).DisableAntiforgery()
            .WithSummary("Attach a file to a draft (multipart field file); stored in the database under its SHA-256; send If-Match.");
        docs.MapGet("/{id:guid}/versions/{number:int}/file", DownloadAsync)
            .WithSummary("A version's file, with its SHA-256 in the X-Content-SHA256 header.");
        docs.MapPost("/{id:guid}/versions/{number:int}/{action}", MoveAsync)
            .WithSummary("Move a version: submit (documents.write), reject, approve (documents.approve, with a reason) or publish (documents.approve; retains the version it replaces); send If-Match.");
        docs.MapPost("/{id:guid}/holders", async (Guid id, Distribution.HolderRequest request, Distribution d, HttpContext http, CancellationToken ct) =>
                Saved(http, await d.AddHolderAsync(id, request, ct)))
            .RequirePermission(DocumentPermissions.Write)
            .WithSummary("Distribute the document to a named holder (a staff user: userId).");
        docs.MapDelete("/{id:guid}/holders/{userId:guid}", async (Guid id, Guid userId, Distribution d, HttpContext http, CancellationToken ct) =>
                Saved(http, await d.RemoveHolderAsync(id, userId, ct)))
            .RequirePermission(DocumentPermissions.Write)
            .WithSummary("Take a holder off the distribution list.");
        docs.MapGet("/retention", async (RecordRetention r, CancellationToken ct) => TypedResults.Ok(await r.RecordsAsync(ct)))
            .WithSummary("Every retained version kept under its document's retention period, with its retain-until date and whether it is due, soonest first.");
        docs.MapGet("/retention/due", async (RecordRetention r, CancellationToken ct) => TypedResults.Ok(await r.DueAsync(ct)))
            .WithSummary("Records due for disposal: retained versions whose retention period is over and that are not yet disposed (those under legal hold are marked).");
        docs.MapGet("/disposals", async (Guid? documentId, RecordRetention r, CancellationToken ct) => TypedResults.Ok(await r.DisposalsAsync(documentId, ct)))
            .WithSummary("The disposal log, newest first (?documentId=): what was destroyed, when, by whom, why, and the checksums kept.");
        docs.MapPost("/disposals", async (DisposeManyRequest request, RecordRetention r, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await r.DisposeAsync([.. (request.Versions ?? []).Select(v => new RecordRetention.DisposeItem(v.DocumentId, v.Version, v.Number))],
                    new RecordRetention.DisposeRequest(request.Reason, request.Confirm), ct);
                return outcome.Succeeded ? (IResult)TypedResults.Ok(outcome.Value) : ApiResults.Problem(http, outcome.Failure!);
            })
            .RequirePermission(DocumentPermissions.Dispose)
            .WithSummary("Dispose of several records at once, all or none: versions [{documentId, version (the document's ETag), number}], reason, confirm: true.");
        docs.MapPost("/{id:guid}/versions/{number:int}/dispose", (Guid id, int number, RecordRetention.DisposeRequest request, RecordRetention r, DocumentRegister register,
                HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await register.GetAsync(id, ct) is not null, version => r.DisposeAsync(id, version, number, request, ct)))
            .RequirePermission(DocumentPermissions.Dispose)
            .WithSummary("Dispose of a retained version past its retention period (documents.dispose; reason; confirm: true; refused under legal hold). "
                + "Its body and file content are destroyed, its register entry stays marked disposed with the SHA-256; send the document's If-Match.");
        docs.MapPost("/{id:guid}/legal-hold", (Guid id, RecordRetention.HoldRequest request, RecordRetention r, DocumentRegister register, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await register.GetAsync(id, ct) is not null, version => r.HoldAsync(id, version, request, ct)))
            .RequirePermission(DocumentPermissions.Dispose)
            .WithSummary("Put the document's records under legal hold, with a reason: nothing of it is disposed until the hold is lifted; send If-Match.");
        docs.MapPost("/{id:guid}/legal-hold/lift", (Guid id, RecordRetention.HoldRequest request, RecordRetention r, DocumentRegister register, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await register.GetAsync(id, ct) is not null, version => r.ReleaseHoldAsync(id, version, request, ct)))
            .RequirePermission(DocumentPermissions.Dispose)
            .WithSummary("Lift the legal hold, with the reason it no longer applies; send If-Match.");
        docs.MapPost("/{id:guid}/acknowledge", async (Guid id, Distribution d, HttpContext http, CancellationToken ct) => Saved(http, await d.AcknowledgeAsync(id, ct)))
            .WithSummary("The caller confirms having read the effective version.");
    }

    /// <summary>Several records to dispose of together.</summary>
    public sealed record DisposeManyRequest(IReadOnlyList<DisposeVersion>? Versions, string? Reason, bool? Confirm);

    /// <summary>A version to dispose of: its document, the document's version (ETag) the caller read, and its number.</summary>
    public sealed record DisposeVersion(Guid DocumentId, int Version, int Number);

    private static IResult Saved(HttpContext http, Outcome<DocumentView> outcome) => ApiResults.Saved(http, outcome);

    private static async Task<IResult> MoveAsync(Guid id, int number, string action, DocumentWorkflow.MoveRequest? request, DocumentWorkflow w, DocumentRegister r,
        ICurrentUser caller, HttpContext http, CancellationToken ct)
    {
        if (DocumentLifecycle.ParseTrigger(action) is not { } trigger || await r.GetAsync(id, ct) is null)
        {
            return ApiResults.NotFound(http);
        }
        var needed = trigger == VersionTrigger.Submit ? DocumentPermissions.Write : DocumentPermissions.Approve;
        if (!caller.HasPermission(needed))
        {
            var text = http.RequestServices.GetRequiredService<IStringLocalizer<Strings>>();
            return ApiResults.Problem(http, new Failure(FailureKind.Forbidden, text["Version.ApproverOnly"]));
        }
        return await ApiResults.UpdateAsync(http, () => Task.FromResult(true),
            version => w.MoveAsync(id, version, number, trigger, request ?? new DocumentWorkflow.MoveRequest(null), ct));
    }

    private static async Task<IResult> AttachAsync(Guid id, int number, DocumentWorkflow w, DocumentRegister r, HttpContext http, CancellationToken ct)
    {
        if (await r.GetAsync(id, ct) is null)
        {
            return ApiResults.NotFound(http);
        }
        if (http.Request.ContentLength > MaxFileBytes + (1024 * 1024))
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        if (!http.Request.HasFormContentType || (await http.Request.ReadFormAsync(ct)).Files.GetFile("file") is not { } file)
        {
            var text = http.RequestServices.GetRequiredService<IStringLocalizer<Kernel.Strings>>();
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["file"] = [text["Validation.Required"]] });
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        return await ApiResults.UpdateAsync(http, () => Task.FromResult(true), version => w.AttachAsync(id, version, number,
            new DocumentWorkflow.UploadedFile(file.FileName, string.IsNullOrWhiteSpace(file.ContentType) ? "application/octet-stream" : file.ContentType, buffer.ToArray()), ct));
    }

    private static async Task<IResult> DownloadAsync(Guid id, int number, DocumentRegister r, Database database, HttpContext http, CancellationToken ct)
    {
        var v = (await r.GetAsync(id, ct))?.Versions?.FirstOrDefault(x => x.Number == number);
        if (v?.DisposedAt is { } disposed)
        {
            var text = http.RequestServices.GetRequiredService<IStringLocalizer<Strings>>();
            return TypedResults.Problem(text["Disposal.Gone", v.Label, Pages.Show.Local(disposed)], statusCode: StatusCodes.Status410Gone, title: text["Disposal.GoneTitle"]);
        }
        if (v?.FileHash is not { } hash || await BlobStore.GetAsync(database, hash, ct) is not { } content)
        {
            return ApiResults.NotFound(http);
        }
        http.Response.Headers["X-Content-SHA256"] = hash;
        return TypedResults.File(content, v.FileType ?? "application/octet-stream", v.FileName);
    }
}
