using System.Net.Http.Headers;
using System.Net.Http.Json;
using Certus.Data;
using Certus.Web.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Certus.Testing;

/// <summary>
/// The real Certus host on Kestrel at a loopback port, over a fresh database of one provider. Tests talk
/// to it over real HTTP. One fixture per test class; tests create the data they need.
/// </summary>
public abstract class CertusFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@certus.test";
    public const string AdminPassword = "Admin-pass-2026";

    private WebApplication? _app;

    public abstract DatabaseProvider Provider { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public Database Database => Services.GetRequiredService<Database>();

    /// <summary>Settings a fixture adds or overrides (e.g. a low rate limit).</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(StringComparer.Ordinal);

    protected abstract Task<IDictionary<string, string?>> DatabaseSettingsAsync();

    /// <summary>Services a fixture puts in before the host's own (the host only adds a clock when none is there).</summary>
    protected virtual void AddServices(IServiceCollection services)
    {
    }

    /// <summary>Runs before the host starts, for what the host needs already running (a test mail server).</summary>
    protected virtual Task StartingAsync() => Task.CompletedTask;

    /// <summary>Runs after the host has stopped.</summary>
    protected virtual Task StoppedAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        await StartingAsync();
        var settings = await DatabaseSettingsAsync();
        settings["Certus:Admin:Email"] = AdminEmail;
        settings["Certus:Admin:Password"] = AdminPassword;
        settings["Certus:Auth:SignInRequestsPerMinute"] = "100000";
        settings["Certus:DefaultCulture"] = "en-US";
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }
        _app = CertusHost.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            AddServices(builder.Services);
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        }, RepositoryPaths.WebProject);
        await CertusHost.PrepareDatabaseAsync(_app.Services);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        await StoppedAsync();
    }

    /// <summary>A client with no credentials.</summary>
    public HttpClient Anonymous(string culture = "en-US")
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
        return client;
    }

    /// <summary>A client that signs in through <c>POST /api/v1/auth/token</c> and sends the bearer token.</summary>
    public async Task<HttpClient> ClientAsync(string email, string password, string culture = "en-US")
    {
        var client = Anonymous(culture);
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        return client;
    }

    public Task<HttpClient> AdminAsync(string culture = "en-US") => ClientAsync(AdminEmail, AdminPassword, culture);

    public sealed record TokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt);
}

/// <summary>Certus on a fresh SQLite file.</summary>
public class SqliteCertus : CertusFixture
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "certus-tests", Guid.NewGuid().ToString("N"));

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public string File => Path.Combine(_folder, "certus.db");

    protected override Task<IDictionary<string, string?>> DatabaseSettingsAsync() =>
        Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Certus:Database:Provider"] = "sqlite",
            ["Certus:Database:Path"] = File,
        });
}

/// <summary>Certus on a fresh PostgreSQL database.</summary>
public class PostgresCertus : CertusFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override async Task<IDictionary<string, string?>> DatabaseSettingsAsync() =>
        new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Certus:Database:Provider"] = "postgres",
            ["Certus:Database:ConnectionString"] = await PostgresServer.CreateDatabaseAsync(),
        };
}

/// <summary>Where the repository's projects are, found from the test binaries' folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string WebProject => Path.Combine(Root, "src", "Certus.Web");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Certus.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Certus.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A clock a test moves by hand: it stands still until told to advance, so expiry is tested without waiting.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
}

/// <summary>Certus on a fresh SQLite file, its clock in the test's hand.</summary>
public sealed class ClockedSqliteCertus : SqliteCertus
{
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void AddServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>Certus on a fresh PostgreSQL database, its clock in the test's hand.</summary>
public sealed class ClockedPostgresCertus : PostgresCertus
{
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void AddServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}
