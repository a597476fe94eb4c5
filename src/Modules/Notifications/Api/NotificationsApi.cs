using Certus.Kernel;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Certus.Notifications.Contracts;
using Certus.Notifications.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Certus.Notifications.Api;

/// <summary>REST endpoints: the caller's notifications, the templates and the outbox.</summary>
internal static class NotificationsApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var mine = endpoints.MapGroup("/api/v1/me/notifications").WithTags("Notifications");
        mine.MapGet("", async (bool? unread, int? page, int? pageSize, MyNotifications my, CancellationToken ct) =>
                TypedResults.Ok(await my.ListAsync(unread ?? false, PageRequest.From(page, pageSize), ct)))
            .RequirePermission(NotificationPermissions.Read).WithSummary("The caller's in-app notifications, newest first; unread=true for unread only.");
        mine.MapPost("/{id:guid}/read", async (Guid id, MyNotifications my, HttpContext http, CancellationToken ct) =>
                await my.MarkReadAsync(id, ct) is { } read ? TypedResults.Ok(read) : ApiResults.NotFound(http))
            .RequirePermission(NotificationPermissions.Read).WithSummary("Mark one of the caller's notifications read.");
        mine.MapPost("/read-all", async (MyNotifications my, CancellationToken ct) => TypedResults.Ok(new { marked = await my.MarkAllReadAsync(ct) }))
            .RequirePermission(NotificationPermissions.Read).WithSummary("Mark every notification of the caller read.");

        var templates = endpoints.MapGroup("/api/v1/notification-templates").WithTags("Notifications");
        templates.MapGet("", async (NotificationTemplates t, CancellationToken ct) => TypedResults.Ok(await t.ListAsync(ct)))
            .RequirePermission(NotificationPermissions.Manage).WithSummary("Every template key in both languages, with the override if there is one.");
        templates.MapGet("/{key}/{culture}", async (string key, string culture, NotificationTemplates t, HttpContext http, CancellationToken ct) =>
                ApiResults.Read(http, await t.GetAsync(key, culture, ct)))
            .RequirePermission(NotificationPermissions.Manage).WithSummary("One template, with its ETag (\"0\" while the module's default applies).");
        templates.MapPut("/{key}/{culture}", async (string key, string culture, NotificationTemplates.Request request, NotificationTemplates t, HttpContext http, CancellationToken ct) =>
                await ApiResults.UpdateAsync(http, async () => await t.GetAsync(key, culture, ct) is not null,
                    version => t.SaveAsync(key, culture, version, request, ct)))
            .RequirePermission(NotificationPermissions.Manage)
            .WithSummary("Override subject and body; send If-Match with the ETag you read. 422 when the template does not compile.");
        templates.MapDelete("/{key}/{culture}", async (string key, string culture, NotificationTemplates t, HttpContext http, CancellationToken ct) =>
                ApiResults.Saved(http, await t.ResetAsync(key, culture, ct)))
            .RequirePermission(NotificationPermissions.Manage).WithSummary("Drop the override: the module's default applies again.");

        var outbox = endpoints.MapGroup("/api/v1/outbox").WithTags("Notifications");
        outbox.MapGet("", async (string? status, int? page, int? pageSize, Outbox o, CancellationToken ct) =>
                TypedResults.Ok(await o.ListAsync(status, PageRequest.From(page, pageSize), ct)))
            .RequirePermission(NotificationPermissions.Manage).WithSummary("Mail in the outbox, newest first; status pending, sent or failed.");
        outbox.MapGet("/{id:guid}", async (Guid id, Outbox o, HttpContext http, CancellationToken ct) =>
                await o.GetAsync(id, ct) is { } message ? TypedResults.Ok(message) : ApiResults.NotFound(http))
            .RequirePermission(NotificationPermissions.Manage).WithSummary("One mail with its attempts and last error.");
        outbox.MapPost("/{id:guid}/retry", async (Guid id, Outbox o, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await o.RetryAsync(id, ct);
                return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : ApiResults.Problem(http, outcome.Failure!);
            })
            .RequirePermission(NotificationPermissions.Manage).WithSummary("Send a failed mail again now, with a fresh set of attempts.");
        outbox.MapPost("/test", async (Outbox.TestRequest request, Outbox o, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await o.SendTestAsync(request, ct);
                return outcome.Succeeded ? TypedResults.Created($"/api/v1/outbox/{outcome.Value!.Id}", outcome.Value) : ApiResults.Problem(http, outcome.Failure!);
            })
            .RequirePermission(NotificationPermissions.Manage).WithSummary("Queue a test mail to an address, in the caller's language.");
    }
}
