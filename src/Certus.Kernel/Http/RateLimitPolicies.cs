namespace Certus.Kernel.Http;

/// <summary>Names of the rate-limiting policies the host defines.</summary>
public static class RateLimitPolicies
{
    /// <summary>Sign-in page and token endpoint: per client address.</summary>
    public const string SignIn = "sign-in";
}
