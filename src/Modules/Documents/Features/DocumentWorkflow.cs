using System.Data.Common;
using System.Globalization;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Documents.Contracts;
using Certus.Documents.Domain;
using Certus.Kernel.Errors;
using Certus.Kernel.Notifications;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Documents.Features;

/// <summary>
/// The versions of a document and their workflow (ISO/IEC 20000-1:2018 7.5.2, 7.5.3; manual §1.4.3, §1.4.4):
/// draft → review → approval → effective. Only a draft changes; approval needs <see cref="DocumentPermissions.Approve"/>
/// and a reason, both audited; publishing a version retains the one it replaces (保留文件) and tells the holders.
/// Every write is checked against the document's version (its ETag).
/// </summary>
public sealed class DocumentWorkflow(
    Database database, AuditTrail audit, ICurrentUser caller, DocumentRegister register, INotifier notifier, Texts<Strings> text, TimeProvider clock)
{
    public const string VersionRecordType = "document-version";

    public sealed record DraftRequest(string? Label, string? Body, string? ChangeNote);

    public sealed record MoveRequest(string? Reason);

    /// <summary>A file attached to a draft.</summary>
    public sealed record UploadedFile(string FileName, string ContentType, byte[] Content);

    /// <summary>Starts the next version as a draft, from the newest version's content.</summary>
    public async Task<Outcome<DocumentView>> StartVersionAsync(Guid id, int version, DraftRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Optional("label", request.Label, 20).Optional("body", request.Body, 200_000).Optional("changeNote", request.ChangeNote, 2000);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await WriteAsync(id, version, async (connection, tx, doc, now) =>
        {
            var latest = doc.Versions!.Count > 0 ? doc.Versions[0] : null;
            if (latest is not null && DocumentLifecycle.IsOpen(DocumentLifecycle.ParseStatus(latest.Status)))
            {
                return new Failure(FailureKind.Conflict, text["Version.OneOpen", latest.Label, text[$"VersionStatus.{latest.Status}"]]);
            }
            var number = (latest?.Number ?? 0) + 1;
            var label = string.IsNullOrWhiteSpace(request.Label) ? $"{number}.0" : request.Label.Trim();
            var versionId = Guid.NewGuid();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO doc_versions (id, document_id, number, label, status, body, change_note, created_at, created_by, created_by_name)
                VALUES (@versionId, @id, @number, @label, 'draft', @body, @changeNote, @now, @actor, @actorName)
                """,
                new { versionId, id, number, label, body = request.Body ?? latest?.Body ?? "", changeNote = request.ChangeNote?.Trim() ?? "", now, actor = caller.ActorId, actorName = caller.ActorName },
                tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(VersionRecordType, versionId.ToString("D"), "created", null,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal) { ["document"] = doc.Code, ["label"] = label, ["status"] = "draft" })), ct);
            return null;
        }, ct);
    }

    /// <summary>Rewrites a draft; anything past draft is a record and refuses with 409.</summary>
    public async Task<Outcome<DocumentView>> EditDraftAsync(Guid id, int version, int number, DraftRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("label", request.Label, 20).Optional("body", request.Body, 200_000).Optional("changeNote", request.ChangeNote, 2000);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await WriteAsync(id, version, async (connection, tx, doc, now) =>
        {
            if (Editable(doc, number, out var v) is { } refusal)
            {
                return refusal;
            }
            var after = new { label = request.Label!.Trim(), body = request.Body ?? "", changeNote = request.ChangeNote?.Trim() ?? "" };
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE doc_versions SET label = @label, body = @body, change_note = @changeNote WHERE id = @versionId AND status = 'draft'",
                new { after.label, after.body, after.changeNote, versionId = v!.Id }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(VersionRecordType, v.Id.ToString("D"), "updated", null, AuditTrail.Diff(
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["label"] = v.Label, ["body"] = v.Body, ["changeNote"] = v.ChangeNote },
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["label"] = after.label, ["body"] = after.body, ["changeNote"] = after.changeNote })), ct);
            return null;
        }, ct);
    }

    /// <summary>Attaches a file to a draft, stored once in the database under its SHA-256 (the checksum shown with it).</summary>
    public async Task<Outcome<DocumentView>> AttachAsync(Guid id, int version, int number, UploadedFile file, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("file", file.FileName, 200);
        if (file.Content.Length == 0)
        {
            errors.Add("file", "Validation.Required");
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await WriteAsync(id, version, async (connection, tx, doc, now) =>
        {
            if (Editable(doc, number, out var v) is { } refusal)
            {
                return refusal;
            }
            var hash = await BlobStore.PutAsync(connection, tx, file.Content, now, ct);
            var name = Path.GetFileName(file.FileName.Trim());
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE doc_versions SET file_hash = @hash, file_name = @name, file_type = @type, file_size = @size WHERE id = @versionId AND status = 'draft'",
                new { hash, name, type = file.ContentType, size = (long)file.Content.Length, versionId = v!.Id }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(VersionRecordType, v.Id.ToString("D"), "file-attached", null,
                [new AuditChange("file", v.FileName is null ? null : $"{v.FileName} sha256:{v.FileHash}", $"{name} sha256:{hash}")]), ct);
            return null;
        }, ct);
    }

    /// <summary>Submit, reject, approve or publish a version. Approve needs the approver permission and a reason.</summary>
    public async Task<Outcome<DocumentView>> MoveAsync(Guid id, int version, int number, VersionTrigger trigger, MoveRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Optional("reason", request.Reason, 2000);
        var needsReason = trigger is VersionTrigger.Approve or VersionTrigger.Reject;
        if (needsReason && string.IsNullOrWhiteSpace(request.Reason))
        {
            errors.Add("reason", "Validation.Required");
        }
        if (trigger is VersionTrigger.Approve or VersionTrigger.Publish && !caller.HasPermission(DocumentPermissions.Approve))
        {
            return new Failure(FailureKind.Forbidden, text["Version.ApproverOnly"]);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await WriteAsync(id, version, async (connection, tx, doc, now) =>
        {
            var v = doc.Versions!.FirstOrDefault(x => x.Number == number);
            if (v is null)
            {
                return text.NotFound();
            }
            var from = DocumentLifecycle.ParseStatus(v.Status);
            if (DocumentLifecycle.Next(from, trigger) is not { } to)
            {
                var allowed = DocumentLifecycle.Allowed(from);
                return new Failure(FailureKind.Conflict, text["Version.NotAllowed", text[$"VersionStatus.{v.Status}"],
                    allowed.Count == 0 ? text["Version.NoMoves"] : string.Join(", ", allowed.Select(a => a.Key()))]);
            }
            if (trigger == VersionTrigger.Submit && string.IsNullOrWhiteSpace(v.Body) && v.FileHash is null)
            {
                return new Failure(FailureKind.Conflict, text["Version.Empty"]);
            }
            var reason = request.Reason?.Trim();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE doc_versions SET status = @to,
                    submitted_at = CASE WHEN @to = 'in-review' THEN @now ELSE submitted_at END,
                    approved_at = CASE WHEN @to = 'approved' THEN @now ELSE approved_at END,
                    approved_by = CASE WHEN @to = 'approved' THEN @actor ELSE approved_by END,
                    approved_by_name = CASE WHEN @to = 'approved' THEN @actorName ELSE approved_by_name END,
                    approval_reason = CASE WHEN @to = 'approved' THEN @reason ELSE approval_reason END,
                    effective_at = CASE WHEN @to = 'effective' THEN @now ELSE effective_at END
                WHERE id = @versionId AND status = @from
                """,
                new { to = to.Key(), from = from.Key(), now, actor = caller.ActorId, actorName = caller.ActorName, reason, versionId = v.Id }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(VersionRecordType, v.Id.ToString("D"), trigger.Key(), null,
                [new AuditChange("status", from.Key(), to.Key())], reason), ct);
            if (to == VersionStatus.Effective)
            {
                await PublishAsync(connection, tx, doc, v, now, reason, ct);
            }
            return null;
        }, ct);
    }

    /// <summary>The version it replaces is retained, the review clock restarts and the holders are told to read it.</summary>
    private async Task PublishAsync(DbConnection connection, DbTransaction tx, DocumentView doc, VersionView published, DateTimeOffset now, string? reason, CancellationToken ct)
    {
        foreach (var old in doc.Versions!.Where(x => x.Id != published.Id && x.Status == VersionStatus.Effective.Key()))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE doc_versions SET status = 'retained', retained_at = @now WHERE id = @id AND status = 'effective'", new { now, id = old.Id }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(VersionRecordType, old.Id.ToString("D"), VersionTrigger.Retain.Key(), null,
                [new AuditChange("status", "effective", "retained")], text["Version.RetainedBy", published.Label]), ct);
        }
        var today = DateOnly.FromDateTime(now.ToLocalTime().DateTime);
        var nextReview = today.AddMonths(doc.ReviewMonths).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE doc_documents SET next_review_on = @nextReview, reminded_for = NULL WHERE id = @id", new { nextReview, id = doc.Id }, tx, cancellationToken: ct));
        await audit.WriteAsync(connection, tx, new AuditEvent(DocumentRegister.RecordType, doc.Id.ToString("D"), "published", null,
            [new AuditChange("effectiveVersion", doc.EffectiveVersion, published.Label), new AuditChange("nextReviewOn", doc.NextReviewOn, nextReview)], reason), ct);
        var holders = doc.Holders?.Select(h => h.UserId).ToList() ?? [];
        if (holders.Count > 0)
        {
            await notifier.NotifyAsync(new Notification(DocumentTemplates.Published, holders,
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["code"] = doc.Code, ["titleEn"] = doc.TitleEn, ["titleZh"] = doc.TitleZh, ["label"] = published.Label,
                }, $"/documents/{doc.Code}", DocumentRegister.RecordType, doc.Id.ToString("D")), connection, tx, ct);
        }
    }

    private Failure? Editable(DocumentView doc, int number, out VersionView? version)
    {
        version = doc.Versions!.FirstOrDefault(x => x.Number == number);
        if (version is null)
        {
            return text.NotFound();
        }
        var status = DocumentLifecycle.ParseStatus(version.Status);
        return DocumentLifecycle.IsEditable(status)
            ? null
            : new Failure(FailureKind.Conflict, text["Version.Immutable", version.Label, text[$"VersionStatus.{version.Status}"]]);
    }

    /// <summary>Loads the document under its version check, runs the step, bumps the document's version and returns it fresh.</summary>
    internal async Task<Outcome<DocumentView>> WriteAsync(
        Guid id, int version, Func<DbConnection, DbTransaction, DocumentView, DateTimeOffset, Task<Failure?>> step, CancellationToken ct)
    {
        try
        {
            return await database.WriteAsync<Outcome<DocumentView>>(async (connection, tx) =>
            {
                var doc = await register.LoadAsync(connection, tx, id, full: true, ct);
                if (doc is null)
                {
                    return text.NotFound();
                }
                if (doc.Version != version)
                {
                    return text.Stale();
                }
                var now = clock.GetUtcNow();
                // Claim the document first: a concurrent writer with the same version finds nothing to update and fails stale.
                var claimed = await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE doc_documents SET updated_at = @now, version = version + 1 WHERE id = @id AND version = @version",
                    new { now, id, version }, tx, cancellationToken: ct));
                if (claimed == 0)
                {
                    return text.Stale();
                }
                if (await step(connection, tx, doc, now) is { } failure)
                {
                    // The version bump is already written: throwing rolls it back with everything else.
                    throw new RefusedWrite(failure);
                }
                return (await register.LoadAsync(connection, tx, id, full: true, ct))!;
            }, ct);
        }
        catch (RefusedWrite refused)
        {
            return refused.Failure;
        }
    }

}
