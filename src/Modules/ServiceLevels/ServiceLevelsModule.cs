using Certus.Incidents.Contracts;
using Certus.Kernel.Conformity;
using Certus.Kernel.Events;
using Certus.Kernel.Lookups;
using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Api;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Domain;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Certus.ServiceLevels;

/// <summary>
/// Service portfolio, service projects and service level management: calendars, agreements, SLA clocks,
/// escalation and attainment (ISO/IEC 20000-1:2018 8.2, 8.3.3; 2005 6.1; manual §2.1.4.1).
/// </summary>
public sealed class ServiceLevelsModule : IModule
{
    public string Name => "service-levels";

    public string TablePrefix => "sla_";

    public Type Strings => typeof(Strings);

    public IReadOnlyList<PermissionDefinition> Permissions { get; } =
    [
        new(ServiceLevelPermissions.Catalogue, Roles.All),
        new(ServiceLevelPermissions.Portfolio, [Roles.Administrator, Roles.ServiceLevelManager]),
        new(ServiceLevelPermissions.Read, Roles.All),
        new(ServiceLevelPermissions.Manage, [Roles.Administrator, Roles.ServiceLevelManager]),
        new(ServiceLevelPermissions.Approve, [Roles.Administrator, Roles.ServiceLevelManager, Roles.ManagementRepresentative]),
    ];

    public IReadOnlyList<MenuEntry> Menu { get; } =
    [
        new("Menu.Services", "/services", ServiceLevelPermissions.Catalogue, "building-store", 40),
        new("Menu.Agreements", "/service-levels/agreements", ServiceLevelPermissions.Read, "file-certificate", 600, "management"),
        new("Menu.Attainment", "/service-levels/attainment", ServiceLevelPermissions.Read, "chart-bar", 605, "management"),
        new("Menu.Calendars", "/service-levels/calendars", ServiceLevelPermissions.Read, "calendar-time", 610, "management"),
        new("Menu.Projects", "/service-levels/projects", ServiceLevelPermissions.Read, "briefcase", 615, "management"),
        new("Menu.EscalationRules", "/service-levels/escalation-rules", ServiceLevelPermissions.Manage, "arrow-big-up-lines", 620, "management"),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ClockCalendars>();
        services.AddScoped<IDomainEventHandler<CalendarChanged>, ReplanOnCalendarChange>();
        services.AddScoped<ServicePortfolio>();
        services.AddScoped<IServiceLookup, ServiceLookup>();
        services.AddScoped<IServiceLevelFigures, ServiceLevelFigures>();
        services.AddScoped<IAgreementLookup, AgreementLookup>();
        services.AddScoped<BreachList>();
        services.AddScoped<ServiceProjects>();
        services.AddScoped<Agreements>();
        services.AddScoped<EscalationRules>();
        services.AddScoped<SlaAttainment>();
        services.AddScoped<IConformityCheck, LiveServicesHaveAgreementCheck>();
        services.AddScoped<IConformityCheck, SlaAttainmentCheck>();
        services.AddScoped<IObjectiveMeasure, AttainmentMeasure>();
        services.AddScoped<IObjectiveMeasure, BreachesMeasure>();
        services.AddScoped<IncidentSla>();
        services.AddScoped<IIncidentSla>(sp => sp.GetRequiredService<IncidentSla>());
        services.AddScoped<IDomainEventHandler<IncidentChanged>, KeepClocks>();
        services.AddScoped<Escalate>();
        services.AddScoped<ReplanClocks>();
        services.AddSingleton<EvaluateClocks>();
        AddCalendars(services);
        SlaTemplates.Register(services);

        var evaluateEvery = configuration.GetValue("Certus:ServiceLevels:EvaluateEvery", TimeSpan.FromSeconds(30));
        services.AddQuartz(q =>
        {
            q.AddJob<EvaluateClocksJob>(j => j.WithIdentity(EvaluateClocksJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(EvaluateClocksJob.Key).WithIdentity("evaluate-clocks", "service-levels").StartNow()
                .WithSimpleSchedule(s => s.WithInterval(evaluateEvery).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        CalendarsApi.Map(endpoints);
        ServiceLevelsApi.Map(endpoints);
    }

    private static void AddCalendars(IServiceCollection services)
    {
        services.AddSingleton<CalendarCache>();
        services.AddScoped<CalendarQueries>();
        services.AddScoped<CreateCalendar>();
        services.AddScoped<UpdateCalendar>();
        services.AddScoped<ImportChineseHolidays>();
        services.AddScoped<CalendarArithmetic>();
        services.AddScoped<SeedCalendars>();
        services.AddScoped<IStartupSeed>(sp => sp.GetRequiredService<SeedCalendars>());
    }
}
