using System.Globalization;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Certus.ServiceLevels.Api;

/// <summary>REST endpoints of the service portfolio and service level management.</summary>
internal static class ServiceLevelsApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.MapGroup("/api/v1/services").WithTags("Service levels");
        services.MapGet("", async (string? lifecycle, ServicePortfolio portfolio, CancellationToken ct) => TypedResults.Ok(await portfolio.ListAsync(lifecycle, ct)))
            .RequirePermission(ServiceLevelPermissions.Catalogue).WithSummary("The service catalogue: every service for the provider, the services their organisation takes for a customer.");
        services.MapGet("/{id:guid}", async (Guid id, ServicePortfolio portfolio, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await portfolio.GetAsync(id, ct)))
            .RequirePermission(ServiceLevelPermissions.Catalogue).WithSummary("One service, with its ETag.");
        services.MapPost("", async (ServicePortfolio.Request request, ServicePortfolio portfolio, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await portfolio.CreateAsync(request, ct), s => $"/api/v1/services/{s.Id}"))
            .RequirePermission(ServiceLevelPermissions.Portfolio).WithSummary("Add a service to the portfolio.");
        services.MapPut("/{id:guid}", (Guid id, ServicePortfolio.Request request, ServicePortfolio portfolio, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await portfolio.GetAsync(id, ct) is not null, version => portfolio.UpdateAsync(id, version, request, ct)))
            .RequirePermission(ServiceLevelPermissions.Portfolio).WithSummary("Replace a service's details and customers; send If-Match.");

        var projects = endpoints.MapGroup("/api/v1/service-projects").WithTags("Service levels");
        projects.MapGet("", async (Guid? organisation, ServiceProjects p, CancellationToken ct) => TypedResults.Ok(await p.ListAsync(organisation, ct)))
            .RequirePermission(ServiceLevelPermissions.Read).WithSummary("Service projects (customer contracts) with their chosen processes.");
        projects.MapGet("/{id:guid}", async (Guid id, ServiceProjects p, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await p.GetAsync(id, ct)))
            .RequirePermission(ServiceLevelPermissions.Read).WithSummary("One service project, with its ETag.");
        projects.MapPost("", async (ServiceProjects.Request request, ServiceProjects p, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await p.CreateAsync(request, ct), x => $"/api/v1/service-projects/{x.Id}"))
            .RequirePermission(ServiceLevelPermissions.Manage).WithSummary("Start a service project for a customer contract, choosing its optional processes.");
        projects.MapPut("/{id:guid}", (Guid id, ServiceProjects.Request request, ServiceProjects p, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await p.GetAsync(id, ct) is not null, version => p.UpdateAsync(id, version, request, ct)))
            .RequirePermission(ServiceLevelPermissions.Manage).WithSummary("Replace a project's details and process choices; send If-Match.");

        var agreements = endpoints.MapGroup("/api/v1/agreements").WithTags("Service levels");
        agreements.MapGet("", async (string? kind, Guid? organisation, Agreements a, CancellationToken ct) => TypedResults.Ok(await a.ListAsync(kind, organisation, ct)))
            .RequirePermission(ServiceLevelPermissions.Read).WithSummary("SLAs, OLAs and underpinning contracts (customers: their own SLAs).");
        agreements.MapGet("/{id:guid}", async (Guid id, Agreements a, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await a.GetAsync(id, ct)))
            .RequirePermission(ServiceLevelPermissions.Read).WithSummary("One agreement with every version and its targets.");
        agreements.MapPost("", async (Agreements.CreateRequest request, Agreements a, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await a.CreateAsync(request, ct), x => $"/api/v1/agreements/{x.Id}"))
            .RequirePermission(ServiceLevelPermissions.Manage).WithSummary("Draft an agreement (kind sla, ola or uc) with its first version's terms.");
        agreements.MapPost("/{id:guid}/versions", (Guid id, Agreements.Terms? terms, Agreements a, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await a.GetAsync(id, ct) is not null, version => a.DraftAsync(id, version, terms, ct)))
            .RequirePermission(ServiceLevelPermissions.Manage).WithSummary("Start a new draft version (from the latest terms unless given); send If-Match.");
        agreements.MapPut("/{id:guid}/draft", (Guid id, Agreements.Terms terms, Agreements a, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await a.GetAsync(id, ct) is not null, version => a.ReviseDraftAsync(id, version, terms, ct)))
            .RequirePermission(ServiceLevelPermissions.Manage).WithSummary("Replace the draft version's terms; send If-Match.");
        agreements.MapPost("/{id:guid}/approve", (Guid id, Agreements.ApproveRequest? request, Agreements a, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await a.GetAsync(id, ct) is not null,
                    version => a.ApproveAsync(id, version, request ?? new Agreements.ApproveRequest(null, null), ct)))
            .RequirePermission(ServiceLevelPermissions.Approve).WithSummary("Approve the draft: it takes effect from effectiveFrom (default now); send If-Match.");

        var rules = endpoints.MapGroup("/api/v1/escalation-rules").WithTags("Service levels");
        rules.MapGet("", async (EscalationRules r, CancellationToken ct) => TypedResults.Ok(await r.ListAsync(ct)))
            .RequirePermission(ServiceLevelPermissions.Manage).WithSummary("Escalation rules.");
        rules.MapGet("/{id:guid}", async (Guid id, EscalationRules r, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await r.GetAsync(id, ct)))
            .RequirePermission(ServiceLevelPermissions.Manage).WithSummary("One escalation rule.");
        rules.MapPost("", async (EscalationRules.Request request, EscalationRules r, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await r.CreateAsync(request, ct), x => $"/api/v1/escalation-rules/{x.Id}"))
            .RequirePermission(ServiceLevelPermissions.Manage).WithSummary("Add a rule: at the warning level or on breach, notify, reassign or raise priority.");
        rules.MapPut("/{id:guid}", (Guid id, EscalationRules.Request request, EscalationRules r, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await r.GetAsync(id, ct) is not null, version => r.UpdateAsync(id, version, request, ct)))
            .RequirePermission(ServiceLevelPermissions.Manage).WithSummary("Replace a rule; send If-Match.");

        endpoints.MapGet("/api/v1/sla-breaches", async (DateTimeOffset? from, DateTimeOffset? to, BreachList breaches, CancellationToken ct) =>
                TypedResults.Ok(await breaches.HandleAsync(from, to, ct: ct)))
            .WithTags("Service levels")
            .RequirePermission(ServiceLevelPermissions.Read).WithSummary("SLA breaches (nonconformities) recorded in a period, newest first.");
        endpoints.MapGet("/api/v1/reports/sla-attainment",
                async (DateTimeOffset? from, DateTimeOffset? to, string? groupBy, SlaAttainment report, HttpContext http, CancellationToken ct) =>
                {
                    var outcome = await report.HandleAsync(from, to, groupBy, CultureInfo.CurrentUICulture.Name, ct);
                    return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(http, outcome.Failure!);
                })
            .WithTags("Service levels").RequirePermission(ServiceLevelPermissions.Read)
            .WithSummary("Met, breached, attainment %, mean and p90 resolution in business minutes, by service, customer or priority.");
        endpoints.MapPost("/api/v1/sla/evaluate", async (DateTimeOffset? asOf, EvaluateClocks evaluate, CancellationToken ct) =>
                TypedResults.Ok(await evaluate.RunOnceAsync(ct, asOf)))
            .WithTags("Service levels").RequirePermission(ServiceLevelPermissions.Manage)
            .WithSummary("Run the scheduled clock evaluation now (warnings, breaches, escalations, pending replans).");
    }
}
