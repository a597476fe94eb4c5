using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Domain;
using Certus.Kernel.Errors;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace Certus.Identity.Features;

/// <summary>
/// What an administrator does for a user who is stuck: set a new password, lift a lockout, or turn off
/// two-step verification after a lost phone. Each is audited with the administrator's reason.
/// </summary>
public sealed class AdministerAccount(Database database, AuditTrail audit, UserManager<CertusUser> users, GetUser visible, Texts<Strings> text)
{
    public sealed record PasswordRequest(string? Password, string? Reason);

    public sealed record ReasonRequest(string? Reason);

    public async Task<Outcome<bool>> SetPasswordAsync(Guid id, PasswordRequest request, CancellationToken ct = default)
    {
        if (await FindAsync(id, ct) is not { } user)
        {
            return text.NotFound();
        }
        var errors = text.Errors().Optional("reason", request.Reason, 500);
        await UserRules.CheckPasswordAsync(errors, users, user, request.Password);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        await PasswordWriter.SetAsync(database, audit, users, user, request.Password!, "password-reset", request.Reason, ct);
        return true;
    }

    public async Task<Outcome<bool>> UnlockAsync(Guid id, ReasonRequest request, CancellationToken ct = default)
    {
        if (await FindAsync(id, ct) is not { } user)
        {
            return text.NotFound();
        }
        return await database.WriteAsync<Outcome<bool>>(async (connection, tx) =>
        {
            await connection.ExecuteAsync("UPDATE idn_users SET access_failed_count = 0, lockout_end = NULL WHERE id = @Id", user, tx);
            await audit.WriteAsync(connection, tx, new AuditEvent(AuditRecordTypes.User, id.ToString("D"), "unlocked", user.OrganisationId,
                [new AuditChange("lockoutEnd", user.LockoutEnd is { } end ? DapperSetup.FormatTimestamp(end) : null, null)], request.Reason));
            return true;
        }, ct);
    }

    public async Task<Outcome<bool>> ResetTwoFactorAsync(Guid id, ReasonRequest request, CancellationToken ct = default)
    {
        if (await FindAsync(id, ct) is not { } user)
        {
            return text.NotFound();
        }
        return await database.WriteAsync<Outcome<bool>>(async (connection, tx) =>
        {
            await connection.ExecuteAsync(
                "UPDATE idn_users SET two_factor_enabled = @off, authenticator_key = NULL, security_stamp = @stamp WHERE id = @Id",
                new { off = false, stamp = Guid.NewGuid().ToString("N"), user.Id }, tx);
            await audit.WriteAsync(connection, tx, new AuditEvent(AuditRecordTypes.User, id.ToString("D"), "two-factor-reset", user.OrganisationId,
                [new AuditChange("twoFactorEnabled", user.TwoFactorEnabled ? "True" : "False", "False")], request.Reason));
            return true;
        }, ct);
    }

    // Only users the caller may see can be administered: another organisation's user does not exist for them.
    private async Task<CertusUser?> FindAsync(Guid id, CancellationToken ct) =>
        await visible.HandleAsync(id, ct) is null ? null : await users.FindByIdAsync(id.ToString("D"));
}
