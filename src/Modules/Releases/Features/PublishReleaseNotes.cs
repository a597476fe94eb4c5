using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Certus.Releases.Contracts;
using Certus.Releases.Domain;
using Dapper;

namespace Certus.Releases.Features;

/// <summary>
/// Publishes a successful release's notes (manual §9.1.7): the Markdown written on the release, rendered with raw HTML
/// disabled, stamped with when and by whom. Publishing again after an edit re-stamps them; each publication is audited.
/// </summary>
public sealed class PublishReleaseNotes(Database database, AuditTrail audit, ICurrentUser caller, Texts<Strings> text, TimeProvider clock)
{
    public async Task<Outcome<ReleaseView>> HandleAsync(Guid id, int? expectedVersion, CancellationToken ct = default)
    {
        if (!caller.HasPermission(ReleasePermissions.Manage) || !caller.IsProviderStaff)
        {
            return ReleaseRules.Forbidden(text);
        }
        return await database.WriteAsync<Outcome<ReleaseView>>(async (connection, tx) =>
        {
            var release = await ReleaseRows.LoadAsync(connection, tx, id, ct);
            if (release is null)
            {
                return text.NotFound();
            }
            if (expectedVersion is { } v && v != release.Version)
            {
                return text.Stale();
            }
            if (release.ParsedState != ReleaseState.Deployed)
            {
                return new Failure(FailureKind.Conflict, text["Release.NotesNotNow", text[$"State.{release.State}"]]);
            }
            if (string.IsNullOrWhiteSpace(release.Notes))
            {
                return text.Invalid(text.Errors().Add("notes", "Validation.Required"));
            }
            var now = clock.GetUtcNow();
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE rel_releases SET notes_published_at = @now, notes_published_by = @by, updated_at = @now, version = version + 1
                WHERE id = @id AND version = @version
                """, new { id, version = release.Version, now, by = caller.ActorId }, tx, cancellationToken: ct));
            if (updated == 0)
            {
                return text.Stale();
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(ReleaseRules.RecordType, id.ToString("D"), "notes-published", null,
            [
                new AuditChange("notesPublishedAt", release.NotesPublishedAt is { } at ? DapperSetup.FormatTimestamp(at) : null, DapperSetup.FormatTimestamp(now)),
                new AuditChange("notes", null, release.Notes),
            ]), ct);
            return (await ReleaseRows.LoadAsync(connection, tx, id, ct))!;
        }, ct);
    }
}
