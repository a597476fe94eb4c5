using Certus.Data;
using Certus.Changes.Contracts;
using Certus.Incidents.Contracts;
using Certus.Kernel.Conformity;
using Certus.Kernel.Events;
using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Certus.Problems.Api;
using Certus.Problems.Components;
using Certus.Problems.Contracts;
using Certus.Problems.Features;
using Certus.Releases.Contracts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Problems;

/// <summary>
/// Problem management: problems and known errors, root cause analysis, the changes that remove causes, the known-error
/// database for the service desk and the analysis of incident trends (ISO/IEC 20000-1:2018 8.6.3; 2005 8.3; manual §7.1,
/// §7.2.2, §7.3, §9.1.6, §9.1.7).
/// </summary>
public sealed class ProblemsModule : IModule
{
    public string Name => "problems";

    public string TablePrefix => "prb_";

    public Type Strings => typeof(Strings);

    public IReadOnlyList<PermissionDefinition> Permissions { get; } =
    [
        new(ProblemPermissions.Read, Roles.Staff),
        new(ProblemPermissions.Raise, [Roles.Administrator, Roles.ServiceDeskAgent, Roles.Technician, Roles.ProblemManager]),
        new(ProblemPermissions.Manage, [Roles.Administrator, Roles.ProblemManager]),
    ];

    public IReadOnlyList<MenuEntry> Menu { get; } =
    [
        new("Menu.Problems", "/problems", ProblemPermissions.Read, "bug", 15),
        new("Menu.KnownErrors", "/problems/known-errors", ProblemPermissions.Read, "notebook", 16),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<ProblemQueries>();
        services.AddScoped<RaiseProblem>();
        services.AddScoped<IHousekeeping>(sp => new IdempotencyKeyPurge(sp.GetRequiredService<Database>(), RaiseProblem.Keys.Table));
        services.AddScoped<MoveProblem>();
        services.AddScoped<ProblemLinks>();
        services.AddScoped<KnownErrors>();
        services.AddScoped<ProblemTrends>();
        services.AddScoped<IDomainEventHandler<ChangeStateChanged>, ChangeOutcomes>();
        services.AddScoped<IDomainEventHandler<LatentCauseFound>, LatentCauses>();
        services.AddScoped<IConformityCheck, MajorIncidentsHaveProblemsCheck>();
        services.AddScoped<IConformityCheck, KnownErrorsAddressedCheck>();
        services.AddScoped<IConformityCheck, ResolvedVerifiedCheck>();
        services.AddScoped<IObjectiveMeasure, ResolvedWithinTargetMeasure>();
        services.AddSingleton<IIncidentPanel, IncidentProblemsPanel>();
        services.AddSingleton<Releases.Contracts.IReleasePanel, ReleaseProblemsPanel>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => ProblemsApi.Map(endpoints);
}
