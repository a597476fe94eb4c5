using Certus.Data;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Identity.Features;

/// <summary>The caller's personal access tokens, newest first.</summary>
public sealed class ListPersonalAccessTokens(Database database, ICurrentUser caller)
{
    public async Task<IReadOnlyList<TokenView>> HandleAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<TokenView>(new CommandDefinition(
            """
            SELECT id, name, created_at, expires_at, revoked_at, last_used_at FROM idn_tokens
            WHERE user_id = @userId AND kind = 'personal' ORDER BY created_at DESC
            """, new { userId = caller.UserId }, cancellationToken: ct));
        return rows.ToList();
    }
}
