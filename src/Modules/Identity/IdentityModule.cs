using Certus.Identity.Api;
using Certus.Identity.Contracts;
using Certus.Identity.Domain;
using Certus.Identity.Features;
using Certus.Identity.Infrastructure;
using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Identity;

/// <summary>
/// Organisations, users, groups, roles, sign-in and tokens (ISO 20000-1:2018 5.3 roles and responsibilities;
/// 7.2 competence builds on the people recorded here).
/// </summary>
public sealed class IdentityModule : IModule
{
    /// <summary>Scheme that picks bearer tokens for API clients and the cookie for browsers.</summary>
    public const string Scheme = "Certus";

    public string Name => "identity";

    public string TablePrefix => "idn_";

    public Type Strings => typeof(Strings);

    public IReadOnlyList<PermissionDefinition> Permissions { get; } =
    [
        new(PlatformPermissions.OrganisationsRead, Roles.All),
        new(PlatformPermissions.OrganisationsManage, [Roles.Administrator]),
        new(PlatformPermissions.UsersRead, Roles.Staff),
        new(PlatformPermissions.UsersManage, [Roles.Administrator]),
        new(PlatformPermissions.AuditRead, [Roles.Administrator, Roles.Auditor, Roles.ManagementRepresentative]),
        new(PlatformPermissions.SystemMonitor, [Roles.Administrator]),
    ];

    public IReadOnlyList<MenuEntry> Menu { get; } =
    [
        new("Menu.Organisations", "/admin/organisations", PlatformPermissions.OrganisationsManage, "building", 900, "admin"),
        new("Menu.Users", "/admin/users", PlatformPermissions.UsersManage, "users", 910, "admin"),
    ];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(IdentityModuleOptions.Section).Get<IdentityModuleOptions>() ?? new IdentityModuleOptions();
        services.Configure<IdentityModuleOptions>(configuration.GetSection(IdentityModuleOptions.Section));

        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, CurrentUser>();
        services.AddScoped<IDirectory, Features.Directory>();

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, Scheme, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/sign-in";
            o.LogoutPath = "/account/sign-out";
            o.AccessDeniedPath = "/account/denied";
            o.Cookie.Name = "certus.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = context => Deny(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => Deny(context, StatusCodes.Status403Forbidden);
        });
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddIdentityCore<CertusUser>(o =>
            {
                o.Password.RequiredLength = 10;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 4;
                o.Lockout.MaxFailedAccessAttempts = options.MaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = options.LockoutDuration;
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddUserStore<UserStore>()
            .AddSignInManager<CertusSignInManager>()
            .AddClaimsPrincipalFactory<CertusClaimsFactory>()
            .AddErrorDescriber<LocalizedIdentityErrors>()
            // Only the authenticator (TOTP) provider: Certus has no e-mail or SMS codes, and those providers need stores it does not have.
            .AddTokenProvider<AuthenticatorTokenProvider<CertusUser>>(TokenOptions.DefaultAuthenticatorProvider);

        services.AddScoped<CreateOrganisation>();
        services.AddScoped<UpdateOrganisation>();
        services.AddScoped<GetOrganisation>();
        services.AddScoped<CreateUser>();
        services.AddScoped<UpdateUser>();
        services.AddScoped<GetUser>();
        services.AddScoped<CreateGroup>();
        services.AddScoped<UpdateGroup>();
        services.AddScoped<ListGroups>();
        services.AddScoped<IssueAccessToken>();
        services.AddScoped<SignInAudit>();
        services.AddScoped<CreatePersonalAccessToken>();
        services.AddScoped<RevokePersonalAccessToken>();
        services.AddScoped<ListPersonalAccessTokens>();
        services.AddScoped<GetMe>();
        services.AddScoped<ChangeMyLanguage>();
        services.AddScoped<TwoFactor>();
        services.AddScoped<ChangeMyPassword>();
        services.AddScoped<AdministerAccount>();
        services.AddScoped<EnsureAdministrator>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => IdentityApi.Map(endpoints);

    private static Task Deny(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        // Browsers navigating to a page are sent to sign in; API clients, scrapers and htmx get the status code.
        var wantsPage = context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
        if (!wantsPage
            || context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || context.Request.Headers.ContainsKey("HX-Request"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
