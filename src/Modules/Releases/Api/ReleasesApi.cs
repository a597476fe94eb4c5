using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Certus.Releases.Contracts;
using Certus.Releases.Domain;
using Certus.Releases.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Certus.Releases.Api;

/// <summary>REST endpoints of release and deployment management.</summary>
internal static class ReleasesApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var releases = endpoints.MapGroup("/api/v1/releases").WithTags("Releases");
        releases.MapGet("", async ([AsParameters] ListParameters p, ReleaseQueries queries, CancellationToken ct) =>
                TypedResults.Ok(await queries.ListAsync(new ReleaseQueries.ListQuery(p.State, p.Service, p.Q, p.Page ?? 1, p.PageSize ?? 50), ct)))
            .RequirePermission(ReleasePermissions.Read)
            .WithSummary("Releases, newest first, filtered by state (or open), service code, or text in number, identifier, title or change number.");
        releases.MapGet("/{id:guid}", async (Guid id, ReleaseQueries queries, HttpContext http, CancellationToken ct) =>
                ApiResults.Read(http, await queries.GetAsync(id, ct)))
            .RequirePermission(ReleasePermissions.Read)
            .WithSummary("A release with its plan, changes (and what change management says of them now), CI versions, test records and notes.");
        releases.MapPost("", async (PlanRelease.CreateRequest request, PlanRelease plan, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await plan.CreateAsync(request, http.Request.Headers["Idempotency-Key"].ToString(), ct), x => $"/api/v1/releases/{x.Id}"))
            .RequirePermission(ReleasePermissions.Manage)
            .WithSummary("Plan a release under its service's release policy: serviceCode, type, title, plan fields, changes (authorised change numbers), items ({ci, versionLabel}). Send Idempotency-Key to make a retry safe.");
        releases.MapPatch("/{id:guid}", (Guid id, PlanRelease.UpdateRequest request, PlanRelease plan, ReleaseQueries queries, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, () => queries.ExistsAsync(id, ct), version => plan.UpdateAsync(id, version, request, ct)))
            .RequirePermission(ReleasePermissions.Manage)
            .WithSummary("Edit the plan (until accepted), the changes and CIs (while planned) or the release notes (until closed); send If-Match.");
        foreach (var trigger in Enum.GetValues<ReleaseTrigger>())
        {
            var permission = trigger switch
            {
                ReleaseTrigger.Test => ReleasePermissions.Test,
                ReleaseTrigger.Accept => ReleasePermissions.Accept,
                ReleaseTrigger.Build or ReleaseTrigger.Deploy or ReleaseTrigger.Complete or ReleaseTrigger.Fail or ReleaseTrigger.BackOut
                    or ReleaseTrigger.Close or ReleaseTrigger.Cancel => ReleasePermissions.Manage,
            };
            releases.MapPost($"/{{id:guid}}/{trigger.Key()}",
                    async (Guid id, [FromBody] MoveRelease.Request? request, MoveRelease move, HttpContext http, CancellationToken ct) =>
                        ApiResults.Saved(http, await move.HandleAsync(id, trigger, request ?? new MoveRelease.Request(), ApiResults.IfMatchVersion(http), ct)))
                .RequirePermission(permission)
                .WithSummary(Summary(trigger));
        }
        releases.MapPost("/{id:guid}/notes/publish", async (Guid id, PublishReleaseNotes publish, HttpContext http, CancellationToken ct) =>
                ApiResults.Saved(http, await publish.HandleAsync(id, ApiResults.IfMatchVersion(http), ct)))
            .RequirePermission(ReleasePermissions.Manage)
            .WithSummary("Publish the release notes of a deployed release (again after an edit): stamps when and by whom, audited.");
        releases.MapPost("/{id:guid}/baseline", async (Guid id, ReleaseQueries queries, MoveRelease move, HttpContext http, CancellationToken ct) =>
                await queries.GetAsync(id, ct) is { } release ? ApiResults.Saved(http, await move.TakeBaselineAsync(release, ct)) : ApiResults.NotFound(http))
            .RequirePermission(ReleasePermissions.Manage)
            .WithSummary("Take the configuration baseline of a successful release that has none yet (completion takes it; this retries).");

        var policies = endpoints.MapGroup("/api/v1/release-policies").WithTags("Releases");
        policies.MapGet("", async (ReleasePolicies p, CancellationToken ct) => TypedResults.Ok(await p.ListAsync(ct)))
            .RequirePermission(ReleasePermissions.Read).WithSummary("The release policy of each service.");
        policies.MapGet("/{id:guid}", async (Guid id, ReleasePolicies p, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await p.GetAsync(id, ct)))
            .RequirePermission(ReleasePermissions.Read).WithSummary("One release policy, with its ETag.");
        policies.MapPost("", async (ReleasePolicies.Request request, ReleasePolicies p, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await p.CreateAsync(request, ct), x => $"/api/v1/release-policies/{x.Id}"))
            .RequirePermission(ReleasePermissions.Configure)
            .WithSummary("Define a service's release policy: serviceCode, name, types ({key, frequency}), identificationScheme ({service}-{yyyy}.{seq}), authorisingRole, rolesDescription.");
        policies.MapPut("/{id:guid}", (Guid id, ReleasePolicies.Request request, ReleasePolicies p, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await p.GetAsync(id, ct) is not null, version => p.UpdateAsync(id, version, request, ct)))
            .RequirePermission(ReleasePermissions.Configure).WithSummary("Replace a release policy (the service stays); send If-Match.");
    }

    private static string Summary(ReleaseTrigger trigger) => trigger switch
    {
        ReleaseTrigger.Build => "Start (or restart after failed tests) the build; needs changes, CIs, dates, back-out plan and acceptance criteria. 409 names the allowed moves.",
        ReleaseTrigger.Test => "Record a test run: kind, environment, result (passed/failed), summary.",
        ReleaseTrigger.Accept => "Accept the tested release (the latest run of every test kind passed), by the role the policy names.",
        ReleaseTrigger.Deploy => "Start deployment; every change must still be authorised and not failed, backed out or cancelled.",
        ReleaseTrigger.Complete => "Deployment succeeded: the CMDB takes the released versions under the release's changes, and a baseline is taken.",
        ReleaseTrigger.Fail => "Deployment failed: reason, and any latent cause for problem management.",
        ReleaseTrigger.BackOut => "Backed out by the plan: backOutResult; reattempt raises a new change; latentCause goes to problem management.",
        ReleaseTrigger.Close => "Close a deployed release (notes published) or a backed-out one.",
        ReleaseTrigger.Cancel => "Cancel a release before deployment, with a reason.",
    };

    internal sealed record ListParameters(string? State, string? Service, string? Q, int? Page, int? PageSize);
}
