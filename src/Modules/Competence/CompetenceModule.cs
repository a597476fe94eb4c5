using Certus.Competence.Api;
using Certus.Competence.Contracts;
using Certus.Competence.Features;
using Certus.Data;
using Certus.Kernel.Conformity;
using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Competence;

/// <summary>
/// Competence, awareness and training: the competences each job role requires and who holds it, people's assessed levels,
/// courses with sessions, attendance and exams, the yearly training plan, certificates with expiry warnings, and yearly
/// performance reviews (ISO/IEC 20000-1:2018 7.2, 7.3; 2005 3.3; manual §2.3).
/// </summary>
public sealed class CompetenceModule : IModule
{
    /// <summary>
    /// Who keeps the competence records. The manual gives the work to the HR and administration department (人事行政部);
    /// Certus has no HR role, so the administrator and the management representative hold it.
    /// </summary>
    public static readonly IReadOnlyList<string> ManagerRoles = [Roles.Administrator, Roles.ManagementRepresentative];

    public string Name => "competence";

    public string TablePrefix => "cpt_";

    public Type Strings => typeof(Strings);

    public IReadOnlyList<PermissionDefinition> Permissions { get; } =
    [
        new(CompetencePermissions.Read, [Roles.Administrator, Roles.ManagementRepresentative, Roles.Auditor, Roles.ServiceLevelManager, Roles.ChangeManager,
            Roles.ProblemManager, Roles.ConfigurationManager]),
        new(CompetencePermissions.Manage, ManagerRoles),
        new(CompetencePermissions.OwnRecord, Roles.Staff),
    ];

    public IReadOnlyList<MenuEntry> Menu { get; } =
    [
        new("Menu.Competence", "/competence", CompetencePermissions.Read, "school", 720, "management"),
        new("Menu.Certificates", "/competence/certificates", CompetencePermissions.Read, "certificate", 721, "management"),
        new("Menu.Reviews", "/competence/reviews", CompetencePermissions.Read, "user-check", 722, "management"),
        new("Menu.MyRecord", "/competence/me", CompetencePermissions.OwnRecord, "id-badge-2", 723, "management"),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<CompetenceOptions>(configuration.GetSection(CompetenceOptions.Section));
        services.AddScoped<Staff>();
        services.AddScoped<Catalogue>();
        services.AddScoped<Assessments>();
        services.AddScoped<Courses>();
        services.AddScoped<Sessions>();
        services.AddScoped<TrainingPlans>();
        services.AddScoped<Certificates>();
        services.AddScoped<PerformanceReviews>();
        services.AddScoped<TrainingRecords>();
        services.AddScoped<IConformityCheck, RoleGapsCheck>();
        services.AddScoped<IConformityCheck, CertificatesExpiredCheck>();
        services.AddScoped<IConformityCheck, PerformanceReviewsCheck>();
        services.AddScoped<IConformityCheck, TrainingPlanCheck>();
        services.AddScoped<IObjectiveMeasure, TrainingPlanCompletionMeasure>();
        services.AddScoped<IObjectiveMeasure, ExamPassRateMeasure>();
        // At most once a minute; once across a cluster (ADR 0006).
        var warnEvery = configuration.GetSection(CompetenceOptions.Section).GetValue("CheckEvery", TimeSpan.FromDays(1));
        services.AddRepeatingJob<WarnExpiringCertificates>(WarnExpiringCertificates.Job, warnEvery < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : warnEvery);
        CompetenceTemplates.Register(services);
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => CompetenceApi.Map(endpoints);
}
