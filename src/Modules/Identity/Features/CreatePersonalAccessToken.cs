using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Infrastructure;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Identity.Features;

/// <summary>Creates a named token for an integration (monitoring, scripts); the secret is shown once.</summary>
public sealed class CreatePersonalAccessToken(Database database, AuditTrail audit, ICurrentUser caller, Texts<Strings> text, TimeProvider clock)
{
    public const int MaxDays = 366;

    public sealed record Request(string? Name, int? ExpiresInDays);

    public async Task<Outcome<TokenView>> HandleAsync(Request request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("name", request.Name, 100);
        if (request.ExpiresInDays is < 1 or > MaxDays)
        {
            errors.AddMessage("expiresInDays", text["Token.ExpiryRange", MaxDays]);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var secret = Tokens.New(Tokens.PersonalPrefix);
        var now = clock.GetUtcNow();
        var view = new TokenView
        {
            Id = Guid.CreateVersion7(),
            Name = request.Name!.Trim(),
            CreatedAt = now,
            ExpiresAt = now.AddDays(request.ExpiresInDays ?? 90),
            Token = secret,
        };
        return await database.WriteAsync<Outcome<TokenView>>(async (connection, tx) =>
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO idn_tokens (id, user_id, kind, name, token_hash, created_at, expires_at)
                VALUES (@Id, @userId, 'personal', @Name, @hash, @CreatedAt, @ExpiresAt)
                """,
                new { view.Id, userId = caller.UserId, view.Name, hash = Tokens.Hash(secret), view.CreatedAt, view.ExpiresAt }, tx);
            await audit.WriteAsync(connection, tx, new AuditEvent(AuditRecordTypes.Token, view.Id.ToString("D"), "created", caller.OrganisationId,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["name"] = view.Name, ["userId"] = caller.UserId, ["expiresAt"] = view.ExpiresAt,
                })));
            return view;
        }, ct);
    }
}
