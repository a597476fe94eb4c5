using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Identity.Features;

/// <summary>Revokes one of the caller's own personal access tokens; it stops working at once.</summary>
public sealed class RevokePersonalAccessToken(Database database, AuditTrail audit, ICurrentUser caller, Texts<Strings> text, TimeProvider clock)
{
    public async Task<Outcome<TokenView>> HandleAsync(Guid id, CancellationToken ct = default) =>
        await database.WriteAsync<Outcome<TokenView>>(async (connection, tx) =>
        {
            var token = await connection.QuerySingleOrDefaultAsync<TokenView>(
                "SELECT id, name, created_at, expires_at, revoked_at, last_used_at FROM idn_tokens WHERE id = @id AND user_id = @userId AND kind = 'personal'",
                new { id, userId = caller.UserId }, tx);
            if (token is null)
            {
                return text.NotFound();
            }
            if (token.RevokedAt is not null)
            {
                return token;
            }
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync("UPDATE idn_tokens SET revoked_at = @now WHERE id = @id", new { now, id }, tx);
            await audit.WriteAsync(connection, tx, new AuditEvent(AuditRecordTypes.Token, id.ToString("D"), "revoked", caller.OrganisationId,
                [new AuditChange("revokedAt", null, Certus.Data.DapperSetup.FormatTimestamp(now))]));
            return new TokenView
            {
                Id = token.Id, Name = token.Name, CreatedAt = token.CreatedAt, ExpiresAt = token.ExpiresAt, RevokedAt = now, LastUsedAt = token.LastUsedAt,
            };
        }, ct);
}
