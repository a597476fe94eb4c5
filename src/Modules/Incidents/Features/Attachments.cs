using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;
using Microsoft.Extensions.Options;

namespace Certus.Incidents.Features;

/// <summary>A file attached to an incident; its bytes live in the blob store, never in this row.</summary>
public sealed class AttachmentView
{
    public Guid Id { get; init; }
    public Guid IncidentId { get; init; }
    public string FileName { get; init; } = "";
    public long Size { get; init; }
    public string Sha256 { get; init; } = "";
    public bool IsPublic { get; init; }
    public string UploadedByName { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// Attaching files to incidents: screenshots, logs, configuration exports. The size is limited, only
/// document, image, log and archive types are accepted, and files are always served as downloads.
/// </summary>
public sealed class Attachments(Database database, AuditTrail audit, ICurrentUser caller, IncidentQueries queries, Texts<Strings> text,
    IOptions<IncidentOptions> options, TimeProvider clock)
{
    /// <summary>File types accepted; anything a browser could run (HTML, SVG, scripts, executables) is not.</summary>
    public static readonly IReadOnlySet<string> AllowedExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".txt", ".log", ".csv", ".json", ".xml", ".yaml", ".yml", ".cfg", ".conf", ".ini",
        ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp",
        ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".vsdx",
        ".zip", ".7z", ".gz", ".tar", ".rar", ".eml", ".msg", ".pcap", ".pcapng",
    };

    public enum Refusal
    {
        TooLarge,
        TypeNotAllowed,
    }

    public sealed record Upload(string FileName, long Length, Func<CancellationToken, Task<byte[]>> ReadAsync, bool? IsPublic = null);

    /// <summary>The attachment, or why the file was refused (413/415), or a failure (404/400).</summary>
    public async Task<(AttachmentView? Attachment, Refusal? Refused, Failure? Failure)> AddAsync(Guid incidentId, Upload upload, CancellationToken ct = default)
    {
        var incident = await queries.GetAsync(incidentId, ct);
        if (incident is null)
        {
            return (null, null, text.NotFound());
        }
        // Customers attach to their own incidents; on the provider's side only those who work incidents do.
        if (caller.IsProviderStaff && !caller.HasPermission(Contracts.IncidentPermissions.Work))
        {
            return (null, null, IncidentRules.Forbidden(text));
        }
        if (!Domain.IncidentLifecycle.IsEditable(incident.ParsedStatus))
        {
            return (null, null, IncidentRules.Finished(text, incident.Status));
        }
        var name = Path.GetFileName(upload.FileName?.Replace('\\', '/') ?? "").Trim();
        if (name.Length is 0 or > 200)
        {
            return (null, null, text.Invalid(text.Errors().Add("file", "Validation.Required")));
        }
        if (upload.Length > options.Value.MaxAttachmentBytes)
        {
            return (null, Refusal.TooLarge, null);
        }
        if (!AllowedExtensions.Contains(Path.GetExtension(name)))
        {
            return (null, Refusal.TypeNotAllowed, null);
        }
        var content = await upload.ReadAsync(ct);
        if (content.Length > options.Value.MaxAttachmentBytes)
        {
            return (null, Refusal.TooLarge, null);
        }
        var attachment = new AttachmentView
        {
            Id = Guid.CreateVersion7(),
            IncidentId = incidentId,
            FileName = name,
            Size = content.Length,
            IsPublic = !caller.IsProviderStaff || upload.IsPublic != false,
            UploadedByName = caller.DisplayName,
            CreatedAt = clock.GetUtcNow(),
        };
        var stored = await database.WriteAsync<string?>(async (connection, tx) =>
        {
            if (await AddComment.StillEditableAsync(connection, tx, incidentId, ct) is not null)
            {
                return null;
            }
            var hash = await BlobStore.PutAsync(connection, tx, content, attachment.CreatedAt, ct);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO inc_attachments (id, incident_id, file_name, size, sha256, is_public, uploaded_by, uploaded_by_name, created_at)
                VALUES (@Id, @IncidentId, @FileName, @Size, @hash, @IsPublic, @uploadedBy, @UploadedByName, @CreatedAt)
                """, new { attachment.Id, attachment.IncidentId, attachment.FileName, attachment.Size, hash, attachment.IsPublic,
                    uploadedBy = caller.ActorId, attachment.UploadedByName, attachment.CreatedAt },
                tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(IncidentAudit.RecordType, incidentId.ToString("D"), "attached", incident.OrganisationId,
                [new AuditChange("attachment", null, $"{name} ({content.Length:N0} B, sha256 {hash[..12]})")]), ct);
            return hash;
        }, ct);
        if (stored is null)
        {
            return (null, null, IncidentRules.Finished(text, "closed"));
        }
        return (new AttachmentView
        {
            Id = attachment.Id, IncidentId = incidentId, FileName = name, Size = content.Length, Sha256 = stored, IsPublic = attachment.IsPublic,
            UploadedByName = attachment.UploadedByName, CreatedAt = attachment.CreatedAt,
        }, null, null);
    }

    public async Task<IReadOnlyList<AttachmentView>> ListAsync(Guid incidentId, CancellationToken ct = default)
    {
        if (!await queries.IsVisibleAsync(incidentId, ct))
        {
            return [];
        }
        var publicOnly = caller.IsProviderStaff ? "" : "AND is_public = @yes";
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<AttachmentView>(new CommandDefinition(
            $"SELECT * FROM inc_attachments WHERE incident_id = @incidentId {publicOnly} ORDER BY created_at",
            new { incidentId, yes = true }, cancellationToken: ct))).ToList();
    }

    public async Task<(AttachmentView Attachment, byte[] Content)?> OpenAsync(Guid incidentId, Guid attachmentId, CancellationToken ct = default)
    {
        var attachment = (await ListAsync(incidentId, ct)).FirstOrDefault(a => a.Id == attachmentId);
        if (attachment is null)
        {
            return null;
        }
        var content = await BlobStore.GetAsync(database, attachment.Sha256, ct);
        return content is null ? null : (attachment, content);
    }
}

/// <summary>Incident attachments keep their file in the blob store for as long as the incident exists (they are never removed).</summary>
public sealed class AttachmentBlobReferences : IBlobReferences
{
    public async Task<bool> ReferencesAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string hash, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM inc_attachments WHERE sha256 = @hash", new { hash }, transaction, cancellationToken: ct)) > 0;
}
