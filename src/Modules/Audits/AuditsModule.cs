using Certus.Audits.Api;
using Certus.Audits.Contracts;
using Certus.Audits.Features;
using Certus.Kernel.Conformity;
using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Audits;

/// <summary>
/// Internal audit and management review: the yearly audit programme, audits with their checklist, findings, report and
/// follow-up, and management reviews with inputs compiled from live data (ISO/IEC 20000-1:2018 9.2, 9.3; 2005 4.3;
/// manual §2.1.10, §2.1.11, §3.4).
/// </summary>
public sealed class AuditsModule : IModule
{
    public string Name => "audits";

    public string TablePrefix => "aud_";

    public Type Strings => typeof(Strings);

    public IReadOnlyList<PermissionDefinition> Permissions { get; } =
    [
        new(AuditPermissions.Read, [Roles.Administrator, Roles.Auditor, Roles.ManagementRepresentative]),
        new(AuditPermissions.Manage, [Roles.Administrator, Roles.Auditor, Roles.ManagementRepresentative]),
    ];

    public IReadOnlyList<MenuEntry> Menu { get; } =
    [
        new("Menu.Audits", "/audits", AuditPermissions.Read, "clipboard-check", 700, "management"),
        new("Menu.Reviews", "/management-reviews", AuditPermissions.Read, "presentation", 710, "management"),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<AuditProgrammes>();
        services.AddScoped<InternalAudits>();
        services.AddScoped<AuditReport>();
        services.AddScoped<ManagementReviews>();
        services.AddScoped<IManagementReviewInput, PreviousActionsInput>();
        services.AddScoped<IManagementReviewInput, ServiceLevelInput>();
        services.AddScoped<IManagementReviewInput, CustomerSatisfactionInput>();
        services.AddScoped<IManagementReviewInput, AuditResultsInput>();
        services.AddScoped<IManagementReviewInput, NonconformityInput>();
        services.AddScoped<IManagementReviewInput, MajorIncidentInput>();
        services.AddScoped<IManagementReviewInput, ImprovementInput>();
        services.AddScoped<IConformityCheck, InternalAuditHeldCheck>();
        services.AddScoped<IConformityCheck, ReviewAfterAuditCheck>();
        services.AddScoped<IConformityCheck, FindingsClosedWithoutCheck>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => AuditsApi.Map(endpoints);
}
