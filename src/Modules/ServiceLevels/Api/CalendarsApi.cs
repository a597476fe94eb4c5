using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Certus.ServiceLevels.Api;

/// <summary>REST endpoints of business calendars under <c>/api/v1/calendars</c>.</summary>
internal static class CalendarsApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var calendars = endpoints.MapGroup("/api/v1/calendars").WithTags("Calendars");
        calendars.MapPost("", Create).RequirePermission(ServiceLevelPermissions.Manage)
            .WithSummary("Create a business calendar: name, timeZone, workingHours [{day, ranges [{start, end}]}], holidays and workingDays [{date, name}].");
        calendars.MapGet("", async (CalendarQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.ListAsync(ct)))
            .RequirePermission(ServiceLevelPermissions.Read).WithSummary("Every business calendar.");
        calendars.MapGet("/{id:guid}", async (Guid id, CalendarQueries queries, HttpContext http, CancellationToken ct) =>
                ApiResults.Read(http, await queries.GetAsync(id, ct)))
            .RequirePermission(ServiceLevelPermissions.Read).WithSummary("One calendar whole, with its ETag.");
        calendars.MapPut("/{id:guid}", Update).RequirePermission(ServiceLevelPermissions.Manage)
            .WithSummary("Replace a calendar whole; send If-Match with the ETag you read.");
        calendars.MapPost("/{id:guid}/holidays/cn/{year:int}", Import).RequirePermission(ServiceLevelPermissions.Manage)
            .WithSummary("Add China's official holidays and working days (调休) of a shipped year; If-Match is checked when sent.");
        calendars.MapGet("/{id:guid}/due", Due).RequirePermission(ServiceLevelPermissions.Read)
            .WithSummary("When minutes of business time have passed since start (ISO 8601 with offset): {due}.");
        calendars.MapGet("/{id:guid}/elapsed", Elapsed).RequirePermission(ServiceLevelPermissions.Read)
            .WithSummary("Business minutes between from and to (ISO 8601 with offset): {minutes}.");
    }

    private static async Task<IResult> Create(CalendarInput input, CreateCalendar create, HttpContext http, CancellationToken ct) =>
        ApiResults.Created(http, await create.HandleAsync(input, ct), c => $"/api/v1/calendars/{c.Id}");

    private static Task<IResult> Update(Guid id, CalendarInput input, UpdateCalendar update, CalendarQueries queries, HttpContext http, CancellationToken ct) =>
        ApiResults.UpdateAsync(http, () => queries.ExistsAsync(id, ct), version => update.HandleAsync(id, version, input, ct: ct));

    private static async Task<IResult> Import(Guid id, int year, ImportChineseHolidays import, HttpContext http, CancellationToken ct) =>
        ApiResults.Saved(http, await import.HandleAsync(id, year, ApiResults.IfMatchVersion(http), ct));

    private static async Task<IResult> Due(Guid id, string? start, string? minutes, CalendarArithmetic arithmetic, HttpContext http, CancellationToken ct) =>
        Answer(http, await arithmetic.DueAsync(id, start, minutes, ct));

    private static async Task<IResult> Elapsed(Guid id, string? from, string? to, CalendarArithmetic arithmetic, HttpContext http, CancellationToken ct) =>
        Answer(http, await arithmetic.ElapsedAsync(id, from, to, ct));

    /// <summary>A refusal tied to no field (an instant beyond the compiled range) is well-formed but unprocessable: 422.</summary>
    private static IResult Answer<T>(HttpContext http, Outcome<T> outcome) => outcome switch
    {
        { Succeeded: true } => TypedResults.Ok(outcome.Value),
        { Failure: { Kind: FailureKind.Validation, Fields: null } failure } =>
            TypedResults.Problem(failure.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: failure.Message),
        _ => ApiResults.Problem(http, outcome.Failure!),
    };
}
