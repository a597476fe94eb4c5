using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;

namespace Certus.Identity.Features;

/// <summary>
/// Sign-ins, refused sign-ins, lockouts and sign-outs, on the page and for API tokens, written to the audit trail
/// (ISO/IEC 20000-1:2018 8.7.3 information security: who got in, who was refused, from where). Entries are of record
/// type <c>sign-in</c>, for the user's id when the account is known and otherwise for the e-mail that was tried, and
/// carry the user's organisation when known, so a customer's administrator sees their own people's. The password is
/// never written.
/// </summary>
public sealed class SignInAudit(Database database, AuditTrail audit, UserManager<CertusUser> users, IHttpContextAccessor accessor)
{
    /// <summary>How the user signed in.</summary>
    public static class Methods
    {
        public const string Page = "page";
        public const string PageWithCode = "page+code";
        public const string Token = "api-token";
        public const string TokenWithCode = "api-token+code";
    }

    /// <summary>Why a sign-in was refused.</summary>
    public static class Refusals
    {
        public const string UnknownAccount = "unknown-account";
        public const string Inactive = "inactive";
        public const string WrongPassword = "wrong-password";
        public const string LockedOut = "locked-out";
        public const string CodeRequired = "code-required";
        public const string WrongCode = "wrong-code";
    }

    /// <summary>Whether the account is locked now, read before an attempt so that a lockout the attempt causes can be told apart.</summary>
    public async Task<bool> IsLockedOutAsync(CertusUser? user) => user is not null && await users.IsLockedOutAsync(user);

    public Task SignedInAsync(CertusUser user, string method, CancellationToken ct = default) =>
        WriteAsync(user.Id.ToString("D"), "signed-in", user.OrganisationId, user.Email, method, null, new AuditActor(user.Id, user.DisplayName), ct);

    /// <summary>
    /// A refused sign-in with <paramref name="email"/> (and <paramref name="user"/> when the account exists); when the
    /// attempt locked an account that was not locked before (<paramref name="wasLockedOut"/>), the lockout too.
    /// </summary>
    public async Task RefusedAsync(string email, CertusUser? user, string method, string refusal, bool wasLockedOut, CancellationToken ct = default)
    {
        var tried = email.Trim().ToLowerInvariant();
        // Stored as entered, bounded: it is what somebody typed, not an address Certus knows.
        tried = tried.Length > 254 ? tried[..254] : tried;
        var recordId = user?.Id.ToString("D") ?? tried;
        await WriteAsync(recordId, "sign-in-refused", user?.OrganisationId, tried, method, refusal, AuditActor.Anonymous, ct);
        if (user is not null && !wasLockedOut && await users.IsLockedOutAsync(user))
        {
            var end = await users.GetLockoutEndDateAsync(user);
            await database.WriteAsync(async (connection, tx) =>
            {
                await audit.WriteAsync(connection, tx, new AuditEvent(AuditRecordTypes.SignIn, recordId, "locked-out", user.OrganisationId,
                    [
                        new AuditChange("email", null, user.Email),
                        new AuditChange("lockoutEnd", null, end is { } e ? DapperSetup.FormatTimestamp(e) : null),
                    ]), AuditActor.Anonymous, ct);
                return 0;
            }, ct);
        }
    }

    public Task SignedOutAsync(CertusUser user, CancellationToken ct = default) =>
        WriteAsync(user.Id.ToString("D"), "signed-out", user.OrganisationId, user.Email, Methods.Page, null, new AuditActor(user.Id, user.DisplayName), ct);

    private async Task WriteAsync(string recordId, string action, Guid? organisationId, string email, string method, string? refusal, AuditActor actor, CancellationToken ct)
    {
        var changes = new List<AuditChange> { new("email", null, email), new("method", null, method) };
        if (refusal is not null)
        {
            changes.Add(new AuditChange("refusal", null, refusal));
        }
        if (accessor.HttpContext?.Connection.RemoteIpAddress is { } address)
        {
            changes.Add(new AuditChange("address", null, address.ToString()));
        }
        await database.WriteAsync(async (connection, tx) =>
        {
            await audit.WriteAsync(connection, tx, new AuditEvent(AuditRecordTypes.SignIn, recordId, action, organisationId, changes), actor, ct);
            return 0;
        }, ct);
    }
}
