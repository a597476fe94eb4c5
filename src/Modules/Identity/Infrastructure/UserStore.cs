using Certus.Data;
using Certus.Identity.Domain;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace Certus.Identity.Infrastructure;

/// <summary>
/// ASP.NET Core Identity's view of <c>idn_users</c>, over Dapper. Identity uses it for sign-in, lockout,
/// password and authenticator state; users themselves are created and edited by the CreateUser and
/// UpdateUser use cases, which write the audit trail.
/// </summary>
internal sealed class UserStore(Database database) :
    IUserPasswordStore<CertusUser>,
    IUserEmailStore<CertusUser>,
    IUserSecurityStampStore<CertusUser>,
    IUserLockoutStore<CertusUser>,
    IUserTwoFactorStore<CertusUser>,
    IUserAuthenticatorKeyStore<CertusUser>
{
    internal const string SelectUser = "SELECT * FROM idn_users";

    public async Task<CertusUser?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(userId, out var id))
        {
            return null;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CertusUser>(
            new CommandDefinition($"{SelectUser} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public Task<CertusUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        FindByEmailAsync(normalizedUserName, cancellationToken);

    public async Task<CertusUser?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CertusUser>(new CommandDefinition(
            $"{SelectUser} WHERE normalized_email = @normalizedEmail", new { normalizedEmail }, cancellationToken: cancellationToken));
    }

    public Task<IdentityResult> CreateAsync(CertusUser user, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Users are created by the CreateUser use case, which writes their roles and audit entry too.");

    public Task<IdentityResult> DeleteAsync(CertusUser user, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Users are deactivated, never deleted: records keep referring to them.");

    /// <summary>
    /// Persists the sign-in state Identity manages (lockout, a reset of the failure count), never from a stale
    /// copy: the failure count is incremented in the database itself, and the password, security stamp, second
    /// factor and authenticator key are written only by Certus's own use cases, each in its own transaction.
    /// A lockout is only ever set here (a stale copy must not lift one); lifting it is the administrator's
    /// UnlockUser, or time.
    /// The record's version is left alone.
    /// </summary>
    public async Task<IdentityResult> UpdateAsync(CertusUser user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE idn_users SET lockout_end = COALESCE(@LockoutEnd, lockout_end),
                access_failed_count = CASE WHEN @AccessFailedCount = 0 THEN 0 ELSE access_failed_count END
            WHERE id = @Id
            """, new { user.Id, user.LockoutEnd, user.AccessFailedCount }, cancellationToken: cancellationToken));
        return IdentityResult.Success;
    }

    public Task<string> GetUserIdAsync(CertusUser user, CancellationToken cancellationToken) => Task.FromResult(user.Id.ToString("D"));

    public Task<string?> GetUserNameAsync(CertusUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task SetUserNameAsync(CertusUser user, string? userName, CancellationToken cancellationToken)
    {
        user.Email = userName ?? user.Email;
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(CertusUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedUserNameAsync(CertusUser user, string? normalizedName, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedName ?? user.NormalizedEmail;
        return Task.CompletedTask;
    }

    public Task SetPasswordHashAsync(CertusUser user, string? passwordHash, CancellationToken cancellationToken)
    {
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(CertusUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task<bool> HasPasswordAsync(CertusUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task SetEmailAsync(CertusUser user, string? email, CancellationToken cancellationToken)
    {
        user.Email = email ?? user.Email;
        return Task.CompletedTask;
    }

    public Task<string?> GetEmailAsync(CertusUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    // Accounts are created by an administrator, who vouches for the address.
    public Task<bool> GetEmailConfirmedAsync(CertusUser user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetEmailConfirmedAsync(CertusUser user, bool confirmed, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<string?> GetNormalizedEmailAsync(CertusUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedEmailAsync(CertusUser user, string? normalizedEmail, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedEmail ?? user.NormalizedEmail;
        return Task.CompletedTask;
    }

    public Task SetSecurityStampAsync(CertusUser user, string stamp, CancellationToken cancellationToken)
    {
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(CertusUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(CertusUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);

    public Task SetLockoutEndDateAsync(CertusUser user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        user.LockoutEnd = lockoutEnd;
        return Task.CompletedTask;
    }

    /// <summary>Counted in the database, so attempts sent in parallel cannot each see the same old count.</summary>
    public async Task<int> IncrementAccessFailedCountAsync(CertusUser user, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        user.AccessFailedCount = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "UPDATE idn_users SET access_failed_count = access_failed_count + 1 WHERE id = @Id RETURNING access_failed_count",
            new { user.Id }, cancellationToken: cancellationToken));
        return user.AccessFailedCount;
    }

    public Task ResetAccessFailedCountAsync(CertusUser user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(CertusUser user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    // Lockout applies to everyone, administrators included.
    public Task<bool> GetLockoutEnabledAsync(CertusUser user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetLockoutEnabledAsync(CertusUser user, bool enabled, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SetTwoFactorEnabledAsync(CertusUser user, bool enabled, CancellationToken cancellationToken)
    {
        user.TwoFactorEnabled = enabled;
        return Task.CompletedTask;
    }

    public Task<bool> GetTwoFactorEnabledAsync(CertusUser user, CancellationToken cancellationToken) => Task.FromResult(user.TwoFactorEnabled);

    public Task SetAuthenticatorKeyAsync(CertusUser user, string key, CancellationToken cancellationToken)
    {
        user.AuthenticatorKey = key;
        return Task.CompletedTask;
    }

    public Task<string?> GetAuthenticatorKeyAsync(CertusUser user, CancellationToken cancellationToken) => Task.FromResult(user.AuthenticatorKey);

    public void Dispose()
    {
    }
}
