using Certus.Compliance.Contracts;
using Certus.Compliance.Domain;
using Certus.Compliance.Features;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Certus.Compliance.Api;

/// <summary>The service management policy, objectives with their measures, and the risk register over REST.</summary>
internal static class PlanningApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var policy = endpoints.MapGroup("/api/v1/policy").WithTags("Policy").RequirePermission(CompliancePermissions.PlanningRead);
        policy.MapGet("", async (ServicePolicy p, CancellationToken ct) => TypedResults.Ok(await p.OverviewAsync(ct)))
            .WithSummary("The service management policy: the approved version in force, the draft being prepared, every version (superseded ones kept), the reviews, when it was last approved or confirmed and when it is due again.");
        policy.MapGet("/versions/{id:guid}", async (Guid id, ServicePolicy p, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await p.GetAsync(id, ct)))
            .WithSummary("One version of the policy, with its ETag.");
        policy.MapPost("/versions", async (ServicePolicy.DraftRequest request, ServicePolicy p, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await p.StartDraftAsync(request, ct), v => $"/api/v1/policy/versions/{v.Id}"))
            .RequirePermission(CompliancePermissions.Manage)
            .WithSummary("Start the next version as a draft (409 while a draft exists): statementEn, statementZh (Markdown), commitRequirementsEn/Zh, commitImprovementEn/Zh, commitObjectivesEn/Zh, documentCode, changeNote; fields left out are taken from the version in force.");
        policy.MapPut("/versions/{id:guid}", (Guid id, ServicePolicy.DraftRequest request, ServicePolicy p, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await p.GetAsync(id, ct) is not null, version => p.EditDraftAsync(id, version, request, ct)))
            .RequirePermission(CompliancePermissions.Manage)
            .WithSummary("Rewrite the draft; an approved or superseded version refuses with 409. Send If-Match.");
        policy.MapPost("/versions/{id:guid}/approve", (Guid id, ServicePolicy.ApproveRequest request, ServicePolicy p, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await p.GetAsync(id, ct) is not null, version => p.ApproveAsync(id, version, request, ct)))
            .RequirePermission(CompliancePermissions.Approve)
            .WithSummary("Top management approves the draft with a reason (compliance.approve): it comes into force and supersedes the version before it. 409 names what an incomplete draft lacks. Send If-Match.");
        policy.MapPost("/versions/{id:guid}/review", async (Guid id, ServicePolicy.ReviewRequest request, ServicePolicy p, HttpContext http, CancellationToken ct) =>
                ApiResults.Saved(http, await p.ReviewAsync(id, request, ct)))
            .RequirePermission(CompliancePermissions.Approve)
            .WithSummary("Top management confirms the version in force still holds (note): restarts the 12-month review clock without a new version.");

        var objectives = endpoints.MapGroup("/api/v1/objectives").WithTags("Objectives").RequirePermission(CompliancePermissions.PlanningRead);
        objectives.MapGet("", async (string? status, Objectives o, CancellationToken ct) => TypedResults.Ok(await o.ListAsync(status ?? "active", withValues: true, ct)))
            .WithSummary("Objectives (?status=active|retired|all, default active), each with its value this period against its target: met, not-met or no-data.");
        objectives.MapGet("/{id:guid}", async (Guid id, Objectives o, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await o.GetAsync(id, true, ct)))
            .WithSummary("One objective with its plan, its value this period, the trend over the last periods (kept per period) and its readings; with its ETag.");
        objectives.MapPost("", async (Objectives.Request request, Objectives o, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await o.CreateAsync(request, ct), v => $"/api/v1/objectives/{v.Id}"))
            .RequirePermission(CompliancePermissions.Manage)
            .WithSummary("Set an objective: titleEn/titleZh, description, ownerId, process, measureKey (a live measure from /api/v1/objective-measures, or manual with manualMeasure and manualUnit), target, direction (at-least, at-most), period (month, quarter, year), planActions, planResources, planResponsibleId, planDueOn, planEvaluation.");
        objectives.MapPatch("/{id:guid}", (Guid id, Objectives.Request request, Objectives o, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await o.GetAsync(id, false, ct) is not null, version => o.UpdateAsync(id, version, request, ct)))
            .RequirePermission(CompliancePermissions.Manage)
            .WithSummary("Change an objective (send every field, as on create); send If-Match.");
        objectives.MapPost("/{id:guid}/moves", (Guid id, Objectives.MoveRequest request, Objectives o, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await o.GetAsync(id, false, ct) is not null, version => o.MoveAsync(id, version, request, ct)))
            .RequirePermission(CompliancePermissions.Manage)
            .WithSummary("retire (with a reason) or reactivate an objective; send If-Match.");
        objectives.MapPost("/{id:guid}/readings", async (Guid id, Objectives.ReadingRequest request, Objectives o, HttpContext http, CancellationToken ct) =>
                ApiResults.Saved(http, await o.RecordReadingAsync(id, request, ct)))
            .WithSummary("The owner (or a manager) records a reading of a manual measure: value, takenOn (yyyy-MM-dd, not in the future), note.");

        endpoints.MapGet("/api/v1/objective-measures", async (string? period, ObjectiveValues values, CancellationToken ct) =>
            {
                var kind = ObjectiveRules.ParsePeriod(period) ?? PeriodKind.Quarter;
                var current = ObjectivePeriod.Containing(kind, values.Today);
                var list = new List<object>();
                foreach (var option in values.Options())
                {
                    var value = await values.Find(option.Key)!.MeasureAsync(current.From(values.Zone), current.To(values.Zone), ct);
                    list.Add(new { option.Key, option.Title, option.Unit, option.Direction, period = current.Label, value.Value, value.Figures, value.Records });
                }
                return TypedResults.Ok(list);
            })
            .WithTags("Objectives").RequirePermission(CompliancePermissions.PlanningRead)
            .WithSummary("Every measure computed from live data that an objective may use (registered by the modules owning the data), with its value this period (?period=month|quarter|year, default quarter).");

        var risks = endpoints.MapGroup("/api/v1/risks").WithTags("Risks").RequirePermission(CompliancePermissions.PlanningRead);
        risks.MapGet("", async (string? kind, string? level, string? status, Guid? ownerId, int? likelihood, int? impact, bool? residual, bool? overdue, Risks r, CancellationToken ct) =>
                TypedResults.Ok(await r.ListAsync(new RiskFilter(kind, level, status, ownerId, likelihood, impact, residual ?? false, overdue ?? false), ct)))
            .WithSummary("The register, most serious first: ?kind=risk|opportunity, level (low, medium, high, critical), status (open by default; identified, treating, monitored, closed, all), ownerId, likelihood and impact (a heat-map cell; residual=true for the residual rating), overdue=true.");
        risks.MapGet("/heat-map", async (string? kind, bool? residual, Risks r, CancellationToken ct) => TypedResults.Ok(await r.HeatMapAsync(kind ?? "risk", residual ?? false, ct)))
            .WithSummary("Open risks (or ?kind=opportunity) per likelihood × impact cell with the cell's level; ?residual=true for the ratings after treatment.");
        risks.MapGet("/{id:guid}", async (Guid id, Risks r, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await r.GetAsync(id, ct)))
            .WithSummary("One risk or opportunity with its actions and the moves open to it; with its ETag.");
        risks.MapPost("", async (Risks.Request request, Risks r, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await r.CreateAsync(request, ct), v => $"/api/v1/risks/{v.Id}"))
            .RequirePermission(CompliancePermissions.Manage)
            .WithSummary("Record a risk or opportunity: kind, title, description, category, cause, consequence, services (codes), ownerId, likelihood and impact (1-5), treatment, treatmentPlan, residualLikelihood, residualImpact, reviewOn (default by level: 3, 6 or 12 months).");
        risks.MapPatch("/{id:guid}", (Guid id, Risks.Request request, Risks r, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await r.GetAsync(id, ct) is not null, version => r.UpdateAsync(id, version, request, ct)))
            .WithSummary("Change a risk (send every field, as on create); managers and the risk's owner. Send If-Match.");
        risks.MapPost("/{id:guid}/moves", (Guid id, Risks.MoveRequest request, Risks r, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await r.GetAsync(id, ct) is not null, version => r.MoveAsync(id, version, request, ct)))
            .WithSummary("move: treat, accept (reason; a high or critical risk needs compliance.approve), monitor (residual assessed, actions done), close or reopen (reason). 409 names the moves open. Send If-Match.");
        risks.MapPost("/{id:guid}/review", (Guid id, Risks.ReviewRequest request, Risks r, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await r.GetAsync(id, ct) is not null, version => r.ReviewAsync(id, version, request, ct)))
            .WithSummary("Record a review: note and nextReviewOn (after today). Send If-Match.");
        risks.MapPost("/{id:guid}/actions", (Guid id, Risks.ActionRequest request, Risks r, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await r.GetAsync(id, ct) is not null, version => r.AddActionAsync(id, version, request, ct)))
            .WithSummary("Add an action to the treatment plan: description, ownerId, dueOn. Send If-Match.");
        risks.MapPost("/{id:guid}/actions/{actionId:guid}/done", (Guid id, Guid actionId, Risks r, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await r.GetAsync(id, ct) is not null, version => r.CompleteActionAsync(id, version, actionId, ct)))
            .WithSummary("Mark an action done (a manager, the risk's owner or the action's owner). Send If-Match.");
    }
}
