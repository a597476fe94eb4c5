using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Domain;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace Certus.Identity.Features;

/// <summary>The caller changes their own password, proving the current one; other sessions are signed out.</summary>
public sealed class ChangeMyPassword(Database database, AuditTrail audit, UserManager<CertusUser> users, ICurrentUser caller, Texts<Strings> text)
{
    public sealed record Request(string? CurrentPassword, string? NewPassword);

    public async Task<Outcome<bool>> HandleAsync(Request request, CancellationToken ct = default)
    {
        var user = await users.FindByIdAsync(caller.UserId.ToString("D"));
        if (user is null)
        {
            return text.NotFound();
        }
        var errors = text.Errors();
        if (string.IsNullOrEmpty(request.CurrentPassword) || !await users.CheckPasswordAsync(user, request.CurrentPassword))
        {
            errors.AddMessage("currentPassword", text["Password.CurrentWrong"]);
        }
        await UserRules.CheckPasswordAsync(errors, users, user, request.NewPassword, "newPassword");
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        await PasswordWriter.SetAsync(database, audit, users, user, request.NewPassword!, "password-changed", null, ct);
        return true;
    }
}

/// <summary>
/// Writes a new password hash, renews the security stamp (browser sessions end at their next check), ends the
/// sign-in tokens issued for the old password, clears any lockout, and audits it; never the password itself.
/// Personal access tokens are named integrations and stay until revoked.
/// </summary>
internal static class PasswordWriter
{
    public static Task SetAsync(Database database, AuditTrail audit, UserManager<CertusUser> users, CertusUser user, string password, string action, string? reason, CancellationToken ct) =>
        database.WriteAsync(async (connection, tx) =>
        {
            await connection.ExecuteAsync(
                """
                UPDATE idn_users SET password_hash = @hash, security_stamp = @stamp, access_failed_count = 0, lockout_end = NULL
                WHERE id = @Id
                """,
                new { hash = users.PasswordHasher.HashPassword(user, password), stamp = Guid.NewGuid().ToString("N"), user.Id }, tx);
            await connection.ExecuteAsync(
                "UPDATE idn_tokens SET revoked_at = @now WHERE user_id = @Id AND kind = 'access' AND revoked_at IS NULL",
                new { now = DateTimeOffset.UtcNow, user.Id }, tx);
            await audit.WriteAsync(connection, tx, new AuditEvent(AuditRecordTypes.User, user.Id.ToString("D"), action, user.OrganisationId,
                [new AuditChange("password", "••••", "••••")], reason));
            return true;
        }, ct);
}
