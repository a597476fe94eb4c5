using Certus.Configuration.Api;
using Certus.Configuration.Components;
using Certus.Configuration.Contracts;
using Certus.Configuration.Features;
using Certus.Incidents.Contracts;
using Certus.Kernel.Conformity;
using Certus.Kernel.Lookups;
using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Certus.Configuration;

/// <summary>
/// Configuration management: the CI class model, configuration items and their lifecycle under change control,
/// relationships and impact analysis, baselines and configuration audits (ISO/IEC 20000-1:2018 8.2.6; 2005 9.1;
/// manual §8.1).
/// </summary>
public sealed class ConfigurationModule : IModule
{
    public string Name => "configuration";

    public string TablePrefix => "cmdb_";

    public Type Strings => typeof(Strings);

    public IReadOnlyList<PermissionDefinition> Permissions { get; } =
    [
        new(ConfigurationPermissions.Read, Roles.All),
        new(ConfigurationPermissions.Manage, [Roles.Administrator, Roles.ConfigurationManager]),
        new(ConfigurationPermissions.Model, [Roles.Administrator, Roles.ConfigurationManager]),
        new(ConfigurationPermissions.Audit, [Roles.Administrator, Roles.ConfigurationManager, Roles.Auditor]),
    ];

    public IReadOnlyList<MenuEntry> Menu { get; } =
    [
        new("Menu.Cmdb", "/cmdb", ConfigurationPermissions.Read, "topology-star-3", 50),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<CiClasses>();
        services.AddScoped<RelationshipTypes>();
        services.AddScoped<ConfigurationItems>();
        services.AddScoped<Relationships>();
        services.AddScoped<ImpactAnalysis>();
        services.AddScoped<Baselines>();
        services.AddScoped<ImportCis>();
        services.AddScoped<ExportCis>();
        services.AddScoped<ConfigurationAudits>();
        services.AddScoped<ConfigurationReport>();
        services.AddScoped<IConformityCheck, CisInUseHaveOwnerCheck>();
        services.AddScoped<IConformityCheck, ConfigurationAuditedCheck>();
        services.Configure<ConfigurationOptions>(configuration.GetSection(ConfigurationOptions.Section));
        services.AddSingleton<RelationshipGraph>();
        services.AddHostedService<WarmRelationshipGraph>();
        services.AddScoped<ICiLookup, CiLookup>();
        services.AddScoped<IConfigurationRecords, ConfigurationRecords>();
        services.AddSingleton<IIncidentPanel, IncidentCiImpactPanel>();
        // Change management replaces this with its own check of the change's authorisation.
        services.TryAddScoped<IChangeControl, RecordedChangeReferences>();
        services.AddScoped<SeedConfigurationModel>();
        services.AddScoped<IStartupSeed>(sp => sp.GetRequiredService<SeedConfigurationModel>());
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        ConfigurationApi.Map(endpoints);
        TransferApi.Map(endpoints);
        AuditApi.Map(endpoints);
    }
}
