namespace Certus.Compliance.Contracts;

/// <summary>Permissions of the conformity view, the GAP analysis, the roadmap and the audit pack.</summary>
public static class CompliancePermissions
{
    /// <summary>See conformity, readiness, the GAP analysis and the roadmap, and export the audit pack.</summary>
    public const string Read = "compliance.read";

    /// <summary>Record GAP findings and actions and plan the roadmap.</summary>
    public const string Manage = "compliance.manage";
}
