using System.Security.Claims;
using System.Text.Encodings.Web;
using Certus.Data;
using Certus.Identity.Contracts;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Certus.Identity.Infrastructure;

/// <summary>
/// Authenticates <c>Authorization: Bearer …</c> against <c>idn_tokens</c>. Every request reads the token's
/// row, so a revoked token or a deactivated user is refused at once on every instance.
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    Database database,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    // A token's last use is written at most this often, so that reads do not turn into writes.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(5);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var token = header["Bearer ".Length..].Trim();
        if (token.Length is < 10 or > 200)
        {
            return AuthenticateResult.Fail("Malformed token.");
        }
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(Context.RequestAborted);
        // One round trip per request: the token, its user, organisation and roles.
        var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(
            $"""
            SELECT t.id AS token_id, t.expires_at, t.revoked_at, t.last_used_at, o.kind AS organisation_kind,
                   u.id, u.organisation_id, u.email, u.display_name, u.culture, u.is_active,
                   (SELECT {database.Dialect.StringAgg("r.role")} FROM idn_user_roles r WHERE r.user_id = u.id) AS roles
            FROM idn_tokens t
            JOIN idn_users u ON u.id = t.user_id
            JOIN idn_organisations o ON o.id = u.organisation_id
            WHERE t.token_hash = @hash
            """, new { hash = Tokens.Hash(token) }, cancellationToken: Context.RequestAborted));
        if (row is null || row.RevokedAt is not null || (row.ExpiresAt is { } expires && expires <= now) || !row.IsActive)
        {
            return AuthenticateResult.Fail("Unknown, expired or revoked token.");
        }
        var roles = (row.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (row.LastUsedAt is null || now - row.LastUsedAt.Value > LastUsedResolution)
        {
            await connection.ExecuteAsync("UPDATE idn_tokens SET last_used_at = @now WHERE id = @TokenId", new { now, row.TokenId });
        }

        var identity = new ClaimsIdentity(SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, row.Id.ToString("D")));
        identity.AddClaim(new Claim(ClaimTypes.Name, row.Email));
        identity.AddClaim(new Claim(IdentityClaims.TokenId, row.TokenId.ToString("D")));
        Principals.AddCertusClaims(identity, row.OrganisationId, row.DisplayName, row.Culture, row.OrganisationKind, roles);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }

    private sealed class TokenRow
    {
        public Guid TokenId { get; init; }
        public DateTimeOffset? ExpiresAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
        public DateTimeOffset? LastUsedAt { get; init; }
        public string OrganisationKind { get; init; } = "";
        public Guid Id { get; init; }
        public Guid OrganisationId { get; init; }
        public string Email { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public string? Culture { get; init; }
        public bool IsActive { get; init; }
        public string? Roles { get; init; }
    }
}
