using Certus.Incidents.Contracts;
using Certus.Incidents.Domain;
using Certus.Incidents.Features;
using Certus.Kernel;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Incidents.Api;

/// <summary>REST endpoints of incident management under <c>/api/v1/incidents</c>.</summary>
internal static class IncidentsApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var incidents = endpoints.MapGroup("/api/v1/incidents").WithTags("Incidents");
        incidents.MapPost("", Log).RequirePermission(IncidentPermissions.Create)
            .WithSummary("Log an incident. Send Idempotency-Key to make a retry safe.");
        incidents.MapGet("", List).RequirePermission(IncidentPermissions.Read)
            .WithSummary("Incidents the caller may see: queue, status, priority, assignee, group, full-text q, sort, page, pageSize.");
        incidents.MapGet("/saved-filters", async (SavedFilters filters, CancellationToken ct) => TypedResults.Ok(await filters.ListAsync(ct)))
            .RequirePermission(IncidentPermissions.Read).WithSummary("The caller's saved list filters.");
        incidents.MapPost("/saved-filters", async (SavedFilters.Request request, SavedFilters filters, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await filters.SaveAsync(request, ct);
                return outcome.Succeeded ? TypedResults.Created($"/api/v1/incidents/saved-filters/{outcome.Value!.Id}", outcome.Value) : ApiResults.Problem(http, outcome.Failure!);
            })
            .RequirePermission(IncidentPermissions.Read).WithSummary("Save a list filter under a name (query: the list's query string).");
        incidents.MapDelete("/saved-filters/{id:guid}", async (Guid id, SavedFilters filters, HttpContext http, CancellationToken ct) =>
                await filters.DeleteAsync(id, ct) ? TypedResults.NoContent() : ApiResults.NotFound(http))
            .RequirePermission(IncidentPermissions.Read).WithSummary("Delete one of the caller's saved filters.");
        incidents.MapGet("/{id:guid}", Get).RequirePermission(IncidentPermissions.Read).WithSummary("One incident, with its ETag.");
        incidents.MapPatch("/{id:guid}", Update).RequirePermission(IncidentPermissions.Work)
            .WithSummary("Edit an incident's details; send If-Match with the ETag you read.");

        foreach (var trigger in new[]
        {
            IncidentTrigger.Assign, IncidentTrigger.Start, IncidentTrigger.Pend, IncidentTrigger.Resolve, IncidentTrigger.Confirm,
            IncidentTrigger.RejectResolution, IncidentTrigger.Reopen, IncidentTrigger.Cancel,
        })
        {
            var permission = trigger is IncidentTrigger.Confirm or IncidentTrigger.RejectResolution ? IncidentPermissions.Confirm : IncidentPermissions.Work;
            incidents.MapPost($"/{{id:guid}}/{trigger.Key()}",
                    (Guid id, [FromBody] MoveIncident.Request? request, MoveIncident move, HttpContext http, CancellationToken ct) =>
                        Move(id, trigger, request, move, http, ct))
                .RequirePermission(permission)
                .WithSummary($"Move the incident: {trigger.Key()}. 409 names the moves allowed from its status.");
        }

        incidents.MapGet("/{id:guid}/comments", Comments).RequirePermission(IncidentPermissions.Read)
            .WithSummary("Replies (and, for the provider, work notes) in order.");
        incidents.MapPost("/{id:guid}/comments", Comment).RequirePermission(IncidentPermissions.Read)
            .WithSummary("Add a reply (isPublic true) or a work note with minutesSpent.");
        incidents.MapGet("/{id:guid}/links", Links).RequirePermission(IncidentPermissions.Read).WithSummary("Linked incidents.");
        incidents.MapPost("/{id:guid}/links", Link).RequirePermission(IncidentPermissions.Work)
            .WithSummary("Link to another incident: duplicate-of, caused-by, related-to, child-of.");
        incidents.MapGet("/{id:guid}/similar", Similar).RequirePermission(IncidentPermissions.Work)
            .WithSummary("Resolved incidents like this one, with their resolutions.");

        incidents.MapGet("/{id:guid}/attachments", async (Guid id, Attachments files, IncidentQueries queries, HttpContext http, CancellationToken ct) =>
                !await queries.IsVisibleAsync(id, ct) ? ApiResults.NotFound(http) : TypedResults.Ok(await files.ListAsync(id, ct)))
            .RequirePermission(IncidentPermissions.Read).WithSummary("Files attached to the incident.");
        incidents.MapPost("/{id:guid}/attachments", Attach).RequirePermission(IncidentPermissions.Read)
            // Bearer-token clients upload with multipart/form-data; browsers use the incident page's own form.
            .DisableAntiforgery()
            .WithSummary("Attach a file (multipart field 'file'); 413 when too large, 415 for a type that is not accepted.");
        incidents.MapGet("/{id:guid}/attachments/{attachmentId:guid}", Download).RequirePermission(IncidentPermissions.Read)
            .WithSummary("Download an attachment; always served as a download, never rendered inline.");

        var settings = endpoints.MapGroup("/api/v1/incident-settings").WithTags("Incidents");
        settings.MapGet("/categories", async (IncidentSettings s, CancellationToken ct) => TypedResults.Ok(await s.CategoriesAsync(ct)))
            .RequirePermission(IncidentPermissions.Read).WithSummary("The category tree.");
        settings.MapPost("/categories", async (IncidentSettings.CategoryRequest request, IncidentSettings s, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await s.AddCategoryAsync(request, ct);
                return outcome.Succeeded
                    ? TypedResults.Created($"/api/v1/incident-settings/categories/{outcome.Value!.Id}", outcome.Value)
                    : ApiResults.Problem(http, outcome.Failure!);
            })
            .RequirePermission(IncidentPermissions.Settings).WithSummary("Add a category or subcategory.");
        settings.MapGet("/priority-matrix", async (IncidentSettings s, CancellationToken ct) => TypedResults.Ok(await s.MatrixAsync(ct)))
            .RequirePermission(IncidentPermissions.Read).WithSummary("Impact × urgency → priority.");
        settings.MapPut("/priority-matrix", async (IReadOnlyList<IncidentSettings.MatrixCell> cells, IncidentSettings s, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await s.SetMatrixAsync(cells, ct);
                return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(http, outcome.Failure!);
            })
            .RequirePermission(IncidentPermissions.Settings).WithSummary("Replace the priority matrix (all nine cells).");
    }

    private static async Task<IResult> Log(LogIncident.Request request, LogIncident log, HttpContext http, CancellationToken ct)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var outcome = await log.HandleAsync(request, string.IsNullOrWhiteSpace(key) ? null : key, ct);
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(http, outcome.Failure!);
        }
        var incident = outcome.Value!.Incident;
        ApiResults.SetETag(http, incident.Version);
        if (!outcome.Value.Created)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }
        return TypedResults.Created($"/api/v1/incidents/{incident.Id}", incident);
    }

    private static async Task<IResult> List(
        string? queue, string? status, int? priority, Guid? assignee, Guid? group, Guid? organisation, string? q, string? sort,
        int? page, int? pageSize, IncidentQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.ListAsync(new IncidentQueries.Filter(queue, status, priority, assignee, group, organisation, q, sort),
            PageRequest.From(page, pageSize), ct));

    private static async Task<IResult> Get(Guid id, IncidentQueries queries, IEnumerable<IIncidentSla> slas, HttpContext http, CancellationToken ct)
    {
        var incident = await queries.GetAsync(id, ct);
        if (incident is not null && slas.FirstOrDefault() is { } sla)
        {
            incident.Sla = await sla.DescribeAsync(id, ct);
        }
        return ApiResults.Read(http, incident);
    }

    private static Task<IResult> Update(Guid id, UpdateIncident.Request request, UpdateIncident update, IncidentQueries queries, HttpContext http, CancellationToken ct) =>
        ApiResults.UpdateAsync(http, () => queries.IsVisibleAsync(id, ct), version => update.HandleAsync(id, version, request, ct));

    private static async Task<IResult> Move(Guid id, IncidentTrigger trigger, MoveIncident.Request? request, MoveIncident move, HttpContext http, CancellationToken ct) =>
        ApiResults.Saved(http, await move.HandleAsync(id, trigger, request ?? new MoveIncident.Request(), ApiResults.IfMatchVersion(http), ct));

    private static async Task<IResult> Comments(Guid id, IncidentQueries queries, HttpContext http, CancellationToken ct) =>
        !await queries.IsVisibleAsync(id, ct) ? ApiResults.NotFound(http) : TypedResults.Ok(await queries.CommentsAsync(id, ct));

    private static async Task<IResult> Comment(Guid id, AddComment.Request request, AddComment add, HttpContext http, CancellationToken ct)
    {
        var outcome = await add.HandleAsync(id, request, ct);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/v1/incidents/{id}/comments/{outcome.Value!.Id}", outcome.Value)
            : ApiResults.Problem(http, outcome.Failure!);
    }

    private static async Task<IResult> Links(Guid id, IncidentQueries queries, HttpContext http, CancellationToken ct) =>
        !await queries.IsVisibleAsync(id, ct) ? ApiResults.NotFound(http) : TypedResults.Ok(await queries.LinksAsync(id, ct));

    private static async Task<IResult> Link(Guid id, LinkIncidents.Request request, LinkIncidents link, HttpContext http, CancellationToken ct)
    {
        var outcome = await link.HandleAsync(id, request, ct);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(http, outcome.Failure!);
    }

    private static async Task<IResult> Attach(Guid id, IFormFile? file, bool? isPublic, Attachments files, HttpContext http, CancellationToken ct)
    {
        if (file is null)
        {
            return ApiResults.Problem(http, new Kernel.Errors.Failure(Kernel.Errors.FailureKind.Validation, "", new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["file"] = [http.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Kernel.Strings>>()["Validation.Required"]],
            }));
        }
        var (attachment, refused, failure) = await files.AddAsync(id, ToUpload(file, isPublic), ct);
        return AttachmentResult(http, id, attachment, refused, failure);
    }

    internal static Attachments.Upload ToUpload(IFormFile file, bool? isPublic) =>
        new(file.FileName, file.Length, async ct =>
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            return buffer.ToArray();
        }, isPublic);

    private static IResult AttachmentResult(HttpContext http, Guid id, AttachmentView? attachment, Attachments.Refusal? refused, Kernel.Errors.Failure? failure)
    {
        var text = http.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Strings>>();
        return refused switch
        {
            Attachments.Refusal.TooLarge => TypedResults.Problem(text["Attachment.TooLarge"], statusCode: StatusCodes.Status413PayloadTooLarge, title: text["Attachment.TooLarge"]),
            Attachments.Refusal.TypeNotAllowed => TypedResults.Problem(text["Attachment.TypeNotAllowed"], statusCode: StatusCodes.Status415UnsupportedMediaType, title: text["Attachment.TypeNotAllowed"]),
            null when failure is not null => ApiResults.Problem(http, failure),
            null => TypedResults.Created($"/api/v1/incidents/{id}/attachments/{attachment!.Id}", attachment),
        };
    }

    private static async Task<IResult> Download(Guid id, Guid attachmentId, Attachments files, HttpContext http, CancellationToken ct)
    {
        if (await files.OpenAsync(id, attachmentId, ct) is not { } found)
        {
            return ApiResults.NotFound(http);
        }
        // Whatever the file claims to be, the browser saves it; nosniff (set for every response) stops guessing.
        return TypedResults.File(found.Content, "application/octet-stream", found.Attachment.FileName);
    }

    private static async Task<IResult> Similar(Guid id, IncidentQueries queries, SimilarIncidents similar, HttpContext http, CancellationToken ct) =>
        await queries.GetAsync(id, ct) is { } incident ? TypedResults.Ok(await similar.HandleAsync(incident, 5, ct)) : ApiResults.NotFound(http);
}
