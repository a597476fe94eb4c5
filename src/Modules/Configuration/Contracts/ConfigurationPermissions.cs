namespace Certus.Configuration.Contracts;

/// <summary>Permissions of configuration management.</summary>
public static class ConfigurationPermissions
{
    /// <summary>See configuration items, their relationships and impact (customers: the CIs that serve their organisation).</summary>
    public const string Read = "configuration.read";

    /// <summary>Register and change configuration items and relationships, take baselines, import inventories.</summary>
    public const string Manage = "configuration.manage";

    /// <summary>Define CI classes, their attributes and naming conventions, and relationship types and rules.</summary>
    public const string Model = "configuration.model";

    /// <summary>Run configuration audits (verification against an observed inventory) and follow up their findings.</summary>
    public const string Audit = "configuration.audit";
}
