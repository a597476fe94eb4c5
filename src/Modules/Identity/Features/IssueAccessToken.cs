using Certus.Data;
using Certus.Identity.Domain;
using Certus.Identity.Infrastructure;
using Certus.Kernel.Errors;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Certus.Identity.Features;

/// <summary>Exchanges email and password (and the authenticator code when 2FA is on) for a short-lived bearer token.</summary>
public sealed class IssueAccessToken(
    Database database,
    UserManager<CertusUser> users,
    SignInManager<CertusUser> signIn,
    Texts<Strings> text,
    TimeProvider clock,
    IOptions<IdentityModuleOptions> options)
{
    public sealed record Request(string? Email, string? Password, string? Code);

    public sealed record Response(string AccessToken, string TokenType, DateTimeOffset ExpiresAt);

    /// <summary>A refusal that maps to 401; the message never says whether the account exists.</summary>
    public sealed record Refusal(string Message, bool TwoFactorRequired, bool LockedOut);

    public async Task<(Response? Token, Refusal? Refusal, Failure? Invalid)> HandleAsync(Request request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("email", request.Email, 254).Required("password", request.Password, 1000);
        if (!errors.IsEmpty)
        {
            return (null, null, text.Invalid(errors));
        }
        var user = await users.FindByEmailAsync(request.Email!.Trim());
        if (user is null || !user.IsActive)
        {
            return (null, new Refusal(text["SignIn.Failed"], false, false), null);
        }
        var check = await signIn.CheckPasswordSignInAsync(user, request.Password!, lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            return (null, new Refusal(text["SignIn.LockedOut"], false, true), null);
        }
        if (!check.Succeeded)
        {
            return (null, new Refusal(text["SignIn.Failed"], false, false), null);
        }
        if (user.TwoFactorEnabled)
        {
            var code = request.Code?.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
            if (string.IsNullOrEmpty(code))
            {
                return (null, new Refusal(text["SignIn.CodeRequired"], true, false), null);
            }
            if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
            {
                // A wrong code counts like a wrong password, so codes cannot be guessed once the password is known.
                await users.AccessFailedAsync(user);
                return (null, new Refusal(text["SignIn.CodeRequired"], true, await users.IsLockedOutAsync(user)), null);
            }
        }

        var token = Tokens.New(Tokens.AccessPrefix);
        var now = clock.GetUtcNow();
        var expiresAt = now + options.Value.AccessTokenLifetime;
        await using var connection = await database.OpenAsync(ct);
        // Sign-in tokens that expired a day ago are of no further use; keep the table small.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idn_tokens WHERE kind = 'access' AND user_id = @userId AND expires_at < @cutoff",
            new { userId = user.Id, cutoff = now.AddDays(-1) }, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO idn_tokens (id, user_id, kind, name, token_hash, created_at, expires_at)
            VALUES (@id, @userId, 'access', 'api sign-in', @hash, @now, @expiresAt)
            """,
            new { id = Guid.CreateVersion7(), userId = user.Id, hash = Tokens.Hash(token), now, expiresAt }, cancellationToken: ct));
        return (new Response(token, "Bearer", expiresAt), null, null);
    }
}
