using Certus.Improvement.Api;
using Certus.Improvement.Contracts;
using Certus.Improvement.Features;
using Certus.Kernel.Conformity;
using Certus.Kernel.Events;
using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Improvement;

/// <summary>
/// Nonconformity and corrective action, preventive action for potential problems, and the improvement register
/// (ISO/IEC 20000-1:2018 10.1, 10.2; 2005 4.4; manual §3.4.2, §3.4.4, §3.4.5).
/// </summary>
public sealed class ImprovementModule : IModule
{
    public string Name => "improvement";

    public string TablePrefix => "imp_";

    public Type Strings => typeof(Strings);

    public IReadOnlyList<PermissionDefinition> Permissions { get; } =
    [
        new(ImprovementPermissions.Read, Roles.Staff),
        new(ImprovementPermissions.Propose, Roles.Staff),
        new(ImprovementPermissions.Manage, [Roles.Administrator, Roles.ManagementRepresentative, Roles.Auditor, Roles.ProblemManager, Roles.ServiceLevelManager]),
    ];

    public IReadOnlyList<MenuEntry> Menu { get; } =
    [
        new("Menu.Nonconformities", "/nonconformities", ImprovementPermissions.Read, "alert-triangle", 720, "management"),
        new("Menu.Improvements", "/improvements", ImprovementPermissions.Read, "bulb", 730, "management"),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<Nonconformities>();
        services.AddScoped<Improvements>();
        services.AddScoped<INonconformityRegister, NonconformityRegister>();
        services.AddScoped<IDomainEventHandler<SlaBreached>, RaiseFromSlaBreach>();
        services.AddScoped<IConformityCheck, OverdueNonconformitiesCheck>();
        services.AddSingleton<Incidents.Contracts.IIncidentPanel, Components.IncidentNonconformitiesPanel>();
        services.AddScoped<IObjectiveMeasure, NonconformitiesOnTimeMeasure>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => ImprovementApi.Map(endpoints);
}
