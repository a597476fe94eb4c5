using Certus.Identity.Features;
using Certus.Kernel;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Certus.Identity.Api;

/// <summary>REST endpoints for sign-in tokens, the caller, organisations, users and groups.</summary>
internal static class IdentityApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1");

        api.MapPost("/auth/token", IssueToken)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.SignIn)
            .WithTags("Authentication")
            .WithSummary("Exchange email and password (and a TOTP code when two-factor is on) for a bearer token.");

        var me = api.MapGroup("/me").WithTags("Me").RequireAuthorization();
        me.MapGet("", GetMe).WithSummary("The caller: user, organisation, roles and permissions.");
        me.MapPatch("", ChangeLanguage).WithSummary("Change the caller's language (zh-CN or en-US).");
        me.MapPost("/password", ChangePassword).WithSummary("Change the caller's password; the current one is required.");
        me.MapGet("/tokens", async (ListPersonalAccessTokens list, CancellationToken ct) => TypedResults.Ok(await list.HandleAsync(ct)))
            .WithSummary("The caller's personal access tokens (never their secrets).");
        me.MapPost("/tokens", CreateToken).WithSummary("Create a named personal access token; the secret is in this response only.");
        me.MapDelete("/tokens/{id:guid}", RevokeToken).WithSummary("Revoke one of the caller's personal access tokens.");

        var organisations = api.MapGroup("/organisations").WithTags("Organisations");
        organisations.MapGet("", ListOrganisations).RequirePermission(PlatformPermissions.OrganisationsRead)
            .WithSummary("Organisations the caller may see.");
        organisations.MapGet("/{id:guid}", GetOrganisation).RequirePermission(PlatformPermissions.OrganisationsRead)
            .WithSummary("One organisation, with its ETag.");
        organisations.MapPost("", CreateOrganisation).RequirePermission(PlatformPermissions.OrganisationsManage)
            .WithSummary("Register the provider or a customer organisation.");
        organisations.MapPatch("/{id:guid}", UpdateOrganisation).RequirePermission(PlatformPermissions.OrganisationsManage)
            .WithSummary("Edit an organisation; send If-Match with the ETag you read.");

        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("", ListUsers).RequirePermission(PlatformPermissions.UsersRead).WithSummary("Users the caller may see.");
        users.MapGet("/{id:guid}", GetUser).RequirePermission(PlatformPermissions.UsersRead).WithSummary("One user, with its ETag.");
        users.MapPost("", CreateUser).RequirePermission(PlatformPermissions.UsersManage).WithSummary("Create a user with roles.");
        users.MapPatch("/{id:guid}", UpdateUser).RequirePermission(PlatformPermissions.UsersManage)
            .WithSummary("Edit a user's name, roles, groups, language or activation; send If-Match.");
        users.MapPost("/{id:guid}/password", async (Guid id, AdministerAccount.PasswordRequest request, AdministerAccount accounts, HttpContext http, CancellationToken ct) =>
                NoContentOr(http, await accounts.SetPasswordAsync(id, request, ct)))
            .RequirePermission(PlatformPermissions.UsersManage).WithSummary("Set a new password for a user; also lifts a lockout.");
        users.MapPost("/{id:guid}/unlock", async (Guid id, AdministerAccount.ReasonRequest request, AdministerAccount accounts, HttpContext http, CancellationToken ct) =>
                NoContentOr(http, await accounts.UnlockAsync(id, request, ct)))
            .RequirePermission(PlatformPermissions.UsersManage).WithSummary("Lift a lockout after failed sign-ins.");
        users.MapPost("/{id:guid}/reset-two-factor", async (Guid id, AdministerAccount.ReasonRequest request, AdministerAccount accounts, HttpContext http, CancellationToken ct) =>
                NoContentOr(http, await accounts.ResetTwoFactorAsync(id, request, ct)))
            .RequirePermission(PlatformPermissions.UsersManage).WithSummary("Turn off a user's two-step verification (lost phone).");

        var groups = api.MapGroup("/groups").WithTags("Groups");
        groups.MapGet("", async (Guid? organisationId, ListGroups list, CancellationToken ct) => TypedResults.Ok(await list.HandleAsync(organisationId, ct)))
            .RequirePermission(PlatformPermissions.UsersRead).WithSummary("Departments and teams.");
        groups.MapPost("", CreateGroup).RequirePermission(PlatformPermissions.UsersManage).WithSummary("Create a department or team, with its lead (leadId).");
        groups.MapPatch("/{id:guid}", async (Guid id, UpdateGroup.Request request, UpdateGroup update, HttpContext http, CancellationToken ct) =>
                ApiResults.IfMatchVersion(http) is { } version ? ApiResults.Saved(http, await update.HandleAsync(id, version, request, ct)) : ApiResults.PreconditionRequired(http))
            .RequirePermission(PlatformPermissions.UsersManage).WithSummary("Rename a group or name its lead (who SLA escalations notify); send If-Match.");
    }

    private static async Task<IResult> IssueToken(IssueAccessToken.Request request, IssueAccessToken issue, HttpContext http, CancellationToken ct)
    {
        var (token, refusal, invalid) = await issue.HandleAsync(request, ct);
        if (invalid is not null)
        {
            return ApiResults.Problem(http, invalid);
        }
        if (refusal is not null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(refusal.Message, statusCode: StatusCodes.Status401Unauthorized, title: refusal.Message,
                extensions: new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["twoFactorRequired"] = refusal.TwoFactorRequired,
                    ["lockedOut"] = refusal.LockedOut,
                });
        }
        return TypedResults.Ok(token);
    }

    private static async Task<Results<Ok<GetMe.Response>, NotFound>> GetMe(GetMe me, CancellationToken ct) =>
        await me.HandleAsync(ct) is { } response ? TypedResults.Ok(response) : TypedResults.NotFound();

    public sealed record LanguageRequest(string? Culture);

    private static async Task<IResult> ChangeLanguage(LanguageRequest request, ChangeMyLanguage change, HttpContext http, CancellationToken ct)
    {
        var outcome = await change.HandleAsync(request.Culture, ct);
        return outcome.Succeeded ? TypedResults.NoContent() : ApiResults.Problem(http, outcome.Failure!);
    }

    private static async Task<IResult> ChangePassword(ChangeMyPassword.Request request, ChangeMyPassword change, HttpContext http, CancellationToken ct) =>
        NoContentOr(http, await change.HandleAsync(request, ct));

    private static IResult NoContentOr(HttpContext http, Outcome<bool> outcome) =>
        outcome.Succeeded ? TypedResults.NoContent() : ApiResults.Problem(http, outcome.Failure!);

    private static async Task<IResult> CreateToken(CreatePersonalAccessToken.Request request, CreatePersonalAccessToken create, HttpContext http, CancellationToken ct)
    {
        var outcome = await create.HandleAsync(request, ct);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/v1/me/tokens/{outcome.Value!.Id}", outcome.Value)
            : ApiResults.Problem(http, outcome.Failure!);
    }

    private static async Task<IResult> RevokeToken(Guid id, RevokePersonalAccessToken revoke, HttpContext http, CancellationToken ct)
    {
        var outcome = await revoke.HandleAsync(id, ct);
        return outcome.Succeeded ? TypedResults.NoContent() : ApiResults.Problem(http, outcome.Failure!);
    }

    private static async Task<Ok<Page<OrganisationView>>> ListOrganisations(
        string? kind, string? q, int? page, int? pageSize, GetOrganisation get, CancellationToken ct) =>
        TypedResults.Ok(await get.ListAsync(kind, q, PageRequest.From(page, pageSize), ct));

    private static async Task<IResult> GetOrganisation(Guid id, GetOrganisation get, HttpContext http, CancellationToken ct) =>
        ApiResults.Read(http, await get.HandleAsync(id, ct));

    private static async Task<IResult> CreateOrganisation(CreateOrganisation.Request request, CreateOrganisation create, HttpContext http, CancellationToken ct) =>
        ApiResults.Created(http, await create.HandleAsync(request, ct), o => $"/api/v1/organisations/{o.Id}");

    private static Task<IResult> UpdateOrganisation(
        Guid id, UpdateOrganisation.Request request, UpdateOrganisation update, GetOrganisation get, HttpContext http, CancellationToken ct) =>
        ApiResults.UpdateAsync(http, async () => await get.HandleAsync(id, ct) is not null, version => update.HandleAsync(id, version, request, ct));

    private static async Task<Ok<Page<UserView>>> ListUsers(
        Guid? organisationId, string? role, string? q, int? page, int? pageSize, GetUser get, CancellationToken ct) =>
        TypedResults.Ok(await get.ListAsync(organisationId, role, q, PageRequest.From(page, pageSize), ct));

    private static async Task<IResult> GetUser(Guid id, GetUser get, HttpContext http, CancellationToken ct) =>
        ApiResults.Read(http, await get.HandleAsync(id, ct));

    private static async Task<IResult> CreateUser(CreateUser.Request request, CreateUser create, HttpContext http, CancellationToken ct) =>
        ApiResults.Created(http, await create.HandleAsync(request, ct), u => $"/api/v1/users/{u.Id}");

    private static Task<IResult> UpdateUser(Guid id, UpdateUser.Request request, UpdateUser update, GetUser get, HttpContext http, CancellationToken ct) =>
        ApiResults.UpdateAsync(http, async () => await get.HandleAsync(id, ct) is not null, version => update.HandleAsync(id, version, request, ct));

    private static async Task<IResult> CreateGroup(CreateGroup.Request request, CreateGroup create, HttpContext http, CancellationToken ct)
    {
        var outcome = await create.HandleAsync(request, ct);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/v1/groups/{outcome.Value!.Id}", outcome.Value)
            : ApiResults.Problem(http, outcome.Failure!);
    }
}
