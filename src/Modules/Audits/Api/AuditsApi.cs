using Certus.Audits.Contracts;
using Certus.Audits.Features;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Certus.Audits.Api;

/// <summary>Internal audits and management reviews over REST.</summary>
internal static class AuditsApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var audits = endpoints.MapGroup("/api/v1/internal-audits").WithTags("Internal audit").RequirePermission(AuditPermissions.Read);
        audits.MapGet("/areas", async (AuditProgrammes p, CancellationToken ct) => TypedResults.Ok(await p.AreasAsync(ct)))
            .WithSummary("Audited process areas with the owner and members who may not audit them.");
        audits.MapPost("/areas", async (AuditProgrammes.AreaRequest request, AuditProgrammes p, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await p.CreateAreaAsync(request, ct), a => $"/api/v1/internal-audits/areas/{a.Id}"))
            .RequirePermission(AuditPermissions.Manage).WithSummary("Add a process area: name, description, ownerId, memberIds.");
        audits.MapGet("/areas/{id:guid}", async (Guid id, AuditProgrammes p, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await p.AreaAsync(id, ct)))
            .WithSummary("One process area, with its ETag.");
        audits.MapPut("/areas/{id:guid}", (Guid id, AuditProgrammes.AreaRequest request, AuditProgrammes p, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await p.AreaAsync(id, ct) is not null, version => p.UpdateAreaAsync(id, version, request, ct)))
            .RequirePermission(AuditPermissions.Manage).WithSummary("Change a process area; send If-Match.");
        audits.MapGet("/programmes", async (AuditProgrammes p, CancellationToken ct) => TypedResults.Ok(await p.ProgrammesAsync(ct)))
            .WithSummary("Yearly audit programmes, newest first.");
        audits.MapPost("/programmes", async (AuditProgrammes.ProgrammeRequest request, AuditProgrammes p, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await p.CreateProgrammeAsync(request, ct), x => $"/api/v1/internal-audits?year={x.Year}"))
            .RequirePermission(AuditPermissions.Manage).WithSummary("Start the audit programme of a year: year, title, objectives.");

        audits.MapGet("", async (int? year, InternalAudits a, CancellationToken ct) => TypedResults.Ok(await a.ListAsync(year, ct)))
            .WithSummary("Internal audits (?year=), by planned start, with auditors and open findings.");
        audits.MapPost("", async (InternalAudits.Request request, InternalAudits a, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await a.CreateAsync(request, ct), x => $"/api/v1/internal-audits/{x.Id}"))
            .RequirePermission(AuditPermissions.Manage)
            .WithSummary("Plan an audit: year, title, scope, criteria (clauses such as 2018:8.5.1), areaIds, leadAuditorId, auditorIds, plannedStart, plannedEnd. "
                + "An auditor who owns or works in an audited area is refused. The checklist gets one item per clause.");
        audits.MapGet("/{id:guid}", async (Guid id, InternalAudits a, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await a.GetAsync(id, ct)))
            .WithSummary("One audit with its areas, auditors, checklist, findings (with their nonconformity's status) and the moves possible now, with its ETag.");
        audits.MapPut("/{id:guid}/auditors", (Guid id, InternalAudits.AuditorsRequest request, InternalAudits a, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await a.GetAsync(id, ct) is not null, version => a.SetAuditorsAsync(id, version, request, ct)))
            .RequirePermission(AuditPermissions.Manage).WithSummary("Assign the audit team (leadAuditorId, auditorIds); send the audit's If-Match.");
        audits.MapPost("/{id:guid}/moves", (Guid id, InternalAudits.MoveRequest request, InternalAudits a, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await a.GetAsync(id, ct) is not null, version => a.MoveAsync(id, version, request, ct)))
            .RequirePermission(AuditPermissions.Manage)
            .WithSummary("Move the audit: start, report (summary; every checklist item answered), close (every finding closed), cancel (reason); send If-Match.");
        audits.MapPatch("/{id:guid}/checklist/{itemId:guid}", (Guid id, Guid itemId, InternalAudits.ChecklistRequest request, InternalAudits a, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await a.GetAsync(id, ct) is { } found && found.Checklist!.Any(c => c.Id == itemId),
                    version => a.AnswerAsync(id, itemId, version, request, ct)))
            .RequirePermission(AuditPermissions.Manage)
            .WithSummary("Edit a checklist item's question and record its result (conforming, observation, nonconforming, not-applicable) and notes; send the item's If-Match.");
        audits.MapPost("/{id:guid}/findings", async (Guid id, InternalAudits.FindingRequest request, InternalAudits a, HttpContext http, CancellationToken ct) =>
                await a.GetAsync(id, ct) is null ? ApiResults.NotFound(http)
                    : ApiResults.Created(http, await a.AddFindingAsync(id, request, ct), f => $"/api/v1/internal-audits/{id}/findings/{f.Id}"))
            .RequirePermission(AuditPermissions.Manage)
            .WithSummary("Record a finding (kind conformity, observation, minor, major; clause; areaId; statement; evidence). Minor and major open a nonconformity record.");
        audits.MapGet("/{id:guid}/findings/{findingId:guid}", async (Guid id, Guid findingId, InternalAudits a, HttpContext http, CancellationToken ct) =>
                ApiResults.Read(http, await a.FindingAsync(id, findingId, ct)))
            .WithSummary("One finding, with its ETag.");
        audits.MapPost("/{id:guid}/findings/{findingId:guid}/effectiveness", (Guid id, Guid findingId, InternalAudits.EffectivenessRequest request, InternalAudits a, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await a.FindingAsync(id, findingId, ct) is not null, version => a.CheckEffectivenessAsync(id, findingId, version, request, ct)))
            .RequirePermission(AuditPermissions.Manage)
            .WithSummary("Record the follow-up effectiveness check of a nonconformity finding (effective, note); effective only once its corrective action is done. Send the finding's If-Match.");
        audits.MapPost("/{id:guid}/findings/{findingId:guid}/close", (Guid id, Guid findingId, InternalAudits.CloseFindingRequest request, InternalAudits a, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await a.FindingAsync(id, findingId, ct) is not null, version => a.CloseFindingAsync(id, findingId, version, request, ct)))
            .RequirePermission(AuditPermissions.Manage)
            .WithSummary("Close a finding (note); a nonconformity only after an effectiveness check found it effective (409 otherwise). Send the finding's If-Match.");
        audits.MapGet("/{id:guid}/report", async (Guid id, string? format, InternalAudits a, AuditReport report, HttpContext http, CancellationToken ct) =>
            {
                if (await a.GetAsync(id, ct) is not { } found)
                {
                    return ApiResults.NotFound(http);
                }
                return format?.ToLowerInvariant() switch
                {
                    "md" => (IResult)TypedResults.Text(report.Markdown(found), "text/markdown; charset=utf-8"),
                    "xlsx" => TypedResults.File(report.Xlsx(found), ReportWorkbook.ContentType, $"{found.Number}.xlsx"),
                    _ => TypedResults.Ok(found),
                };
            })
            .WithSummary("The audit report: ?format=md for Markdown (the printable page renders it), ?format=xlsx for a workbook (summary, checklist, findings), JSON otherwise.");

        var reviews = endpoints.MapGroup("/api/v1/management-reviews").WithTags("Management review").RequirePermission(AuditPermissions.Read);
        reviews.MapGet("", async (ManagementReviews r, CancellationToken ct) => TypedResults.Ok(await r.ListAsync(ct)))
            .WithSummary("Management reviews, newest first.");
        reviews.MapPost("", async (ManagementReviews.Request request, ManagementReviews r, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await r.CreateAsync(request, ct), x => $"/api/v1/management-reviews/{x.Id}"))
            .RequirePermission(AuditPermissions.Manage)
            .WithSummary("Plan a review: title, periodFrom, periodTo, plannedDate (yyyy-MM-dd), chairId, attendees.");
        reviews.MapGet("/{id:guid}", async (Guid id, ManagementReviews r, HttpContext http, CancellationToken ct) => ApiResults.Read(http, await r.GetAsync(id, ct)))
            .WithSummary("One review with its inputs (compiled live while planned, frozen once held), minutes, decisions and actions, with its ETag.");
        reviews.MapPost("/{id:guid}/moves", (Guid id, ManagementReviews.MoveRequest request, ManagementReviews r, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await r.GetAsync(id, ct) is not null, version => r.MoveAsync(id, version, request, ct)))
            .RequirePermission(AuditPermissions.Manage)
            .WithSummary("Move the review: hold (minutes, attendees; freezes the inputs), close (every action settled), cancel (reason); send If-Match.");
        reviews.MapPost("/{id:guid}/actions", async (Guid id, ManagementReviews.ActionRequest request, ManagementReviews r, HttpContext http, CancellationToken ct) =>
                ApiResults.Created(http, await r.AddActionAsync(id, request, ct), a => $"/api/v1/management-reviews/{id}/actions/{a.Id}"))
            .RequirePermission(AuditPermissions.Manage)
            .WithSummary("Record a decision (kind decision, text) or an action (kind action, text, ownerId, dueDate).");
        reviews.MapGet("/{id:guid}/actions/{actionId:guid}", async (Guid id, Guid actionId, ManagementReviews r, HttpContext http, CancellationToken ct) =>
                ApiResults.Read(http, await r.ActionAsync(id, actionId, ct)))
            .WithSummary("One decision or action, with its ETag.");
        reviews.MapPost("/{id:guid}/actions/{actionId:guid}/moves", (Guid id, Guid actionId, ManagementReviews.ActionMoveRequest request, ManagementReviews r, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, async () => await r.ActionAsync(id, actionId, ct) is not null, version => r.MoveActionAsync(id, actionId, version, request, ct)))
            .RequirePermission(AuditPermissions.Manage)
            .WithSummary("Settle an action: done or cancel, with its outcome; send the action's If-Match.");
    }
}
