namespace Certus.Audits.Contracts;

/// <summary>Permissions of internal audit and management review.</summary>
public static class AuditPermissions
{
    /// <summary>See the audit programme, audits, findings, reports and management reviews.</summary>
    public const string Read = "audits.read";

    /// <summary>Plan and conduct audits, record findings and follow them up; prepare, hold and minute management reviews.</summary>
    public const string Manage = "audits.manage";
}
