namespace Certus.Identity.Features;

/// <summary>Record types this module writes to the audit trail.</summary>
public static class AuditRecordTypes
{
    public const string Organisation = "organisation";
    public const string User = "user";
    public const string Group = "group";
    public const string Token = "token";

    /// <summary>Sign-ins, refusals, lockouts and sign-outs (<see cref="SignInAudit"/>).</summary>
    public const string SignIn = "sign-in";
}
