using Certus.Changes.Contracts;
using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Changes;

/// <summary>
/// Change management: requests for change of three types, risk assessment, authorisation by change advisory boards,
/// the change schedule with freeze and maintenance windows, implementation under CMDB control and the
/// post-implementation review (ISO/IEC 20000-1:2018 8.5.1; 2005 9.2; manual §8.2, §5.4.3, §6.3.5).
/// </summary>
public sealed class ChangesModule : IModule
{
    public string Name => "changes";

    public string TablePrefix => "chg_";

    public Type Strings => typeof(Strings);

    public IReadOnlyList<PermissionDefinition> Permissions { get; } =
    [
        new(ChangePermissions.Read, Roles.All),
        new(ChangePermissions.Request, Roles.All),
        new(ChangePermissions.Manage, [Roles.Administrator, Roles.ChangeManager]),
        new(ChangePermissions.Approve, [Roles.ChangeManager, Roles.CabMember]),
        new(ChangePermissions.Configure, [Roles.Administrator, Roles.ChangeManager]),
    ];

    public IReadOnlyList<MenuEntry> Menu { get; } =
    [
        new("Menu.Changes", "/changes", ChangePermissions.Read, "arrows-exchange", 20),
        new("Menu.ChangeSchedule", "/changes/schedule", ChangePermissions.Read, "calendar-event", 21),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }
}
