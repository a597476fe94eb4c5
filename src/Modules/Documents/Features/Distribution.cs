using Certus.Data;
using Certus.Data.Audit;
using Certus.Documents.Domain;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Documents.Features;

/// <summary>
/// Distribution of a document to named holders and their read acknowledgement of the effective version
/// (manual §1.4.2, §1.4.4.2, §1.4.5: holders learn and follow the document; a new edition goes to every holder).
/// </summary>
public sealed class Distribution(Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, DocumentRegister register, Texts<Strings> text, TimeProvider clock)
{
    public sealed record HolderRequest(Guid? UserId);

    public async Task<Outcome<DocumentView>> AddHolderAsync(Guid id, HolderRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors();
        var user = request.UserId is { } u ? await directory.FindUserAsync(u, ct) : null;
        if (request.UserId is null)
        {
            errors.Add("userId", "Validation.Required");
        }
        else if (user is null || !user.IsActive || await directory.FindOrganisationAsync(user.OrganisationId, ct) is not { Kind: OrganisationKind.Provider })
        {
            // Documents are the provider's; a customer's user cannot hold one.
            errors.AddMessage("userId", text["Holder.StaffOnly"]);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<DocumentView>>(async (connection, tx) =>
        {
            if (await register.LoadAsync(connection, tx, id, full: false, ct) is not { } doc)
            {
                return text.NotFound();
            }
            var added = await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO doc_holders (document_id, user_id, added_at) VALUES (@id, @user, @now) ON CONFLICT (document_id, user_id) DO NOTHING",
                new { id, user = user!.Id, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            if (added > 0)
            {
                await audit.WriteAsync(connection, tx, new AuditEvent(DocumentRegister.RecordType, id.ToString("D"), "holder-added", null,
                    [new AuditChange("holder", null, user.DisplayName)]), ct);
            }
            return (await register.LoadAsync(connection, tx, doc.Id, full: true, ct))!;
        }, ct);
    }

    public async Task<Outcome<DocumentView>> RemoveHolderAsync(Guid id, Guid userId, CancellationToken ct = default) =>
        await database.WriteAsync<Outcome<DocumentView>>(async (connection, tx) =>
        {
            if (await register.LoadAsync(connection, tx, id, full: true, ct) is not { } doc)
            {
                return text.NotFound();
            }
            if (doc.Holders!.FirstOrDefault(h => h.UserId == userId) is not { } holder)
            {
                return text.NotFound();
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM doc_holders WHERE document_id = @id AND user_id = @userId", new { id, userId }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(DocumentRegister.RecordType, id.ToString("D"), "holder-removed", null,
                [new AuditChange("holder", holder.Name, null)]), ct);
            return (await register.LoadAsync(connection, tx, id, full: true, ct))!;
        }, ct);

    /// <summary>The caller confirms having read the effective version; once per version.</summary>
    public async Task<Outcome<DocumentView>> AcknowledgeAsync(Guid id, CancellationToken ct = default) =>
        await database.WriteAsync<Outcome<DocumentView>>(async (connection, tx) =>
        {
            if (await register.LoadAsync(connection, tx, id, full: true, ct) is not { } doc)
            {
                return text.NotFound();
            }
            if (doc.Versions!.FirstOrDefault(v => v.Status == VersionStatus.Effective.Key()) is not { } effective)
            {
                return new Failure(FailureKind.Conflict, text["Holder.NothingEffective"]);
            }
            var added = await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO doc_acknowledgements (version_id, user_id, acknowledged_at) VALUES (@versionId, @user, @now) ON CONFLICT (version_id, user_id) DO NOTHING",
                new { versionId = effective.Id, user = caller.UserId, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            if (added > 0)
            {
                await audit.WriteAsync(connection, tx, new AuditEvent(DocumentWorkflow.VersionRecordType, effective.Id.ToString("D"), "acknowledged", null,
                    [new AuditChange("readBy", null, caller.ActorName)]), ct);
            }
            return (await register.LoadAsync(connection, tx, id, full: true, ct))!;
        }, ct);
}
