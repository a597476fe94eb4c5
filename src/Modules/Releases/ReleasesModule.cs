using Certus.Data;
using Certus.Kernel.Conformity;
using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Certus.Releases.Api;
using Certus.Releases.Contracts;
using Certus.Releases.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Releases;

/// <summary>
/// Release and deployment management: a release policy per service, releases grouping authorised changes with their
/// plan, build, test records, acceptance, deployment, back-out of failures, the CMDB update and baseline after success,
/// and release notes (ISO/IEC 20000-1:2018 8.5.3; 2005 10.1; manual §9.1).
/// </summary>
public sealed class ReleasesModule : IModule
{
    public string Name => "releases";

    public string TablePrefix => "rel_";

    public Type Strings => typeof(Strings);

    public IReadOnlyList<PermissionDefinition> Permissions { get; } =
    [
        new(ReleasePermissions.Read, Roles.Staff),
        new(ReleasePermissions.Manage, [Roles.Administrator, Roles.ChangeManager]),
        new(ReleasePermissions.Test, [Roles.Administrator, Roles.ChangeManager, Roles.Technician]),
        new(ReleasePermissions.Accept, [Roles.ChangeManager, Roles.CabMember, Roles.ServiceLevelManager, Roles.ManagementRepresentative]),
        new(ReleasePermissions.Configure, [Roles.Administrator, Roles.ChangeManager]),
    ];

    public IReadOnlyList<MenuEntry> Menu { get; } =
    [
        new("Menu.Releases", "/releases", ReleasePermissions.Read, "package", 22),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<ReleasePolicies>();
        services.AddScoped<ReleaseQueries>();
        services.AddScoped<PlanRelease>();
        services.AddScoped<IHousekeeping>(sp => new IdempotencyKeyPurge(sp.GetRequiredService<Database>(), PlanRelease.Keys.Table));
        services.AddScoped<MoveRelease>();
        services.AddScoped<PublishReleaseNotes>();
        services.AddScoped<IConformityCheck, ReleasesDeployedUnverified>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => ReleasesApi.Map(endpoints);
}
