namespace Certus.Identity;

/// <summary>Bound from <c>Certus:Auth</c>.</summary>
public sealed class IdentityModuleOptions
{
    public const string Section = "Certus:Auth";

    /// <summary>Lifetime of a token from <c>POST /api/v1/auth/token</c>.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed sign-ins before the account is locked.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in and token requests allowed per client address per minute.</summary>
    public int SignInRequestsPerMinute { get; set; } = 20;
}
