using Certus.Changes.Contracts;
using Certus.Changes.Domain;
using Certus.Changes.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Certus.Changes.Api;

/// <summary>REST endpoints of change management under <c>/api/v1/changes</c> and <c>/api/v1/change-settings</c>.</summary>
internal static class ChangesApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var changes = endpoints.MapGroup("/api/v1/changes").WithTags("Changes");
        changes.MapPost("", Create).RequirePermission(ChangePermissions.Request)
            .WithSummary("Raise a request for change (type standard, normal or emergency). Send Idempotency-Key to make a retry safe.");
        changes.MapGet("", (string? state, string? type, string? q, string? ci, int? page, int? pageSize, ChangeQueries queries, CancellationToken ct) =>
                queries.ListAsync(new ChangeQueries.ListQuery(state, type, q, ci, page ?? 1, pageSize ?? 50), ct))
            .RequirePermission(ChangePermissions.Read).WithSummary("Changes the caller may see: state (comma-separated), type, q (number or title), ci, page, pageSize.");
        changes.MapGet("/schedule", Schedule).RequirePermission(ChangePermissions.Read)
            .WithSummary("The change schedule: changes planned between from and to (default: this month) with freeze and maintenance windows.");
        changes.MapGet("/{id:guid}", async (Guid id, ChangeQueries queries, HttpContext http, CancellationToken ct) =>
                ApiResults.Read(http, await queries.GetAsync(id.ToString("D"), ct)))
            .RequirePermission(ChangePermissions.Read).WithSummary("One change, with its ETag.");
        changes.MapPatch("/{id:guid}", (Guid id, RequestChange.Request request, RequestChange change, ChangeQueries queries, HttpContext http, CancellationToken ct) =>
                ApiResults.UpdateAsync(http, () => queries.IsVisibleAsync(id.ToString("D"), ct), version => change.UpdateAsync(id, version, request, ct)))
            .RequirePermission(ChangePermissions.Request)
            .WithSummary("Edit a draft or submitted change; send If-Match with the ETag you read. 409 once it has been assessed.");
        changes.MapGet("/{id:guid}/conflicts", Conflicts).RequirePermission(ChangePermissions.Read)
            .WithSummary("What the change would clash with if planned between start and end (default: its planned window).");

        foreach (var trigger in new[]
        {
            ChangeTrigger.Submit, ChangeTrigger.Assess, ChangeTrigger.Schedule, ChangeTrigger.Implement, ChangeTrigger.Complete,
            ChangeTrigger.Fail, ChangeTrigger.BackOut, ChangeTrigger.Review, ChangeTrigger.Close, ChangeTrigger.Cancel,
        })
        {
            var permission = trigger is ChangeTrigger.Submit or ChangeTrigger.Cancel ? ChangePermissions.Request : ChangePermissions.Manage;
            changes.MapPost($"/{{id:guid}}/{trigger.Key()}",
                    async (Guid id, [FromBody] MoveChange.Request? request, MoveChange move, HttpContext http, CancellationToken ct) =>
                        ApiResults.Saved(http, await move.HandleAsync(id, trigger, request ?? new MoveChange.Request(), ApiResults.IfMatchVersion(http), ct)))
                .RequirePermission(permission)
                .WithSummary($"Move the change: {trigger.Key()}. 409 names the moves allowed from its state.");
        }
        changes.MapPost("/{id:guid}/authorise", (Guid id, [FromBody] DecideChange.Request? request, DecideChange decide, HttpContext http, CancellationToken ct) =>
                Decide(id, true, request, decide, http, ct))
            .RequirePermission(ChangePermissions.Approve)
            .WithSummary("Approve the change as a member of its board (reason required). The change is authorised when the board's rule is met.");
        changes.MapPost("/{id:guid}/reject", (Guid id, [FromBody] DecideChange.Request? request, DecideChange decide, HttpContext http, CancellationToken ct) =>
                Decide(id, false, request, decide, http, ct))
            .RequirePermission(ChangePermissions.Approve)
            .WithSummary("Reject the change as a member of its board (reason required). It is rejected once the rule can no longer be met.");

        // The approval e-mail's link: the token names the vote; the approver signs in as themselves to use it.
        var links = endpoints.MapGroup("/api/v1/change-approvals").WithTags("Changes");
        links.MapGet("/{token}", async (string token, DecideChange decide, HttpContext http, CancellationToken ct) =>
                await decide.ReadLinkAsync(token, ct) is { } link
                    ? Results.Ok(new { link.Change.Id, link.Change.Number, link.Change.Title, link.Change.State, link.ApproverName, link.Usable, link.Problem })
                    : ApiResults.NotFound(http))
            .RequirePermission(ChangePermissions.Approve).WithSummary("What an approval e-mail link stands for and whether it can still be used.");
        foreach (var (action, approve) in new[] { ("approve", true), ("reject", false) })
        {
            links.MapPost($"/{{token}}/{action}", async (string token, [FromBody] DecideChange.Request? request, DecideChange decide, HttpContext http, CancellationToken ct) =>
                    ApiResults.Saved(http, await decide.DecideByLinkAsync(token, approve, request ?? new DecideChange.Request(null), ct)))
                .RequirePermission(ChangePermissions.Approve).WithSummary($"Decide through an approval e-mail link: {action} (reason required).");
        }

        var settings = endpoints.MapGroup("/api/v1/change-settings").WithTags("Changes");
        settings.MapGet("/boards", (ChangeSettings s, CancellationToken ct) => s.BoardsAsync(ct)).RequirePermission(ChangePermissions.Read)
            .WithSummary("The change advisory boards with their members and approval rule.");
        settings.MapPut("/boards/{id:guid}", (Guid id, ChangeSettings.BoardRequest request, ChangeSettings s, HttpContext http, CancellationToken ct) =>
                Save(http, s.UpdateBoardAsync(id, ApiResults.IfMatchVersion(http), request, ct)))
            .RequirePermission(ChangePermissions.Configure).WithSummary("Set a board's approval rule (all, any, quorum), member role and named members.");
        settings.MapGet("/risk-questions", (ChangeSettings s, CancellationToken ct) => s.QuestionsAsync(false, ct)).RequirePermission(ChangePermissions.Read)
            .WithSummary("The risk questionnaire.");
        settings.MapPost("/risk-questions", (ChangeSettings.QuestionRequest request, ChangeSettings s, HttpContext http, CancellationToken ct) =>
                Save(http, s.SaveQuestionAsync(null, null, request, ct), created: true))
            .RequirePermission(ChangePermissions.Configure).WithSummary("Add a question with at least two scored answers.");
        settings.MapPut("/risk-questions/{id:guid}", (Guid id, ChangeSettings.QuestionRequest request, ChangeSettings s, HttpContext http, CancellationToken ct) =>
                Save(http, s.SaveQuestionAsync(id, ApiResults.IfMatchVersion(http), request, ct)))
            .RequirePermission(ChangePermissions.Configure).WithSummary("Change a question (active false retires it).");
        settings.MapGet("/risk-scale", (ChangeSettings s, CancellationToken ct) => s.ScaleAsync(ct)).RequirePermission(ChangePermissions.Read)
            .WithSummary("Scores from which a change is medium, high and very high risk.");
        settings.MapPut("/risk-scale", async (RiskScale scale, ChangeSettings s, HttpContext http, CancellationToken ct) =>
                await s.SaveScaleAsync(scale, ct) is var o && o.Succeeded ? Results.Ok(o.Value) : ApiResults.Problem(http, o.Failure!))
            .RequirePermission(ChangePermissions.Configure).WithSummary("Set the risk scale.");
        settings.MapGet("/templates", (bool? active, ChangeSettings s, CancellationToken ct) => s.TemplatesAsync(active ?? false, ct))
            .RequirePermission(ChangePermissions.Read).WithSummary("Templates of standard (pre-authorised) changes.");
        settings.MapPost("/templates", (ChangeSettings.TemplateRequest request, ChangeSettings s, HttpContext http, CancellationToken ct) =>
                Save(http, s.SaveTemplateAsync(null, null, request, ct), created: true))
            .RequirePermission(ChangePermissions.Configure).WithSummary("Add a standard-change template (low or medium risk only).");
        settings.MapPut("/templates/{id:guid}", (Guid id, ChangeSettings.TemplateRequest request, ChangeSettings s, HttpContext http, CancellationToken ct) =>
                Save(http, s.SaveTemplateAsync(id, ApiResults.IfMatchVersion(http), request, ct)))
            .RequirePermission(ChangePermissions.Configure).WithSummary("Change a template (active false retires it).");
        settings.MapGet("/windows", (DateTimeOffset? from, DateTimeOffset? to, ChangeSettings s, CancellationToken ct) => s.WindowsAsync(from, to, ct))
            .RequirePermission(ChangePermissions.Read).WithSummary("Freeze and maintenance windows overlapping from..to.");
        settings.MapPost("/windows", (ChangeSettings.WindowRequest request, ChangeSettings s, HttpContext http, CancellationToken ct) =>
                Save(http, s.SaveWindowAsync(null, null, request, ct), created: true))
            .RequirePermission(ChangePermissions.Configure).WithSummary("Add a freeze or maintenance window (serviceCode empty: every service).");
        settings.MapPut("/windows/{id:guid}", (Guid id, ChangeSettings.WindowRequest request, ChangeSettings s, HttpContext http, CancellationToken ct) =>
                Save(http, s.SaveWindowAsync(id, ApiResults.IfMatchVersion(http), request, ct)))
            .RequirePermission(ChangePermissions.Configure).WithSummary("Change a window.");
        settings.MapDelete("/windows/{id:guid}", async (Guid id, string? reason, ChangeSettings s, HttpContext http, CancellationToken ct) =>
                await s.DeleteWindowAsync(id, reason, ct) is var o && o.Succeeded ? Results.NoContent() : ApiResults.Problem(http, o.Failure!))
            .RequirePermission(ChangePermissions.Configure).WithSummary("Remove a window (reason in the query string).");
    }

    private static async Task<IResult> Create(RequestChange.Request request, RequestChange change, HttpContext http, CancellationToken ct) =>
        ApiResults.Created(http, await change.CreateAsync(request, http.Request.Headers["Idempotency-Key"].ToString(), ct), c => $"/api/v1/changes/{c.Id}");

    private static async Task<IResult> Decide(Guid id, bool approve, DecideChange.Request? request, DecideChange decide, HttpContext http, CancellationToken ct) =>
        ApiResults.Saved(http, await decide.HandleAsync(id, approve, request ?? new DecideChange.Request(null), ApiResults.IfMatchVersion(http), ct));

    private static async Task<IResult> Schedule(DateTimeOffset? from, DateTimeOffset? to, string? service, ChangeSchedule schedule, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var start = from ?? new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var end = to ?? start.AddMonths(1);
        return Results.Ok(await schedule.ReadAsync(start, end, service, ct: ct));
    }

    private static async Task<IResult> Conflicts(
        Guid id, DateTimeOffset? start, DateTimeOffset? end, ChangeQueries queries, ChangeSchedule schedule, HttpContext http, CancellationToken ct)
    {
        var change = await queries.GetAsync(id.ToString("D"), ct);
        if (change is null)
        {
            return ApiResults.NotFound(http);
        }
        if ((start ?? change.PlannedStart) is not { } s || (end ?? change.PlannedEnd) is not { } e || e <= s)
        {
            var text = http.RequestServices.GetService(typeof(Texts<Strings>)) as Texts<Strings>;
            return ApiResults.Problem(http, text!.Invalid(text.Errors().AddMessage("start", text["Schedule.BothEnds"])));
        }
        var conflicts = await schedule.ConflictsAsync(change, s, e, ct);
        return Results.Ok(conflicts.Select(c => new { c.Kind, c.Reference, c.Title, c.Start, c.End, c.Shared, Message = schedule.Describe(c) }));
    }

    private static async Task<IResult> Save<T>(HttpContext http, Task<Outcome<T>> work, bool created = false) where T : IVersioned
    {
        var outcome = await work;
        if (!outcome.Succeeded)
        {
            return ApiResults.Problem(http, outcome.Failure!);
        }
        ApiResults.SetETag(http, outcome.Value!.Version);
        return created ? Results.Created((string?)null, outcome.Value) : Results.Ok(outcome.Value);
    }
}
