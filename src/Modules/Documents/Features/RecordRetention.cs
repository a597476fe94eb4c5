using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Documents.Contracts;
using Certus.Documents.Domain;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Documents.Features;

/// <summary>A retained version kept for its document's retention period: when that period ends and whether it has.</summary>
public sealed class RetentionRecord
{
    public Guid DocumentId { get; init; }
    public string Code { get; init; } = "";
    public string TitleEn { get; init; } = "";
    public string TitleZh { get; init; } = "";
    public string Tier { get; init; } = "";
    public Guid? OwnerId { get; init; }
    public int RetentionMonths { get; init; }
    public string? LegalHoldReason { get; init; }

    /// <summary>The document's version (its ETag), which a disposal sends back.</summary>
    public int DocumentVersion { get; init; }

    public Guid VersionId { get; init; }
    public int Number { get; init; }
    public string Label { get; init; } = "";
    public string? FileName { get; init; }
    public string? FileHash { get; init; }
    public long? FileSize { get; init; }
    public DateTimeOffset RetainedAt { get; init; }

    /// <summary>The day the retention period ends (yyyy-MM-dd); from that day the version is due for disposal.</summary>
    public string RetainUntil { get; set; } = "";

    public bool Due { get; set; }

    public bool OnLegalHold => LegalHoldReason is not null;

    public string Path => $"/documents/{Code}";

    internal string? DisposalRemindedFor { get; init; }

    public string Title(CultureInfo culture) => culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? TitleZh : TitleEn;
}

/// <summary>One line of the disposal log (销毁记录): what was destroyed, when, by whom and why. Never changed or deleted.</summary>
public sealed class DisposalView
{
    public Guid Id { get; init; }
    public Guid DocumentId { get; init; }
    public Guid VersionId { get; init; }
    public string DocumentCode { get; init; } = "";
    public string TitleEn { get; init; } = "";
    public string TitleZh { get; init; } = "";
    public string VersionLabel { get; init; } = "";
    public int VersionNumber { get; init; }
    public string? FileName { get; init; }
    public string? FileHash { get; init; }
    public long? FileSize { get; init; }

    /// <summary>False when the same file is still another record's content, so only this version's hold on it went.</summary>
    public bool FileRemoved { get; init; }

    public string BodySha256 { get; init; } = "";
    public int RetentionMonths { get; init; }
    public DateTimeOffset RetainedAt { get; init; }
    public string RetainUntil { get; init; } = "";
    public string Reason { get; init; } = "";
    public DateTimeOffset DisposedAt { get; init; }
    public Guid? DisposedBy { get; init; }
    public string DisposedByName { get; init; } = "";

    public string Title(CultureInfo culture) => culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? TitleZh : TitleEn;

    internal const string Columns =
        "id, document_id, version_id, document_code, title_en, title_zh, version_label, version_number, file_name, file_hash, file_size, file_removed, "
        + "body_sha256, retention_months, retained_at, retain_until, reason, disposed_at, disposed_by, disposed_by_name";
}

