namespace Certus.ServiceLevels.Contracts;

/// <summary>Permissions of the service portfolio and service level management.</summary>
public static class ServiceLevelPermissions
{
    /// <summary>See the service catalogue (customers: the services their organisation takes).</summary>
    public const string Catalogue = "services.read";

    /// <summary>Maintain services, their customers and owners (the service portfolio).</summary>
    public const string Portfolio = "services.manage";

    /// <summary>See agreements, service projects, SLA clocks and attainment (customers: their own).</summary>
    public const string Read = "service-levels.read";

    /// <summary>Draft and change agreements, calendars, escalation rules and service projects.</summary>
    public const string Manage = "service-levels.manage";

    /// <summary>Approve an agreement version so that it takes effect.</summary>
    public const string Approve = "service-levels.approve";
}
