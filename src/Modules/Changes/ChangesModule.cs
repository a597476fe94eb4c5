using Certus.Audits.Contracts;
using Certus.Changes.Api;
using Certus.Changes.Components;
using Certus.Changes.Contracts;
using Certus.Changes.Features;
using Certus.Configuration.Contracts;
using Certus.Data;
using Certus.Incidents.Contracts;
using Certus.Kernel.Conformity;
using Certus.Kernel.Modules;
using Certus.Kernel.Notifications;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
        new(ChangePermissions.Request, Roles.Staff),
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
        services.AddScoped<ChangeQueries>();
        services.AddScoped<ChangeSettings>();
        services.AddScoped<RequestChange>();
        services.AddScoped<IHousekeeping>(sp => new IdempotencyKeyPurge(sp.GetRequiredService<Database>(), RequestChange.Keys.Table));
        services.AddScoped<MoveChange>();
        services.AddScoped<DecideChange>();
        services.AddScoped<ApprovalRounds>();
        services.AddScoped<ChangeSchedule>();
        services.AddScoped<IChangeRecords, ChangeRecords>();
        // Replaces configuration management's default, which records a change reference without checking it.
        services.Replace(ServiceDescriptor.Scoped<IChangeControl, AuthorisedChangeControl>());
        services.AddScoped<IConformityCheck, ChangesAuthorisedCheck>();
        services.AddScoped<IConformityCheck, EmergencyChangesReviewedCheck>();
        services.AddScoped<IObjectiveMeasure, ChangeSuccessMeasure>();
        services.AddScoped<IObjectiveMeasure, EmergencyShareMeasure>();
        services.AddScoped<IStartupSeed, SeedChangeSettings>();
        services.AddScoped<IManagementReviewInput, ChangeReviewInput>();
        services.AddSingleton<IIncidentPanel, IncidentChangesPanel>();
        services.AddSingleton(new NotificationTemplateDefault(ApprovalRounds.TemplateKey, "en-US",
            "Your decision is needed on {{number}}: {{title}}",
            """
            **{{requester}}** asks the {{board}} to decide on change **{{number}}** ({{type}}, risk {{risk}}):

            > {{title}}

            Planned start: {{plannedStart}}

            Open the link below, sign in, and approve or reject it with your reason.
            """));
        services.AddSingleton(new NotificationTemplateDefault(ApprovalRounds.TemplateKey, "zh-CN",
            "请审批变更 {{number}}：{{title}}",
            """
            **{{requester}}** 提请{{board}}审批变更 **{{number}}**（{{type}}，风险 {{risk}}）：

            > {{title}}

            计划开始：{{plannedStart}}

            请打开下面的链接并登录，填写理由后批准或拒绝。
            """));
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => ChangesApi.Map(endpoints);
}
