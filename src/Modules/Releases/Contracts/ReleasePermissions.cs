namespace Certus.Releases.Contracts;

/// <summary>Permissions of release and deployment management.</summary>
public static class ReleasePermissions
{
    /// <summary>See release policies, releases, their plans, test records and release notes (provider staff).</summary>
    public const string Read = "releases.read";

    /// <summary>Plan releases and move them through build, deployment, failure, back-out and closure; publish release notes.</summary>
    public const string Manage = "releases.manage";

    /// <summary>Record the results of release tests.</summary>
    public const string Test = "releases.test";

    /// <summary>Accept a tested release for deployment (the release policy also names the role that authorises).</summary>
    public const string Accept = "releases.accept";

    /// <summary>Define the release policy of each service.</summary>
    public const string Configure = "releases.configure";
}