/// <summary>
/// Retention and disposal of records (ISO/IEC 20000-1:2018 7.5.3 "retention and disposition"; 2005 3.2; manual §1.4:
/// records are kept for their retention period). A retained version of a document with a retention period is due for
/// disposal once that period is over (<see cref="RetentionRule"/>). Disposal needs <see cref="DocumentPermissions.Dispose"/>,
/// a reason and an explicit confirmation; it empties the version's body, lets go of its file (removed from the blob
/// store unless another record holds the same bytes), keeps the register entry marked disposed with its checksums, and
/// writes the disposal log and the audit trail. A legal hold on the document blocks disposal.
/// </summary>
public sealed class RecordRetention(
    Database database, AuditTrail audit, ICurrentUser caller, DocumentRegister register, DocumentWorkflow workflow,
    IEnumerable<IBlobReferences> blobReferences, Texts<Strings> text, TimeProvider clock)
{
    /// <summary>Why the records are destroyed, and the caller's confirmation that they mean it.</summary>
    public sealed record DisposeRequest(string? Reason, bool? Confirm);

    /// <summary>One version to dispose of, with the document's version (ETag) the caller read.</summary>
    public sealed record DisposeItem(Guid DocumentId, int Version, int Number);

    public sealed record HoldRequest(string? Reason);

    /// <summary>Every retained version kept under a retention period, soonest due first.</summary>
    public async Task<IReadOnlyList<RetentionRecord>> RecordsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await RecordsAsync(connection, null, ct);
    }

    /// <summary>The records whose retention period is over and that are not yet disposed (those on legal hold included, marked).</summary>
    public async Task<IReadOnlyList<RetentionRecord>> DueAsync(CancellationToken ct = default) =>
        [.. (await RecordsAsync(ct)).Where(r => r.Due)];

    internal async Task<List<RetentionRecord>> RecordsAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        var rows = (await connection.QueryAsync<RetentionRecord>(new CommandDefinition(
            """
            SELECT d.id AS DocumentId, d.code, d.title_en, d.title_zh, d.tier, d.owner_id, d.retention_months, d.legal_hold_reason, d.version AS DocumentVersion,
                   v.id AS VersionId, v.number, v.label, v.file_name, v.file_hash, v.file_size, v.retained_at, v.disposal_reminded_for
            FROM doc_versions v JOIN doc_documents d ON d.id = v.document_id
            WHERE v.status = 'retained' AND v.retained_at IS NOT NULL AND d.retention_months IS NOT NULL
            """, transaction: tx, cancellationToken: ct))).ToList();
        var today = register.Today();
        foreach (var r in rows)
        {
            var until = register.RetainUntil(r.RetentionMonths, r.RetainedAt)!.Value;
            r.RetainUntil = DocumentRegister.Day(until);
            r.Due = RetentionRule.IsDue(until, today);
        }
        return [.. rows.OrderBy(r => r.RetainUntil, StringComparer.Ordinal).ThenBy(r => r.Code, StringComparer.Ordinal).ThenBy(r => r.Number)];
    }

    /// <summary>The disposal log, newest first; of one document when <paramref name="documentId"/> is given.</summary>
    public async Task<IReadOnlyList<DisposalView>> DisposalsAsync(Guid? documentId = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var filter = documentId is null ? "" : "WHERE document_id = @documentId";
        return [.. await connection.QueryAsync<DisposalView>(new CommandDefinition(
            $"SELECT {DisposalView.Columns} FROM doc_disposals {filter} ORDER BY disposed_at DESC, document_code, version_number",
            new { documentId }, cancellationToken: ct))];
    }

    /// <summary>Disposes of one retained version of a document; returns the document as it now stands.</summary>
    public async Task<Outcome<DocumentView>> DisposeAsync(Guid id, int version, int number, DisposeRequest request, CancellationToken ct = default)
    {
        var outcome = await DisposeAsync([new DisposeItem(id, version, number)], request, ct);
        return outcome.Succeeded ? (await register.GetAsync(id, ct))! : outcome.Failure!;
    }

    /// <summary>
    /// Disposes of the chosen versions together: all of them or, when one is refused (not due, on legal hold, changed
    /// meanwhile), none, with the refusal naming it.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<DisposalView>>> DisposeAsync(IReadOnlyList<DisposeItem> items, DisposeRequest request, CancellationToken ct = default)
    {
        if (!caller.HasPermission(DocumentPermissions.Dispose))
        {
            return new Failure(FailureKind.Forbidden, text["Disposal.Forbidden"]);
        }
        var errors = text.Errors().Required("reason", request.Reason, 2000);
        if (request.Confirm != true)
        {
            errors.AddMessage("confirm", text["Disposal.ConfirmRequired"]);
        }
        if (items.Count == 0)
        {
            errors.AddMessage("versions", text["Disposal.NoneChosen"]);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var reason = request.Reason!.Trim();
        try
        {
            return await database.WriteAsync<Outcome<IReadOnlyList<DisposalView>>>(async (connection, tx) =>
            {
                var now = clock.GetUtcNow();
                var ids = new List<Guid>();
                // One document at a time, in a fixed order, so two disposals never wait on each other.
                foreach (var group in items.GroupBy(i => i.DocumentId).OrderBy(g => g.Key))
                {
                    ids.AddRange(await DisposeFromAsync(connection, tx, group.Key, group.First().Version, [.. group.Select(i => i.Number).Distinct()], reason, now, ct));
                }
                IReadOnlyList<DisposalView> done = [.. await connection.QueryAsync<DisposalView>(new CommandDefinition(
                    $"SELECT {DisposalView.Columns} FROM doc_disposals WHERE {database.Dialect.In("id", "ids")} ORDER BY document_code, version_number",
                    new { ids }, tx, cancellationToken: ct))];
                return Outcome.Ok(done);
            }, ct);
        }
        catch (RefusedWrite refused)
        {
            return refused.Failure;
        }
    }

    private async Task<List<Guid>> DisposeFromAsync(
        DbConnection connection, DbTransaction tx, Guid documentId, int version, IReadOnlyList<int> numbers, string reason, DateTimeOffset now, CancellationToken ct)
    {
        var doc = await register.LoadAsync(connection, tx, documentId, full: true, ct) ?? throw new RefusedWrite(text.NotFound());
        if (doc.Version != version)
        {
            throw new RefusedWrite(text.Stale());
        }
        if (await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE doc_documents SET updated_at = @now, version = version + 1 WHERE id = @documentId AND version = @version",
                new { now, documentId, version }, tx, cancellationToken: ct)) == 0)
        {
            throw new RefusedWrite(text.Stale());
        }
        if (doc.LegalHoldReason is { } hold)
        {
            throw new RefusedWrite(new Failure(FailureKind.Conflict, text["Disposal.OnHold", doc.Code, hold]));
        }
        var today = register.Today();
        var disposed = new List<Guid>();
        foreach (var number in numbers)
        {
            var v = doc.Versions!.FirstOrDefault(x => x.Number == number) ?? throw new RefusedWrite(text.NotFound());
            if (v.Status != VersionStatus.Retained.Key())
            {
                throw new RefusedWrite(new Failure(FailureKind.Conflict, text["Disposal.NotRetained", doc.Code, v.Label, text[$"VersionStatus.{v.Status}"]]));
            }
            if (register.RetainUntil(doc.RetentionMonths, v.RetainedAt) is not { } until)
            {
                throw new RefusedWrite(new Failure(FailureKind.Conflict, text["Disposal.NoRetention", doc.Code]));
            }
            if (!RetentionRule.IsDue(until, today))
            {
                throw new RefusedWrite(new Failure(FailureKind.Conflict, text["Disposal.NotDue", doc.Code, v.Label, DocumentRegister.Day(until)]));
            }
            var bodySha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(v.Body)));
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE doc_versions SET status = 'disposed', body = '', body_sha256 = @bodySha256, disposed_at = @now, disposed_by = @actor,
                    disposed_by_name = @actorName, disposal_reason = @reason
                WHERE id = @versionId AND status = 'retained'
                """,
                new { bodySha256, now, actor = caller.ActorId, actorName = caller.ActorName, reason, versionId = v.Id }, tx, cancellationToken: ct));
            var fileRemoved = v.FileHash is { } hash && await BlobStore.ReleaseAsync(connection, tx, hash, blobReferences, ct);
            var id = Guid.NewGuid();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO doc_disposals (id, document_id, version_id, document_code, title_en, title_zh, version_label, version_number, file_name, file_hash,
                    file_size, file_removed, body_sha256, retention_months, retained_at, retain_until, reason, disposed_at, disposed_by, disposed_by_name)
                VALUES (@id, @documentId, @versionId, @code, @titleEn, @titleZh, @label, @number, @fileName, @fileHash,
                    @fileSize, @fileRemoved, @bodySha256, @months, @retainedAt, @retainUntil, @reason, @now, @actor, @actorName)
                """,
                new
                {
                    id, documentId, versionId = v.Id, code = doc.Code, titleEn = doc.TitleEn, titleZh = doc.TitleZh, label = v.Label, number = v.Number,
                    fileName = v.FileName, fileHash = v.FileHash, fileSize = v.FileSize, fileRemoved, bodySha256, months = doc.RetentionMonths!.Value,
                    retainedAt = v.RetainedAt!.Value.ToUniversalTime(), retainUntil = DocumentRegister.Day(until), reason, now, actor = caller.ActorId,
                    actorName = caller.ActorName,
                }, tx, cancellationToken: ct));
            var file = v.FileHash is null ? null : $"{v.FileName} sha256:{v.FileHash}";
            await audit.WriteAsync(connection, tx, new AuditEvent(DocumentWorkflow.VersionRecordType, v.Id.ToString("D"), VersionTrigger.Dispose.Key(), null,
            [
                new AuditChange("status", VersionStatus.Retained.Key(), VersionStatus.Disposed.Key()),
                new AuditChange("body", $"sha256:{bodySha256}", null),
                new AuditChange("file", file, file is null ? null : fileRemoved ? text["Disposal.FileRemoved"] : text["Disposal.FileShared"]),
                new AuditChange("retainUntil", DocumentRegister.Day(until), null),
            ], reason), ct);
            await audit.WriteAsync(connection, tx, new AuditEvent(DocumentRegister.RecordType, documentId.ToString("D"), "version-disposed", null,
                [new AuditChange("disposedVersion", null, v.Label)], reason), ct);
            disposed.Add(id);
        }
        return disposed;
    }

    /// <summary>Puts the document's records under legal hold: none of its versions is disposed until the hold is lifted.</summary>
    public Task<Outcome<DocumentView>> HoldAsync(Guid id, int version, HoldRequest request, CancellationToken ct = default) =>
        SetHoldAsync(id, version, request, hold: true, ct);

    /// <summary>Lifts the legal hold, with the reason it no longer applies.</summary>
    public Task<Outcome<DocumentView>> ReleaseHoldAsync(Guid id, int version, HoldRequest request, CancellationToken ct = default) =>
        SetHoldAsync(id, version, request, hold: false, ct);

    private async Task<Outcome<DocumentView>> SetHoldAsync(Guid id, int version, HoldRequest request, bool hold, CancellationToken ct)
    {
        if (!caller.HasPermission(DocumentPermissions.Dispose))
        {
            return new Failure(FailureKind.Forbidden, text["Disposal.Forbidden"]);
        }
        var errors = text.Errors().Required("reason", request.Reason, 2000);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var reason = request.Reason!.Trim();
        return await workflow.WriteAsync(id, version, async (connection, tx, doc, now) =>
        {
            if (hold == doc.OnLegalHold)
            {
                return new Failure(FailureKind.Conflict, text[hold ? "Hold.Already" : "Hold.None", doc.Code]);
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE doc_documents SET legal_hold_reason = @holdReason, legal_hold_at = @at, legal_hold_by_name = @by WHERE id = @id",
                new { holdReason = hold ? reason : null, at = hold ? now : (DateTimeOffset?)null, by = hold ? caller.ActorName : null, id }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(DocumentRegister.RecordType, id.ToString("D"), hold ? "legal-hold" : "legal-hold-lifted", null,
                [new AuditChange("legalHold", doc.LegalHoldReason, hold ? reason : null)], reason), ct);
            return null;
        }, ct);
    }
}

/// <summary>A document version holds its file until the version is disposed of.</summary>
public sealed class DocumentBlobReferences : IBlobReferences
{
    public async Task<bool> ReferencesAsync(DbConnection connection, DbTransaction transaction, string hash, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM doc_versions WHERE file_hash = @hash AND status <> 'disposed'", new { hash }, transaction, cancellationToken: ct)) > 0;
}
