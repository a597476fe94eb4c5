namespace Certus.Kernel.Security;

/// <summary>A permission a module defines, and the default roles granted it.</summary>
/// <param name="Key">Dotted key such as <c>incidents.write</c>.</param>
/// <param name="GrantedTo">Role keys that hold the permission by default.</param>
public sealed record PermissionDefinition(string Key, IReadOnlyList<string> GrantedTo);

/// <summary>The default roles of an ISO 20000 service provider (manual §1.3; docs/iso20000.md).</summary>
public static class Roles
{
    public const string Administrator = "administrator";
    public const string ServiceDeskAgent = "service-desk-agent";
    public const string Technician = "technician";
    public const string ProblemManager = "problem-manager";
    public const string ChangeManager = "change-manager";
    public const string CabMember = "cab-member";
    public const string ConfigurationManager = "configuration-manager";
    public const string ServiceLevelManager = "service-level-manager";
    public const string Auditor = "auditor";
    public const string ManagementRepresentative = "management-representative";
    public const string CustomerUser = "customer-user";

    /// <summary>Every role, in the order the UI lists them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Administrator, ServiceDeskAgent, Technician, ProblemManager, ChangeManager, CabMember,
        ConfigurationManager, ServiceLevelManager, Auditor, ManagementRepresentative, CustomerUser,
    ];

    /// <summary>Roles a user of a customer organisation may hold; provider roles stay with the provider.</summary>
    public static readonly IReadOnlyList<string> ForCustomers = [CustomerUser];

    /// <summary>Every role of the provider's staff.</summary>
    public static readonly IReadOnlyList<string> Staff = All.Where(r => r != CustomerUser).ToArray();

    public static bool IsKnown(string key) => All.Contains(key, StringComparer.Ordinal);
}

/// <summary>Permissions of the platform itself.</summary>
public static class PlatformPermissions
{
    public const string OrganisationsRead = "organisations.read";
    public const string OrganisationsManage = "organisations.manage";
    public const string UsersRead = "users.read";
    public const string UsersManage = "users.manage";
    public const string AuditRead = "audit.read";
    public const string SystemMonitor = "system.monitor";
}
