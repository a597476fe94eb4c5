using Certus.Data;
using Certus.Documents.Api;
using Certus.Documents.Contracts;
using Certus.Documents.Features;
using Certus.Kernel.Conformity;
using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Documents;

/// <summary>
/// Documented information: the register of the management system's documents in four tiers, their versions through
/// draft, review, approval and effect, retained versions, distribution with read acknowledgement, review reminders and
/// file checksums (ISO/IEC 20000-1:2018 7.5; 2005 3.2; manual §1.4, §2.2).
/// </summary>
public sealed class DocumentsModule : IModule
{
    public string Name => "documents";

    public string TablePrefix => "doc_";

    public Type Strings => typeof(Strings);

    public IReadOnlyList<PermissionDefinition> Permissions { get; } =
    [
        new(DocumentPermissions.Read, Roles.Staff),
        new(DocumentPermissions.Write, [Roles.Administrator, Roles.ManagementRepresentative, Roles.ServiceLevelManager, Roles.ChangeManager,
            Roles.ConfigurationManager, Roles.ProblemManager]),
        new(DocumentPermissions.Approve, [Roles.Administrator, Roles.ManagementRepresentative]),
        new(DocumentPermissions.Dispose, [Roles.Administrator, Roles.ManagementRepresentative]),
    ];

    public IReadOnlyList<MenuEntry> Menu { get; } =
    [
        new("Menu.Documents", "/documents", DocumentPermissions.Read, "files", 700, "management"),
        new("Menu.Retention", "/documents/retention", DocumentPermissions.Read, "archive", 701, "management"),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<DocumentRegister>();
        services.AddScoped<DocumentWorkflow>();
        services.AddScoped<Distribution>();
        services.AddScoped<IDocumentEvidence, DocumentEvidenceSource>();
        services.AddScoped<RecordRetention>();
        services.AddScoped<IBlobReferences, DocumentBlobReferences>();
        services.AddScoped<IConformityCheck, DocumentsPastReviewCheck>();
        services.AddScoped<IConformityCheck, RecordsPastRetentionCheck>();
        services.AddScoped<IObjectiveMeasure, DocumentsReviewedMeasure>();
        services.AddScoped<SeedStarterDocuments>();
        services.AddScoped<IStartupSeed>(sp => sp.GetRequiredService<SeedStarterDocuments>());
        services.AddRepeatingJob<RemindReviews>(RemindReviews.Job, TimeSpan.FromHours(1));
        services.AddRepeatingJob<RemindDisposals>(RemindDisposals.Job, TimeSpan.FromHours(1));
        DocumentTemplates.Register(services);
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => DocumentsApi.Map(endpoints);
}
