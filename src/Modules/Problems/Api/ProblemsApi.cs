using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Certus.Problems.Contracts;
using Certus.Problems.Domain;
using Certus.Problems.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Certus.Problems.Api;

/// <summary>REST endpoints of problem management under <c>/api/v1/problems</c> and <c>/api/v1/known-errors</c>.</summary>
internal static class ProblemsApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var problems = endpoints.MapGroup("/api/v1/problems").WithTags("Problems");
        problems.MapPost("", async (RaiseProblem.Request request, RaiseProblem raise, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await raise.CreateAsync(request, http.Request.Headers["Idempotency-Key"].ToString(), ct), p => $"/api/v1/problems/{p.Id}"))
            .RequirePermission(ProblemPermissions.Raise)
            .WithSummary("Record a problem (source incident, major-incident, trend, release, proactive or audit). Send Idempotency-Key to make a retry safe.");
        problems.MapGet("", (string? state, string? service, int? priority, bool? knownErrors, bool? mine, string? q, int? page, int? pageSize,
                    ProblemQueries queries, CancellationToken ct) =>
                queries.ListAsync(new ProblemQueries.ListQuery(state, service, priority, knownErrors ?? false, mine ?? false, q, page ?? 1, pageSize ?? 50), ct))
            .RequirePermission(ProblemPermissions.Read)
            .WithSummary("Problems: state (comma-separated, or open), service, priority, knownErrors, mine (owned by the caller), q (number or text), page, pageSize.");
        problems.MapGet("/trends", async (int? days, int? min, ProblemTrends trends, CancellationToken ct) =>
                TypedResults.Ok(await trends.FindAsync(days ?? 90, min ?? ProblemTrends.DefaultMinimum, ct)))
            .RequirePermission(ProblemPermissions.Read)
            .WithSummary("CIs and services with at least min incidents (default 3) in the last days (default 90) not linked to an open problem.");
        problems.MapGet("/{id:guid}", async (Guid id, ProblemQueries queries, HttpContext http, CancellationToken ct) =>
                ApiResults.Read(http, await queries.GetAsync(id.ToString("D"), ct)))
            .RequirePermission(ProblemPermissions.Read).WithSummary("One problem with its incidents, changes and allowed moves, and its ETag.");
        problems.MapPatch("/{id:guid}", (Guid id, RaiseProblem.Request request, RaiseProblem raise, ProblemQueries queries, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, () => queries.IsVisibleAsync(id, ct), version => raise.UpdateAsync(id, version, request, ct)))
            .RequirePermission(ProblemPermissions.Manage)
            .WithSummary("Edit a problem (fields left out keep their value); send If-Match with the ETag you read. 409 once closed or cancelled.");

        foreach (var trigger in Enum.GetValues<ProblemTrigger>())
        {
            problems.MapPost($"/{{id:guid}}/{trigger.Key()}",
                    async (Guid id, [FromBody] MoveProblem.Request? request, MoveProblem move, HttpContext http, CancellationToken ct) =>
                        ApiResults.Saved(http, await move.HandleAsync(id, trigger, request ?? new MoveProblem.Request(), ApiResults.IfMatchVersion(http), ct)))
                .RequirePermission(ProblemPermissions.Manage)
                .WithSummary($"Move the problem: {trigger.Key()}. 409 names the moves allowed from its state (also under errors.allowed); If-Match optional, 412 when stale.");
        }

        problems.MapGet("/{id:guid}/incidents", async (Guid id, ProblemQueries queries, HttpContext http, CancellationToken ct) =>
                await queries.GetAsync(id.ToString("D"), ct) is { } p ? Results.Ok(p.Incidents) : ApiResults.NotFound(http))
            .RequirePermission(ProblemPermissions.Read).WithSummary("The incidents linked to the problem, as incident management shows them now.");
        problems.MapPost("/{id:guid}/incidents", async (Guid id, ProblemLinks.IncidentRequest request, ProblemLinks links, HttpContext http, CancellationToken ct) =>
                ApiResults.Saved(http, await links.LinkIncidentAsync(id, request, ct)))
            .RequirePermission(ProblemPermissions.Raise).WithSummary("Link an incident the problem explains: {\"incident\":\"INC-000123\",\"reason\":…}.");
        problems.MapDelete("/{id:guid}/incidents/{incident}", async (Guid id, string incident, string? reason, ProblemLinks links, HttpContext http, CancellationToken ct) =>
                ApiResults.Saved(http, await links.UnlinkIncidentAsync(id, incident, reason, ct)))
            .RequirePermission(ProblemPermissions.Manage).WithSummary("Unlink an incident linked by mistake (reason in the query string).");
        problems.MapGet("/{id:guid}/changes", async (Guid id, ProblemQueries queries, HttpContext http, CancellationToken ct) =>
                await queries.GetAsync(id.ToString("D"), ct) is { } p ? Results.Ok(p.Changes) : ApiResults.NotFound(http))
            .RequirePermission(ProblemPermissions.Read).WithSummary("The changes raised from the problem or linked to it, with their state now.");
        problems.MapPost("/{id:guid}/changes", async (Guid id, ProblemLinks.ChangeRequest request, ProblemLinks links, HttpContext http, CancellationToken ct) =>
                ApiResults.Saved(http, await links.ChangeAsync(id, request, ct)))
            .RequirePermission(ProblemPermissions.Manage)
            .WithSummary("Link an existing change ({\"change\":\"CHG-000123\"}) or raise one from the problem ({\"type\",\"title\",\"reason\",\"description\"}). "
                + "A problem with a known root cause then waits for the fix (fix-pending).");

        endpoints.MapGet("/api/v1/known-errors", (string? q, string? service, string? ci, string? status, int? limit, KnownErrors known, CancellationToken ct) =>
                known.SearchAsync(new KnownErrors.Query(q, service, ci, status, limit ?? 100), ct))
            .WithTags("Problems").RequirePermission(ProblemPermissions.Read)
            .WithSummary("The known-error database: q searches title, symptoms, root cause and workaround; service, ci; status active (default), fixed or all.");
    }
}
