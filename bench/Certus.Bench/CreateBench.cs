using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Dapper;

namespace Certus.Bench;

/// <summary>
/// Issue 3's create goal: incidents logged through <c>POST /api/v1/incidents</c> over real HTTP by concurrent clients,
/// against one plain-SQL transaction per row (the incident and its search entry) on the same database in the same run.
/// Every customer has an approved SLA, so each create also opens its response and resolution clocks, as in use.
/// </summary>
public static class CreateBench
{
    public const int Concurrency = 8;

    private static readonly string[] PauseStatuses = ["pending"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Creates before the clock starts, through both paths, so that JIT and first-use caches are not measured.</summary>
    public const int WarmUp = 200;

    public sealed record Run(double ApiRate, double ApiP95, double ApiP50, double RawRate, double RawP95, long Clocks, string Load = "");

    public static async Task RunAsync(string provider, int runs, int creates)
    {
        var measured = new List<Run>();
        for (var i = 0; i < runs; i++)
        {
            CertusFixture host = provider == "postgres" ? new PostgresCertus() : new SqliteCertus();
            await host.InitializeAsync();
            try
            {
                var (build, customers) = await SetUpAsync(host);
                var agentUser = await build.UserAsync(await build.ProviderIdAsync(), "service-desk-agent");
                using var agent = await build.ClientAsync(agentUser);
                var run = await MeasureAsync(host, agent, customers, creates, DateTimeOffset.UtcNow);
                Console.WriteLine(
                    $"run {i + 1}: api {run.ApiRate:0} /s (p50 {run.ApiP50:0.0} ms, p95 {run.ApiP95:0.0} ms), raw {run.RawRate:0} /s (p95 {run.RawP95:0.00} ms), clocks {run.Clocks}, load {run.Load}");
                measured.Add(run);
            }
            finally
            {
                await host.DisposeAsync();
            }
        }
        var file = $"incidents-{provider}.json";
        var path = Path.Combine(RepositoryPaths.Root, "bench", "results", file);
        var kept = File.Exists(path)
            ? (JsonSerializer.Deserialize<List<Result>>(await File.ReadAllTextAsync(path), Json) ?? [])
                .Where(r => r.Name != "incidents.create.api").ToList()
            : [];
        await Results.WriteAsync(file, [.. Report(provider, measured), .. kept]);
    }

    /// <summary>Twenty customers, each with an approved SLA for all its services on the seeded working calendar.</summary>
    public static async Task<(Builders Build, List<Guid> Customers)> SetUpAsync(CertusFixture host)
    {
        var build = await Builders.ForAsync(host);
        Guid calendarId;
        await using (var connection = await host.Database.OpenAsync())
        {
            calendarId = await connection.ExecuteScalarAsync<Guid>("SELECT id FROM sla_calendars ORDER BY name LIMIT 1");
        }
        var customers = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            var customer = await build.OrganisationAsync();
            var response = await build.Admin.PostAsJsonAsync("/api/v1/agreements", new
            {
                kind = "sla", title = $"Standard SLA {i + 1}", organisationId = customer,
                terms = new
                {
                    calendarId, warningPercent = 75, pauseStatuses = PauseStatuses, onReopen = "resume",
                    targets = Enumerable.Range(1, 5).Select(p => new { priority = p, responseMinutes = 15 * p, resolutionMinutes = 240 * p }).ToArray(),
                },
            });
            response.EnsureSuccessStatusCode();
            var agreement = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            (await build.Admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/agreements/{agreement}/approve", new { effectiveFrom = DateTimeOffset.UtcNow.AddDays(-1) }, 1))
                .EnsureSuccessStatusCode();
            customers.Add(customer);
        }
        return (build, customers);
    }

    public static async Task<Run> MeasureAsync(CertusFixture host, HttpClient agent, IReadOnlyList<Guid> customers, int creates, DateTimeOffset now)
    {
        var generator = new IncidentGenerator();
        await CreateAsync(agent, generator.Rows(30_000_000, WarmUp, customers, now).ToList());
        foreach (var r in generator.Rows(40_000_000, WarmUp, customers, now))
        {
            await RawLoader.InsertOneAsync(host.Database, r);
        }

        var body = generator.Rows(1, creates, customers, now).ToList();
        var (writes0, commits0) = (host.Database.WritesCommitted, host.Database.TransactionsCommitted);
        var cpu0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var latencies = await CreateAsync(agent, body);
        var apiRate = creates / clock.Elapsed.TotalSeconds;
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        var writes = host.Database.WritesCommitted - writes0;
        var commits = host.Database.TransactionsCommitted - commits0;
        Console.WriteLine($"{writes} writes in {commits} transactions; process CPU {cpu.TotalSeconds:0.00} s in {clock.Elapsed.TotalSeconds:0.00} s, {cpu.TotalMilliseconds / creates:0.00} ms per create");

        var baselineRows = generator.Rows(10_000_000, creates, customers, now).ToList();
        var rawLatencies = new List<double>();
        clock.Restart();
        foreach (var r in baselineRows)
        {
            var started = Stopwatch.GetTimestamp();
            await RawLoader.InsertOneAsync(host.Database, r);
            rawLatencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        var rawRate = creates / clock.Elapsed.TotalSeconds;

        long clocks;
        await using (var connection = await host.Database.OpenAsync())
        {
            clocks = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sla_clocks");
        }
        if (clocks != 2L * (creates + WarmUp))
        {
            throw new InvalidOperationException($"{clocks} SLA clocks for {creates + WarmUp} incidents: every create should open two.");
        }
        return new Run(apiRate, Results.Percentile(latencies, 95), Results.Percentile(latencies, 50), rawRate, Results.Percentile(rawLatencies, 95), clocks, Load());
    }

    public static IEnumerable<Result> Report(string provider, IReadOnlyList<Run> runs)
    {
        var rates = runs.Select(r => r.ApiRate).Order().ToList();
        var median = runs.OrderBy(r => r.ApiRate).ElementAt(runs.Count / 2);
        var range = runs.Count > 1
            ? string.Create(CultureInfo.InvariantCulture, $"median of {runs.Count} runs on fresh databases (API {rates[0]:0}-{rates[^1]:0}/s, raw {runs.Min(r => r.RawRate):0}-{runs.Max(r => r.RawRate):0}/s; load average {string.Join(' ', runs.Select(r => r.Load))}); ")
            : "";
        yield return new Result("incidents.create.api", $"{provider}, empty", "throughput", median.ApiRate, "incidents/s", median.RawRate,
            $"{range}{Concurrency} concurrent HTTP clients in the same process, after {WarmUp} warm-up creates; each create opens 2 SLA clocks; baseline: one INSERT + search entry per transaction");
        yield return new Result("incidents.create.api", $"{provider}, empty", "p95", median.ApiP95, "ms", median.RawP95,
            runs.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $"run with the median throughput; p95 over runs {runs.Min(r => r.ApiP95):0.0}-{runs.Max(r => r.ApiP95):0.0} ms") : null);
    }

    // The machine is shared: the 1-minute load average at the end of a run says how much else was running.
    private static string Load() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static async Task<List<double>> CreateAsync(HttpClient agent, List<IncidentGenerator.Row> rows)
    {
        var latencies = new List<double>();
        var gate = new Lock();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < rows.Count)
            {
                var r = rows[i];
                var started = Stopwatch.GetTimestamp();
                using var response = await agent.PostAsJsonAsync("/api/v1/incidents", new
                {
                    title = r.Title, description = r.Description, channel = r.Channel, organisationId = r.OrganisationId, callerName = r.CallerName,
                    impact = r.Impact, urgency = r.Urgency,
                });
                response.EnsureSuccessStatusCode();
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (gate)
                {
                    latencies.Add(ms);
                }
            }
        }));
        return latencies;
    }
}
