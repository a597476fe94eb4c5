using Certus.Data;
using Certus.Incidents.Api;
using Certus.Incidents.Contracts;
using Certus.Incidents.Features;
using Certus.Kernel.Conformity;
using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Incidents;

/// <summary>Service desk and incident management (ISO/IEC 20000-1:2018 8.6.1; 2005 8.2; manual §7).</summary>
public sealed class IncidentsModule : IModule
{
    public string Name => "incidents";

    public string TablePrefix => "inc_";

    public Type Strings => typeof(Strings);

    public IReadOnlyList<PermissionDefinition> Permissions { get; } =
    [
        new(IncidentPermissions.Read, Roles.All),
        new(IncidentPermissions.Create, [.. IncidentRules.Workers, Roles.CustomerUser, Roles.CabMember, Roles.ConfigurationManager]),
        new(IncidentPermissions.Work, IncidentRules.Workers),
        new(IncidentPermissions.Confirm, [Roles.CustomerUser, Roles.ServiceDeskAgent, Roles.Administrator]),
        new(IncidentPermissions.Settings, [Roles.Administrator]),
    ];

    public IReadOnlyList<MenuEntry> Menu { get; } =
    [
        new("Menu.Incidents", "/incidents", IncidentPermissions.Read, "alert-triangle", 10),
        new("Menu.NewIncident", "/incidents/new", IncidentPermissions.Create, "plus", 11),
        new("Menu.IncidentSettings", "/admin/incident-settings", IncidentPermissions.Settings, "adjustments", 920, "admin"),
    ];

    public IReadOnlyList<string> HomeWidgets { get; } = ["IncidentQueueCounts"];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<IncidentOptions>(configuration.GetSection(IncidentOptions.Section));
        services.AddScoped<IHousekeeping>(sp => new IdempotencyKeyPurge(sp.GetRequiredService<Database>(), LogIncident.Keys.Table));
        services.AddScoped<IncidentQueries>();
        services.AddScoped<IMajorIncidentLog, MajorIncidentLog>();
        services.AddScoped<IIncidentRecords, IncidentRecords>();
        services.AddScoped<ICustomerSatisfaction, CustomerSatisfaction>();
        services.AddScoped<IObjectiveMeasure, SatisfactionMeasure>();
        services.AddScoped<IncidentEvents>();
        services.AddScoped<IIncidentEscalation, EscalateIncident>();
        services.AddScoped<LogIncident>();
        services.AddScoped<UpdateIncident>();
        services.AddScoped<MoveIncident>();
        services.AddScoped<AddComment>();
        services.AddScoped<LinkIncidents>();
        services.AddScoped<SimilarIncidents>();
        services.AddScoped<IncidentSettings>();
        services.AddScoped<Attachments>();
        services.AddScoped<IBlobReferences, AttachmentBlobReferences>();
        services.AddScoped<SavedFilters>();
        services.AddScoped<IConformityCheck, ClosedWithoutConfirmationCheck>();
        services.AddScoped<IObjectiveMeasure, MajorIncidentsMeasure>();
        services.AddScoped<IObjectiveMeasure, ConfirmedClosuresMeasure>();
        // At most once a minute; once across a cluster (ADR 0006).
        var closeEvery = configuration.GetSection(IncidentOptions.Section).GetValue("CheckEvery", TimeSpan.FromMinutes(10));
        services.AddRepeatingJob<CloseQuietIncidents>(CloseQuietIncidents.Job, closeEvery < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : closeEvery);
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => IncidentsApi.Map(endpoints);
}
