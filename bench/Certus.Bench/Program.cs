using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Bench;
using Certus.Data;
using Certus.Data.Search;
using Certus.Testing;
using Dapper;

// dotnet run -c Release --project bench/Certus.Bench -- [sqlite|postgres] [incidents to load, default 1000000] [creates, default 5000]
// dotnet run -c Release --project bench/Certus.Bench -- [sqlite-create|postgres-create] [runs, default 3] [creates, default 5000]
//   the create phase alone, each run on a fresh database; replaces only the create entries of the results file
// dotnet run -c Release --project bench/Certus.Bench -- [sqlite-sla|postgres-sla] [running SLA clocks, default 1000000]
// dotnet run -c Release --project bench/Certus.Bench -- [sqlite-cmdb|postgres-cmdb] [CIs, default 200000] [relationships, default 1000000]
// dotnet run -c Release --project bench/Certus.Bench -- [sqlite-cmdb-import|postgres-cmdb-import] [CSV rows, default 100000]
// dotnet run -c Release --project bench/Certus.Bench -- [sqlite-schedule|postgres-schedule] [changes, default 20000] [runs, default 30]
var provider = args.Length > 0 ? args[0] : "sqlite";
var total = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
if (provider.EndsWith("-schedule", StringComparison.Ordinal))
{
    await ScheduleBench.RunAsync(provider[..^9], (int)(args.Length > 1 ? total : 20_000), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30);
    return;
}
if (provider.EndsWith("-cmdb-import", StringComparison.Ordinal))
{
    await CmdbImportBench.RunAsync(provider[..^12], (int)(args.Length > 1 ? total : 100_000));
    return;
}
if (provider.EndsWith("-cmdb", StringComparison.Ordinal))
{
    await CmdbBench.RunAsync(provider[..^5], (int)(args.Length > 1 ? total : 200_000), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000);
    return;
}
if (provider.EndsWith("-sla", StringComparison.Ordinal))
{
    await SlaReplanBench.RunAsync(provider[..^4], total);
    return;
}
var creates = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5_000;
if (provider.EndsWith("-create", StringComparison.Ordinal))
{
    await CreateBench.RunAsync(provider[..^7], args.Length > 1 ? (int)total : 3, creates);
    return;
}
const int Queries = 200;

CertusFixture host = provider == "postgres" ? new PostgresCertus() : new SqliteCertus();
await host.InitializeAsync();
var results = new List<Result>();
try
{
    var (build, customers) = await CreateBench.SetUpAsync(host);
    var agentUser = await build.UserAsync(await build.ProviderIdAsync(), "service-desk-agent");
    using var agent = await build.ClientAsync(agentUser);
    var generator = new IncidentGenerator();
    var now = DateTimeOffset.UtcNow;
    var dataset = $"{provider}, {total:N0} incidents";

    // 1. Create through the REST API, against one transaction per row in plain SQL.
    var run = await CreateBench.MeasureAsync(host, agent, customers, creates, now);
    results.AddRange(CreateBench.Report(provider, [run]));

    // 2. The million: generated deterministically and bulk-loaded in plain SQL.
    var clock = Stopwatch.StartNew();
    await RawLoader.BulkAsync(host.Database, generator.Rows(20_000_000, total - creates, customers, now));
    var loadSeconds = clock.Elapsed.TotalSeconds;
    results.Add(new Result("incidents.generate", dataset, "load time", loadSeconds, "s", null, "bulk load, not through Certus"));

    // 3. Queues: a page of 50, filtered, sorted by priority and age.
    const string ByPriority = "i.priority, i.created_at";
    var queueCases = new List<(string Url, string Where, object Args, string Order)>
    {
        ("/api/v1/incidents?queue=open&pageSize=50", "i.is_open = @open", new { open = true }, ByPriority),
        ("/api/v1/incidents?queue=unassigned&pageSize=50", "i.assignee_id IS NULL AND i.is_open = @open", new { open = true }, ByPriority),
        ("/api/v1/incidents?status=pending&pageSize=50", "i.status = 'pending'", new { }, ByPriority),
    };
    for (var p = 1; p <= 5; p++)
    {
        queueCases.Add(($"/api/v1/incidents?queue=open&priority={p}&pageSize=50", "i.is_open = @open AND i.priority = @p", new { p, open = true }, ByPriority));
    }
    var (queueApi, queueRaw) = await MeasureAsync(agent, host.Database, queueCases, Queries);
    results.Add(new Result("incidents.queue.page50", dataset, "p95", Results.Percentile(queueApi, 95), "ms", Results.Percentile(queueRaw, 95), "API (count capped at 10,000 + page + names) vs the same SQL"));
    results.Add(new Result("incidents.queue.page50", dataset, "p50", Results.Percentile(queueApi, 50), "ms", Results.Percentile(queueRaw, 50)));

    // 4. Full-text search in Chinese and English.
    var terms = new[] { "交换机", "防火墙 故障", "数据库服务器", "证书过期", "精密空调", "switch", "firewall down", "database server", "certificate expired", "cooling unit" };
    var searchCases = terms.Select(t =>
    {
        var condition = host.Database.Provider == DatabaseProvider.Sqlite
            ? "i.number IN (SELECT rowid FROM inc_search WHERE inc_search MATCH @m)"
            : "i.search @@ to_tsquery('simple', @m)";
        var m = host.Database.Provider == DatabaseProvider.Sqlite ? SearchText.Fts5Query(t) : SearchText.TsQuery(t);
        // A search lists the newest matches first (the API's default when q is given).
        return ($"/api/v1/incidents?q={Uri.EscapeDataString(t)}&queue=all&pageSize=50", condition, (object)new { m }, "i.number DESC");
    }).ToList();
    var (searchApi, searchRaw) = await MeasureAsync(agent, host.Database, searchCases, Queries);
    results.Add(new Result("incidents.search", dataset, "p95", Results.Percentile(searchApi, 95), "ms", Results.Percentile(searchRaw, 95), "zh and en terms; API vs plain SQL on the same index"));
    results.Add(new Result("incidents.search", dataset, "p50", Results.Percentile(searchApi, 50), "ms", Results.Percentile(searchRaw, 50)));
}
finally
{
    await host.DisposeAsync();
}
await Results.WriteAsync($"incidents-{provider}.json", results);

static async Task<(List<double> Api, List<double> Raw)> MeasureAsync(
    HttpClient client, Database database, IReadOnlyList<(string Url, string Where, object Args, string Order)> cases, int count)
{
    var api = new List<double>();
    var raw = new List<double>();
    // Warm both paths once per case.
    foreach (var c in cases)
    {
        (await client.GetAsync(c.Url)).EnsureSuccessStatusCode();
    }
    for (var i = 0; i < count; i++)
    {
        var c = cases[i % cases.Count];
        var started = Stopwatch.GetTimestamp();
        var response = await client.GetAsync(c.Url);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadFromJsonAsync<JsonElement>();
        api.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

        started = Stopwatch.GetTimestamp();
        await using var connection = await database.OpenAsync();
        await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM (SELECT 1 FROM inc_incidents i WHERE {c.Where} LIMIT 10001) c", c.Args);
        (await connection.QueryAsync($"SELECT * FROM inc_incidents i WHERE {c.Where} ORDER BY {c.Order} LIMIT 50", c.Args)).AsList();
        raw.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
    return (api, raw);
}
