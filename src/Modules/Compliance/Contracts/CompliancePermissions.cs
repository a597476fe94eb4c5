namespace Certus.Compliance.Contracts;

/// <summary>Permissions of the conformity view, the GAP analysis, the roadmap and the audit pack.</summary>
public static class CompliancePermissions
{
    /// <summary>See conformity, readiness, the GAP analysis and the roadmap, and export the audit pack.</summary>
    public const string Read = "compliance.read";

    /// <summary>Record GAP findings and actions and plan the roadmap; draft the policy, set objectives, keep the risk register.</summary>
    public const string Manage = "compliance.manage";

    /// <summary>Read the service management policy, the objectives and the risk register: every member of the provider's staff (5.2.2, 6.2.1).</summary>
    public const string PlanningRead = "compliance.planning.read";

    /// <summary>Top management's say: approve or confirm the policy, accept a high or critical risk.</summary>
    public const string Approve = "compliance.approve";
}
