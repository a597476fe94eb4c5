using Certus.Improvement.Contracts;
using Certus.Improvement.Features;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Certus.Improvement.Api;

/// <summary>The nonconformity and improvement registers over REST.</summary>
internal static class ImprovementApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var ncs = endpoints.MapGroup("/api/v1/nonconformities").WithTags("Improvement").RequirePermission(ImprovementPermissions.Read);
        ncs.MapGet("", async (string? status, string? source, Nonconformities n, CancellationToken ct) => TypedResults.Ok(await n.ListAsync(status, source, ct: ct)))
            .WithSummary("Nonconformities, newest first; ?status= (or open-all), ?source= (manual, complaint, incident, sla-breach, audit, review).");
        ncs.MapGet("/{id:guid}", async (Guid id, Nonconformities n, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await n.GetAsync(id, ct)))
            .WithSummary("One nonconformity with its correction, root cause, action, effectiveness check and the moves possible now, with its ETag.");
        ncs.MapPost("", async (Nonconformities.Request request, Nonconformities n, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await n.CreateAsync(request, ct), x => $"/api/v1/nonconformities/{x.Id}"))
            .RequirePermission(ImprovementPermissions.Manage)
            .WithSummary("Raise a nonconformity (kind nonconformity) or a potential one for preventive action (kind potential).");
        ncs.MapPost("/{id:guid}/moves", (Guid id, Nonconformities.MoveRequest request, Nonconformities n, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await n.GetAsync(id, ct) is not null, version => n.MoveAsync(id, version, request, ct)))
            .RequirePermission(ImprovementPermissions.Manage)
            .WithSummary("Move on: analyse (rootCause, correction), plan (actionText, ownerId, dueDate), implement (implementationNote), "
                + "check-effectiveness (effective, effectivenessNote), close (only once found effective), reject (reason); send If-Match. 409 names the moves possible.");

        var imps = endpoints.MapGroup("/api/v1/improvements").WithTags("Improvement").RequirePermission(ImprovementPermissions.Read);
        imps.MapGet("", async (Improvements i, CancellationToken ct) => TypedResults.Ok(await i.ListAsync(ct)))
            .WithSummary("The improvement register: open ones first by priority.");
        imps.MapGet("/{id:guid}", async (Guid id, Improvements i, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await i.GetAsync(id, ct)))
            .WithSummary("One improvement with its evaluation, priority, owner and outcome, with its ETag.");
        imps.MapPost("", async (Improvements.Request request, Improvements i, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await i.CreateAsync(request, ct), x => $"/api/v1/improvements/{x.Id}"))
            .RequirePermission(ImprovementPermissions.Propose)
            .WithSummary("Propose an improvement.");
        imps.MapPost("/{id:guid}/moves", (Guid id, Improvements.MoveRequest request, Improvements i, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await i.GetAsync(id, ct) is not null, version => i.MoveAsync(id, version, request, ct)))
            .RequirePermission(ImprovementPermissions.Manage)
            .WithSummary("Move on: evaluate (evaluation, benefit 1-5, effort 1-5, priority), approve (ownerId, dueDate), start, complete (outcome), reject (reason); send If-Match.");
    }
}
