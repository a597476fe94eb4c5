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
    SignInAudit audit,
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
        var email = request.Email!.Trim();
        var user = await users.FindByEmailAsync(email);
        if (user is null || !user.IsActive)
        {
            await audit.RefusedAsync(email, user, SignInAudit.Methods.Token, user is null ? SignInAudit.Refusals.UnknownAccount : SignInAudit.Refusals.Inactive, false, ct);
            return (null, new Refusal(text["SignIn.Failed"], false, false), null);
        }
        var wasLockedOut = await audit.IsLockedOutAsync(user);
        var check = await signIn.CheckPasswordSignInAsync(user, request.Password!, lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            await audit.RefusedAsync(email, user, SignInAudit.Methods.Token, SignInAudit.Refusals.LockedOut, wasLockedOut, ct);
            return (null, new Refusal(text["SignIn.LockedOut"], false, true), null);
        }
        if (!check.Succeeded)
        {
            await audit.RefusedAsync(email, user, SignInAudit.Methods.Token, SignInAudit.Refusals.WrongPassword, wasLockedOut, ct);
            return (null, new Refusal(text["SignIn.Failed"], false, false), null);
        }
        var method = SignInAudit.Methods.Token;
        if (user.TwoFactorEnabled)
        {
            method = SignInAudit.Methods.TokenWithCode;
            var code = request.Code?.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
            if (string.IsNullOrEmpty(code))
            {
                await audit.RefusedAsync(email, user, method, SignInAudit.Refusals.CodeRequired, wasLockedOut, ct);
                return (null, new Refusal(text["SignIn.CodeRequired"], true, false), null);
            }
            if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
            {
                // A wrong code counts like a wrong password, so codes cannot be guessed once the password is known.
                await users.AccessFailedAsync(user);
                var lockedOut = await users.IsLockedOutAsync(user);
                await audit.RefusedAsync(email, user, method, lockedOut ? SignInAudit.Refusals.LockedOut : SignInAudit.Refusals.WrongCode, wasLockedOut, ct);
                return (null, new Refusal(text["SignIn.CodeRequired"], true, lockedOut), null);
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
        await audit.SignedInAsync(user, method, ct);
        return (new Response(token, "Bearer", expiresAt), null, null);
    }
}
