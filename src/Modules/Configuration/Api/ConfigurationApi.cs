using Certus.Configuration.Contracts;
using Certus.Configuration.Domain;
using Certus.Configuration.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Certus.Configuration.Api;

/// <summary>REST endpoints of configuration management.</summary>
internal static class ConfigurationApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        MapModel(endpoints);
        MapItems(endpoints);

        var relationships = endpoints.MapGroup("/api/v1/ci-relationships").WithTags("Configuration");
        relationships.MapPost("", async (Relationships.Request request, Relationships r, HttpContext http, CancellationToken ct) =>
                Plain(http, await r.AddAsync(request, ct), x => TypedResults.Created($"/api/v1/ci-relationships/{x.Id}", x)))
            .RequirePermission(ConfigurationPermissions.Manage)
            .WithSummary("Relate two CIs: sourceId, targetId, type (runs-on, depends-on, …); a CI in use needs changeRef.");
        relationships.MapGet("/{id:guid}", async (Guid id, Relationships r, HttpContext http, CancellationToken ct) =>
                await r.GetAsync(id, ct) is { } found ? TypedResults.Ok(found) : ApiResults.NotFound(http))
            .RequirePermission(ConfigurationPermissions.Read).WithSummary("One relationship.");
        relationships.MapDelete("/{id:guid}", async (Guid id, string? changeRef, string? reason, Relationships r, HttpContext http, CancellationToken ct) =>
                Plain(http, await r.RemoveAsync(id, changeRef, reason, ct), x => TypedResults.Ok(x)))
            .RequirePermission(ConfigurationPermissions.Manage).WithSummary("Remove a relationship; a CI in use needs ?changeRef=.");

        var baselines = endpoints.MapGroup("/api/v1/baselines").WithTags("Configuration");
        baselines.MapGet("", async (Baselines b, CancellationToken ct) => TypedResults.Ok(await b.ListAsync(ct)))
            .RequirePermission(ConfigurationPermissions.Read).WithSummary("Configuration baselines, newest first.");
        baselines.MapGet("/{id:guid}", async (Guid id, Baselines b, HttpContext http, CancellationToken ct) =>
                await b.GetAsync(id, ct) is { } found ? TypedResults.Ok(found) : ApiResults.NotFound(http))
            .RequirePermission(ConfigurationPermissions.Read).WithSummary("A baseline with every CI as it was and the relationships between them.");
        baselines.MapPost("", async (Baselines.Request request, Baselines b, HttpContext http, CancellationToken ct) =>
                Plain(http, await b.CreateAsync(request, ct), x => TypedResults.Created($"/api/v1/baselines/{x.Id}", x)))
            .RequirePermission(ConfigurationPermissions.Manage)
            .WithSummary("Take a baseline of ciIds and (includeDependencies, default true) everything they depend on.");
        baselines.MapGet("/{id:guid}/compare", async (Guid id, Guid? with, Baselines b, HttpContext http, CancellationToken ct) =>
                await b.CompareAsync(id, with, ct) is { } found ? TypedResults.Ok(found) : ApiResults.NotFound(http))
            .RequirePermission(ConfigurationPermissions.Read)
            .WithSummary("Compare a baseline with today's CMDB, or with another baseline (?with=): added, removed and changed CIs and relationships.");
    }

    private static void MapModel(IEndpointRouteBuilder endpoints)
    {
        var classes = endpoints.MapGroup("/api/v1/ci-classes").WithTags("Configuration");
        classes.MapGet("", async (CiClasses c, CancellationToken ct) => TypedResults.Ok(await c.ListAsync(ct)))
            .RequirePermission(ConfigurationPermissions.Read).WithSummary("The CI class tree with attributes (inherited ones in allAttributes) and naming conventions.");
        classes.MapGet("/{id:guid}", async (Guid id, CiClasses c, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await c.GetAsync(id, ct)))
            .RequirePermission(ConfigurationPermissions.Read).WithSummary("One CI class, with its ETag.");
        classes.MapPost("", async (CiClasses.Request request, CiClasses c, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await c.CreateAsync(request, ct), x => $"/api/v1/ci-classes/{x.Id}"))
            .RequirePermission(ConfigurationPermissions.Model).WithSummary("Define a CI class: key, parent, names, identifier prefix, naming pattern, typed attributes.");
        classes.MapPut("/{id:guid}", (Guid id, CiClasses.Request request, CiClasses c, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await c.GetAsync(id, ct) is not null, version => c.UpdateAsync(id, version, request, ct)))
            .RequirePermission(ConfigurationPermissions.Model).WithSummary("Replace a CI class's definition; send If-Match.");

        var types = endpoints.MapGroup("/api/v1/ci-relationship-types").WithTags("Configuration");
        types.MapGet("", async (RelationshipTypes t, CancellationToken ct) => TypedResults.Ok(await t.ListAsync(ct)))
            .RequirePermission(ConfigurationPermissions.Read).WithSummary("Relationship types, how failures spread along them, and the class rules.");
        types.MapGet("/{key}", async (string key, RelationshipTypes t, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await t.GetAsync(key, ct)))
            .RequirePermission(ConfigurationPermissions.Read).WithSummary("One relationship type, with its ETag.");
        types.MapPost("", async (RelationshipTypes.Request request, RelationshipTypes t, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await t.CreateAsync(request, ct), x => $"/api/v1/ci-relationship-types/{x.Key}"))
            .RequirePermission(ConfigurationPermissions.Model).WithSummary("Add a relationship type with its impact direction (source, target, both, none) and class rules.");
        types.MapPut("/{key}", (string key, RelationshipTypes.Request request, RelationshipTypes t, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await t.GetAsync(key, ct) is not null, version => t.UpdateAsync(key, version, request, ct)))
            .RequirePermission(ConfigurationPermissions.Model).WithSummary("Replace a relationship type's labels, impact and rules; send If-Match.");
    }

    private static void MapItems(IEndpointRouteBuilder endpoints)
    {
        var cis = endpoints.MapGroup("/api/v1/cis").WithTags("Configuration");
        cis.MapGet("", async ([AsParameters] ListParameters p, ConfigurationItems items, CancellationToken ct) =>
                TypedResults.Ok(await items.ListAsync(new ConfigurationItems.ListQuery(p.Class, p.Status, p.Q, p.Customer, p.Service, p.Page ?? 1, p.PageSize ?? 50), ct)))
            .RequirePermission(ConfigurationPermissions.Read)
            .WithSummary("Configuration items (customers: those serving their organisation), filtered by class (with subclasses), status, customer, service or text.");
        cis.MapGet("/suggest", async (string? q, int? limit, ConfigurationItems items, CancellationToken ct) =>
                TypedResults.Ok(await items.SuggestAsync(q, limit ?? 50, ct)))
            .RequirePermission(ConfigurationPermissions.Read)
            .WithSummary("CIs for pickers: identifier, name and class of those (not disposed or cancelled) whose identifier or name contains q.");
        cis.MapGet("/{id:guid}", async (Guid id, ConfigurationItems items, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await items.GetAsync(id, ct)))
            .RequirePermission(ConfigurationPermissions.Read).WithSummary("One CI, with its ETag.");
        cis.MapPost("", async (ConfigurationItems.Request request, ConfigurationItems items, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await items.RegisterAsync(request, ct), x => $"/api/v1/cis/{x.Id}"))
            .RequirePermission(ConfigurationPermissions.Manage)
            .WithSummary("Register a CI: name (by the class's convention), classId (id or key), attributes, status (in-use needs changeRef), …");
        cis.MapPut("/{id:guid}", (Guid id, ConfigurationItems.Request request, ConfigurationItems items, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await items.GetAsync(id, ct) is not null, version => items.UpdateAsync(id, version, request, ct)))
            .RequirePermission(ConfigurationPermissions.Manage).WithSummary("Replace a CI's details; send If-Match; a CI in use needs changeRef.");
        cis.MapPost("/{id:guid}/status", (Guid id, ConfigurationItems.StatusRequest request, ConfigurationItems items, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await items.GetAsync(id, ct) is not null, version => items.ChangeStatusAsync(id, version, request, ct)))
            .RequirePermission(ConfigurationPermissions.Manage)
            .WithSummary("Move a CI through its lifecycle (status, reason; changeRef when in use); 409 names the allowed moves; send If-Match.");
        cis.MapGet("/{id:guid}/versions", async (Guid id, ConfigurationItems items, HttpContext http, CancellationToken ct) =>
                await items.VersionsAsync(id, ct) is { } versions ? TypedResults.Ok(versions) : ApiResults.NotFound(http))
            .RequirePermission(ConfigurationPermissions.Read).WithSummary("Every state the CI has had, newest first, with who, when, why and the change.");
        cis.MapGet("/{id:guid}/versions/{version:int}", async (Guid id, int version, ConfigurationItems items, HttpContext http, CancellationToken ct) =>
                (await items.VersionsAsync(id, ct))?.FirstOrDefault(v => v.Version == version) is { } found ? TypedResults.Ok(found) : ApiResults.NotFound(http))
            .RequirePermission(ConfigurationPermissions.Read).WithSummary("The CI as it was at one version.");
        cis.MapGet("/{id:guid}/relationships", async (Guid id, DateTimeOffset? asOf, Relationships r, HttpContext http, CancellationToken ct) =>
                await r.ForCiAsync(id, asOf, ct) is { } found ? TypedResults.Ok(found) : ApiResults.NotFound(http))
            .RequirePermission(ConfigurationPermissions.Read).WithSummary("The CI's relationships, outgoing and incoming; ?asOf= shows them as they stood then.");
        cis.MapGet("/{id:guid}/relationship-history", async (Guid id, Relationships r, HttpContext http, CancellationToken ct) =>
                await r.HistoryAsync(id, ct) is { } found ? TypedResults.Ok(found) : ApiResults.NotFound(http))
            .RequirePermission(ConfigurationPermissions.Read).WithSummary("Every relationship the CI gained or lost, newest first, with who and under which change.");
        cis.MapGet("/{id:guid}/impact", async (Guid id, int? depth, ImpactAnalysis impact, HttpContext http, CancellationToken ct) =>
                await impact.HandleAsync(id, depth, WalkDirection.Impact, ct) is { } found ? TypedResults.Ok(found) : ApiResults.NotFound(http))
            .RequirePermission(ConfigurationPermissions.Read)
            .WithSummary("What fails if this CI fails (default depth 6): CIs, business services, customers with their SLAs, each with its path.");
        cis.MapGet("/{id:guid}/dependencies", async (Guid id, int? depth, ImpactAnalysis impact, HttpContext http, CancellationToken ct) =>
                await impact.HandleAsync(id, depth, WalkDirection.Dependencies, ct) is { } found ? TypedResults.Ok(found) : ApiResults.NotFound(http))
            .RequirePermission(ConfigurationPermissions.Read).WithSummary("What this CI needs to work, to the given depth, each with its path.");
        cis.MapGet("/{id:guid}/graph", async (Guid id, int? depth, ImpactAnalysis impact, HttpContext http, CancellationToken ct) =>
                await impact.NeighbourhoodAsync(id, depth, ct: ct) is { } found ? TypedResults.Ok(found) : ApiResults.NotFound(http))
            .RequirePermission(ConfigurationPermissions.Read).WithSummary("The CIs around this one (default 2 hops, any relationship) as nodes and links, for the graph view.");
    }

    /// <summary>Results of records without a version: the value, or the failure as problem details.</summary>
    private static IResult Plain<T>(HttpContext http, Outcome<T> outcome, Func<T, IResult> success) =>
        outcome.Succeeded ? success(outcome.Value!) : ApiResults.Problem(http, outcome.Failure!);

    internal sealed record ListParameters(string? Class, string? Status, string? Q, Guid? Customer, string? Service, int? Page, int? PageSize);
}
