using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Domain;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;
using Microsoft.AspNetCore.Identity;
using QRCoder;

namespace Certus.Identity.Features;

/// <summary>
/// The caller's TOTP second factor (RFC 6238, as Google Authenticator, Microsoft Authenticator and 企业微信 use):
/// set-up details, enabling after a correct code, disabling.
/// </summary>
public sealed class TwoFactor(Database database, AuditTrail audit, UserManager<CertusUser> users, ICurrentUser caller, Texts<Strings> text)
{
    public sealed record SetUp(string SharedKey, string Uri, string QrCodeDataUri, bool Enabled);

    public async Task<SetUp?> SetUpAsync()
    {
        var user = await users.FindByIdAsync(caller.UserId.ToString("D"));
        if (user is null)
        {
            return null;
        }
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            // A key to show, not yet in force: it leaves the security stamp (and so every session) alone.
            key = users.GenerateNewAuthenticatorKey();
            await using var connection = await database.OpenAsync();
            await connection.ExecuteAsync(
                "UPDATE idn_users SET authenticator_key = @key WHERE id = @Id AND authenticator_key IS NULL", new { key, user.Id });
            key = await connection.ExecuteScalarAsync<string>("SELECT authenticator_key FROM idn_users WHERE id = @Id", new { user.Id });
        }
        var uri = $"otpauth://totp/Certus:{Uri.EscapeDataString(user.Email)}?secret={key}&issuer=Certus&digits=6";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(5);
        return new SetUp(Group(key!), uri, "data:image/png;base64," + Convert.ToBase64String(png), user.TwoFactorEnabled);
    }

    public async Task<Outcome<bool>> EnableAsync(string? code, CancellationToken ct = default)
    {
        var user = await users.FindByIdAsync(caller.UserId.ToString("D"));
        if (user is null)
        {
            return text.NotFound();
        }
        var clean = code?.Replace(" ", "", StringComparison.Ordinal) ?? "";
        if (clean.Length == 0 || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, clean))
        {
            return text.Invalid(text.Errors().AddMessage("code", text["TwoFactor.CodeInvalid"]));
        }
        return await SetAsync(user, true, ct);
    }

    public async Task<Outcome<bool>> DisableAsync(CancellationToken ct = default)
    {
        var user = await users.FindByIdAsync(caller.UserId.ToString("D"));
        if (user is null)
        {
            return text.NotFound();
        }
        return await SetAsync(user, false, ct);
    }

    private Task<Outcome<bool>> SetAsync(CertusUser user, bool enabled, CancellationToken ct) =>
        database.WriteAsync<Outcome<bool>>(async (connection, tx) =>
        {
            // Turning it off also drops the key, so turning it on again starts with a new one.
            await connection.ExecuteAsync(
                $"UPDATE idn_users SET two_factor_enabled = @enabled, security_stamp = @stamp{(enabled ? "" : ", authenticator_key = NULL")} WHERE id = @Id",
                new { enabled, stamp = Guid.NewGuid().ToString("N"), user.Id }, tx);
            await audit.WriteAsync(connection, tx, new AuditEvent(AuditRecordTypes.User, user.Id.ToString("D"),
                enabled ? "two-factor-enabled" : "two-factor-disabled", user.OrganisationId,
                [new AuditChange("twoFactorEnabled", user.TwoFactorEnabled ? "True" : "False", enabled ? "True" : "False")]));
            return enabled;
        }, ct);

    private static string Group(string key) =>
        string.Join(' ', Enumerable.Range(0, (key.Length + 3) / 4).Select(i => key.Substring(i * 4, Math.Min(4, key.Length - (i * 4)))).ToArray()).ToLowerInvariant();
}
