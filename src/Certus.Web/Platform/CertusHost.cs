using System.Threading.RateLimiting;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity;
using Certus.Identity.Features;
using Certus.Kernel.Events;
using Certus.Kernel.Security;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Localization;
using Certus.Kernel.Modules;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Certus.Web.Platform;

/// <summary>
/// Builds the one Certus web host: platform services, every module in <see cref="CertusModules"/>, the
/// middleware pipeline. Program.cs and the test host both start Certus through here.
/// </summary>
public static class CertusHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, string? contentRoot = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(CertusHost).Assembly.GetName().Name,
            ContentRootPath = contentRoot,
        });
        configure?.Invoke(builder);
        AddServices(builder.Services, builder.Configuration, CertusModules.All);
        var app = builder.Build();
        UsePipeline(app, CertusModules.All);
        return app;
    }

    public static void AddServices(IServiceCollection services, IConfiguration configuration, IReadOnlyList<IModule> modules)
    {
        var databaseOptions = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton(databaseOptions);
        services.AddSingleton<Database>();
        // Tried, so that a test host can put a clock of its own first.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IEnumerable<IModule>>(modules);
        services.AddSingleton<PermissionCatalog>();
        services.AddSingleton<IEnumerable<MigrationSource>>(
            [new MigrationSource("platform", typeof(Database).Assembly), .. modules.Select(m => new MigrationSource(m.Name, m.Assembly))]);
        services.AddSingleton<MigrationRunner>();
        services.AddScoped<SystemScope>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<AuditQueries>();
        services.AddScoped<DomainEvents>();
        services.AddScoped(typeof(Texts<>));
        services.AddSingleton<PrometheusMetrics>();
        services.AddCertusJobs(databaseOptions, configuration);

        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(o =>
        {
            var fallback = configuration["Certus:DefaultCulture"] is { } c && Cultures.IsSupported(c) ? c : Cultures.Chinese;
            o.DefaultRequestCulture = new RequestCulture(fallback);
            o.SupportedCultures = CultureSelection.Supported();
            o.SupportedUICultures = CultureSelection.Supported();
            o.RequestCultureProviders = [new CultureSelection()];
        });

        services.AddDataProtection().SetApplicationName("Certus");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DataProtectionKeyRepository(sp.GetRequiredService<Database>())));

        services.AddSingleton<IAuthorizationPolicyProvider, PermissionPolicyProvider>();
        services.AddScoped<IAuthorizationHandler, PermissionHandler>();
        services.AddAuthorization(o =>
            // Security by default: an endpoint nobody marked is reachable only when signed in.
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        var auth = configuration.GetSection(IdentityModuleOptions.Section).Get<IdentityModuleOptions>() ?? new IdentityModuleOptions();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Attempts only: showing the sign-in form costs nothing and is not limited.
            o.AddPolicy(RateLimitPolicies.SignIn, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = auth.SignInRequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("read"));
            o.OnRejected = async (context, ct) =>
            {
                var text = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<Kernel.Strings>>();
                context.HttpContext.Response.Headers.RetryAfter = "60";
                if (!IsApi(context.HttpContext.Request))
                {
                    context.HttpContext.Response.Redirect("/error/429");
                    return;
                }
                await Results.Problem(text["Problem.TooManyRequests"], statusCode: StatusCodes.Status429TooManyRequests,
                    title: text["Problem.TooManyRequests"]).ExecuteAsync(context.HttpContext);
            };
        });

        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var text = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<Kernel.Strings>>();
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
            context.ProblemDetails.Title ??= null;
            var key = context.ProblemDetails.Status switch
            {
                400 => "Problem.BadRequest",
                401 => "Problem.Unauthorized",
                403 => "Problem.Forbidden",
                404 => "Problem.NotFound",
                412 => "Problem.PreconditionFailed",
                429 => "Problem.TooManyRequests",
                >= 500 => "Problem.ServerError",
                _ => null,
            };
            if (key is not null && IsDefaultTitle(context.ProblemDetails.Title))
            {
                context.ProblemDetails.Title = text[key];
            }
        });
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Certus API";
                document.Info.Description = "IT service management for ISO/IEC 20000-1. Authenticate with a bearer token from POST /api/v1/auth/token or a personal access token.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "Access token or personal access token.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
                return Task.CompletedTask;
            });
        });

        // Chinese text is written as characters, not as &#x...; entities (pages stay readable and small).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRouting(o => o.LowercaseUrls = true);
        services.AddAntiforgery(o =>
        {
            o.HeaderName = "RequestVerificationToken";
            o.Cookie.Name = "certus.af";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        var mvc = services.AddRazorPages()
            .AddViewLocalization()
            .AddDataAnnotationsLocalization();
        // Module pages are added from the explicit module list (the SDK finds only packages that reference MVC).
        foreach (var module in modules)
        {
            mvc.AddApplicationPart(module.Assembly);
        }
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Certus:Http:KnownProxies lists the reverse proxies whose X-Forwarded-* headers count; without a list,
            // any sender is believed, so the instances must be reachable only through the proxy.
            var proxies = configuration.GetSection("Certus:Http:KnownProxies").Get<string[]>() ?? [];
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var proxy in proxies)
            {
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });

        foreach (var module in modules)
        {
            module.AddServices(services, configuration);
        }
    }

    public static void UsePipeline(WebApplication app, IReadOnlyList<IModule> modules)
    {
        app.Services.GetRequiredService<PrometheusMetrics>();
        if (app.Configuration.GetValue("Certus:Http:TrustForwardedHeaders", false))
        {
            app.UseForwardedHeaders();
        }
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            var text = context.RequestServices.GetRequiredService<IStringLocalizer<Kernel.Strings>>();
            if (IsApi(context.Request))
            {
                await Results.Problem(statusCode: 500, title: text["Problem.ServerError"]).ExecuteAsync(context);
                return;
            }
            context.Response.Redirect("/error");
        }));
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (IsApi(http.Request) && http.Response.ContentLength is null && string.IsNullOrEmpty(http.Response.ContentType))
            {
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                var problem = new ProblemDetailsContext { HttpContext = http, ProblemDetails = { Status = http.Response.StatusCode } };
                if (!await problems.TryWriteAsync(problem))
                {
                    // A browser that opens an API address asks for HTML, which no problem writer offers; it gets the
                    // API's answer all the same (WriteAsync would throw, and turn a 404 into a 500).
                    http.RequestServices.GetRequiredService<IOptions<ProblemDetailsOptions>>().Value.CustomizeProblemDetails?.Invoke(problem);
                    await Results.Problem(problem.ProblemDetails).ExecuteAsync(http);
                }
            }
            else if (!IsApi(http.Request) && http.Response.StatusCode is 404 or 400)
            {
                // The browser keeps the address it asked for and gets the real status, with the error page as its body:
                // not found, or a form refused before any page code ran (its antiforgery token missing or out of date).
                await ReExecuteAsync(context, $"/error/{http.Response.StatusCode}");
            }
        });
        app.UseSecurityHeaders();
        if (app.Configuration.GetValue("Certus:Http:RequireHttps", false))
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        app.UseStaticFiles();
        // Swagger UI serves static files only (the document is an endpoint); like static files it needs no sign-in.
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api/docs";
            o.SwaggerEndpoint("/openapi/v1.json", "Certus API v1");
            o.DocumentTitle = "Certus API";
        });
        app.UseRouting();
        app.UseAuthentication();
        // After authentication, so that the language saved on the user's account counts.
        app.UseRequestLocalization();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapGet("/metrics", (PrometheusMetrics metrics) => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .RequirePermission(PlatformPermissions.SystemMonitor)
            .ExcludeFromDescription();
        AuditApi.Map(app);
        foreach (var module in modules)
        {
            module.MapEndpoints(app);
        }
        app.MapRazorPages();
    }

    /// <summary>
    /// Applies migrations and creates the first administrator when the database is empty. Several instances
    /// starting together on one PostgreSQL database take turns, so only one of them does either.
    /// </summary>
    public static async Task PrepareDatabaseAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var database = services.GetRequiredService<Database>();
        var result = await database.ExclusiveAsync("certus.start-up", async () =>
        {
            await services.GetRequiredService<MigrationRunner>().MigrateAsync(ct);
            await using var scope = services.CreateAsyncScope();
            var administrator = await scope.ServiceProvider.ActAsSystem().GetRequiredService<EnsureAdministrator>().HandleAsync(ct);
            foreach (var seed in scope.ServiceProvider.GetServices<IStartupSeed>())
            {
                await seed.SeedAsync(ct);
            }
            return administrator;
        }, ct);
        if (result.GeneratedPassword is not null)
        {
            // Printed once, on the console only: the operator signs in and changes it.
            await Console.Out.WriteLineAsync(
                $"""

                ==================================================================
                 Certus created the first administrator.
                   email:    {result.Email}
                   password: {result.GeneratedPassword}
                 This password is shown only now.
                ==================================================================

                """);
        }
    }

    /// <summary>
    /// Runs the rest of the pipeline again for <paramref name="path"/>, keeping the response's status code, as
    /// <c>UseStatusCodePagesWithReExecute</c> does; done here because only pages get it (the API answers with problem
    /// details). The error page finds the original request in <see cref="IStatusCodeReExecuteFeature"/>.
    /// </summary>
    private static async Task ReExecuteAsync(StatusCodeContext context, string path)
    {
        var http = context.HttpContext;
        var originalPath = http.Request.Path;
        var originalQuery = http.Request.QueryString;
        var routeValues = http.Features.Get<IRouteValuesFeature>();
        http.Features.Set<IStatusCodeReExecuteFeature>(new ReExecutedRequest
        {
            OriginalPathBase = http.Request.PathBase.Value ?? "",
            OriginalPath = originalPath.Value ?? "",
            OriginalQueryString = originalQuery.HasValue ? originalQuery.Value : null,
            OriginalStatusCode = http.Response.StatusCode,
            Endpoint = http.GetEndpoint(),
            RouteValues = routeValues?.RouteValues,
        });
        // Routing picks the endpoint again for the new path.
        http.SetEndpoint(null);
        if (routeValues is not null)
        {
            routeValues.RouteValues = [];
        }
        http.Request.Path = path;
        http.Request.QueryString = QueryString.Empty;
        try
        {
            await context.Next(http);
        }
        finally
        {
            http.Request.Path = originalPath;
            http.Request.QueryString = originalQuery;
            http.Features.Set<IStatusCodeReExecuteFeature?>(null);
        }
    }

    /// <summary>The request a status code page was re-run for (the framework's own feature class cannot be given the status).</summary>
    private sealed class ReExecutedRequest : IStatusCodeReExecuteFeature
    {
        public string OriginalPathBase { get; set; } = "";

        public string OriginalPath { get; set; } = "";

        public string? OriginalQueryString { get; set; }

        public int OriginalStatusCode { get; init; }

        public Endpoint? Endpoint { get; init; }

        public RouteValueDictionary? RouteValues { get; init; }
    }

    internal static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);

    private static bool IsDefaultTitle(string? title) =>
        title is null || title.StartsWith("One or more validation", StringComparison.Ordinal)
        || title is "Unauthorized" or "Forbidden" or "Not Found" or "Bad Request" or "Precondition Failed" or "Too Many Requests"
            or "An error occurred while processing your request.";
}
