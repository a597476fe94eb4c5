using Certus.Audits.Contracts;
using Certus.Compliance.Api;
using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Kernel.Conformity;
using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Compliance;

/// <summary>
/// Live conformity with ISO/IEC 20000-1 (both editions): the clause catalogue, every module's automatic checks and the
/// document register mapped to clauses, the daily trend, the GAP analysis with its actions, the implementation
/// roadmap and the audit pack for certification (2018 clauses 4-10, especially 7.5, 9.1, 9.2, 9.3, 10; 2005 3-4); and the
/// service management policy, objectives with live measures, and the register of risks and opportunities (5.2, 6.1, 6.2).
/// </summary>
public sealed class ComplianceModule : IModule
{
    public string Name => "compliance";

    public string TablePrefix => "cmp_";

    public Type Strings => typeof(Strings);

    public IReadOnlyList<PermissionDefinition> Permissions { get; } =
    [
        new(CompliancePermissions.Read, [Roles.Administrator, Roles.ManagementRepresentative, Roles.Auditor, Roles.ChangeManager, Roles.ConfigurationManager]),
        new(CompliancePermissions.Manage, [Roles.Administrator, Roles.ManagementRepresentative]),
        new(CompliancePermissions.PlanningRead, Roles.Staff),
        new(CompliancePermissions.Approve, [Roles.Administrator, Roles.ManagementRepresentative]),
    ];

    public IReadOnlyList<MenuEntry> Menu { get; } =
    [
        new("Menu.Conformity", "/compliance", CompliancePermissions.Read, "shield-check", 710, "management"),
        new("Menu.Gap", "/compliance/gap", CompliancePermissions.Read, "list-check", 711, "management"),
        new("Menu.Roadmap", "/compliance/roadmap", CompliancePermissions.Read, "route", 712, "management"),
        new("Menu.Policy", "/compliance/policy", CompliancePermissions.PlanningRead, "flag", 713, "management"),
        new("Menu.Objectives", "/compliance/objectives", CompliancePermissions.PlanningRead, "target-arrow", 714, "management"),
        new("Menu.Risks", "/compliance/risks", CompliancePermissions.PlanningRead, "alert-octagon", 715, "management"),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ClauseCatalogue>();
        services.AddScoped<Conformity>();
        services.AddScoped<Readiness>();
        services.AddScoped<GapAnalysis>();
        services.AddScoped<Roadmap>();
        services.AddScoped<IStartupSeed>(sp => sp.GetRequiredService<Roadmap>());
        services.AddScoped<AuditPack>();
        AddPlanning(services);
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        ComplianceApi.Map(endpoints);
        PlanningApi.Map(endpoints);
    }

    /// <summary>Policy, objectives and risks (2018 5.2, 6.1, 6.2; 2005 3.1, 4.1), with their checks and management review inputs.</summary>
    private static void AddPlanning(IServiceCollection services)
    {
        services.AddScoped<ServicePolicy>();
        services.AddScoped<ObjectiveValues>();
        services.AddScoped<Objectives>();
        services.AddScoped<Risks>();
        services.AddScoped<IConformityCheck, PolicyApprovedCheck>();
        services.AddScoped<IConformityCheck, ObjectivesMonitoredCheck>();
        services.AddScoped<IConformityCheck, ObjectivesPlannedCheck>();
        services.AddScoped<IConformityCheck, RisksTreatedCheck>();
        services.AddScoped<IConformityCheck, RisksReviewedCheck>();
        services.AddScoped<IManagementReviewInput, ObjectivesReviewInput>();
        services.AddScoped<IManagementReviewInput, RisksReviewInput>();
    }
}
