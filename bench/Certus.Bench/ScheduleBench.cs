using System.Diagnostics;
using System.Globalization;
using Certus.Data;
using Certus.Testing;
using Dapper;

namespace Certus.Bench;

/// <summary>
/// The change schedule with 20,000 changes planned across one year: the year view and a month view rendered through
/// the real host (server-side HTML from one schedule read), beside the plain SELECT of the same rows. Goal: the year
/// view in at most 300 ms.
/// </summary>
public static class ScheduleBench
{
    private const int Year = 2031;

    private static readonly string[] Services = ["SVC-PAY", "SVC-WEB", "SVC-DB", "SVC-NET", "SVC-MAIL", "SVC-ERP", "SVC-CRM", "SVC-VPN", "SVC-DNS", "SVC-IDC"];

    private static readonly string[] States = ["scheduled", "scheduled", "scheduled", "authorised", "implemented", "reviewed", "closed", "implementing"];

    private static readonly string[] Titles =
    [
        "核心交换机固件升级", "Firewall rule for the payment API", "数据库补丁 Oracle 19.22", "Renew the TLS certificate", "存储扩容",
        "Patch the web servers", "机房精密空调维护", "Upgrade the VPN concentrator", "DNS 记录调整", "ERP quarterly release",
    ];

    public static async Task RunAsync(string provider, int count, int runs)
    {
        CertusFixture host = provider == "postgres" ? new PostgresCertus() : new SqliteCertus();
        await host.InitializeAsync();
        var results = new List<Result>();
        try
        {
            var build = await Builders.ForAsync(host);
            var manager = await build.UserAsync(await build.ProviderIdAsync(), "change-manager");
            var dataset = $"{provider}, {count:N0} changes in {Year}";

            var clock = Stopwatch.StartNew();
            await LoadAsync(host.Database, await build.ProviderIdAsync(), count);
            results.Add(new Result("changes.schedule.generate", dataset, "load time", clock.Elapsed.TotalSeconds, "s", null, "plain INSERTs into chg_changes, chg_change_services and chg_change_cis, not through Certus"));

            using var session = new BrowserSession(host);
            var signedIn = await session.SignInAsync(manager.Email, manager.Password);
            if (signedIn.StatusCode != System.Net.HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"Signing in answered {signedIn.StatusCode}.");
            }
            var from = new DateTimeOffset(Year, 1, 1, 0, 0, 0, TimeSpan.Zero);
            foreach (var (name, url, start, end) in new[]
            {
                ("changes.schedule.year", $"/changes/schedule?year={Year}", from, from.AddYears(1)),
                ("changes.schedule.month", $"/changes/schedule?month={Year}-06", from.AddMonths(5), from.AddMonths(6)),
            })
            {
                var (page, raw, bytes) = await MeasureAsync(session, host.Database, url, start, end, runs);
                results.Add(new Result(name, dataset, "p95", Results.Percentile(page, 95), "ms", Results.Percentile(raw, 95),
                    $"GET {url} through the host, {runs} runs, {bytes / 1024:N0} KiB of HTML; baseline: the plain SELECT of the same rows"));
                results.Add(new Result(name, dataset, "p50", Results.Percentile(page, 50), "ms", Results.Percentile(raw, 50)));
            }
        }
        finally
        {
            await host.DisposeAsync();
        }
        await Results.WriteAsync($"changes-schedule-{provider}.json", results);
    }

    private static async Task<(List<double> Page, List<double> Raw, long Bytes)> MeasureAsync(
        BrowserSession session, Database database, string url, DateTimeOffset from, DateTimeOffset to, int runs)
    {
        var page = new List<double>();
        var raw = new List<double>();
        long bytes = 0;
        // Warm both paths once.
        bytes = (await session.GetHtmlAsync(url)).Length;
        await RawAsync(database, from, to);
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var html = await session.GetHtmlAsync(url);
            page.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            bytes = html.Length;

            started = Stopwatch.GetTimestamp();
            await RawAsync(database, from, to);
            raw.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return (page, raw, bytes);
    }

    private static async Task RawAsync(Database database, DateTimeOffset from, DateTimeOffset to)
    {
        await using var connection = await database.OpenAsync();
        (await connection.QueryAsync(
            """
            SELECT c.id, c.number, c.title, c.type, c.state, c.risk_level, c.planned_start, c.planned_end, c.schedule_override
            FROM chg_changes c
            WHERE c.planned_start < @to AND c.planned_end > @from AND c.state NOT IN ('cancelled', 'rejected', 'draft')
            ORDER BY c.planned_start, c.number
            """, new { from = from.ToUniversalTime(), to = to.ToUniversalTime() })).AsList();
    }

    private static async Task LoadAsync(Database database, Guid organisation, int count)
    {
        var random = new Random(20261121);
        var start = new DateTimeOffset(Year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using var connection = await database.OpenAsync();
        var first = await connection.ExecuteScalarAsync<long>("SELECT value FROM chg_counters WHERE name = 'change'") + 1;
        var rows = Enumerable.Range(0, count).Select(i =>
        {
            // Mostly evenings and weekends, one to six hours long.
            var planned = start.AddDays(random.Next(365)).AddHours(random.Next(18, 24)).AddMinutes(random.Next(4) * 15);
            return new
            {
                id = Guid.CreateVersion7(),
                number = first + i,
                organisation,
                type = i % 20 == 0 ? "emergency" : i % 3 == 0 ? "standard" : "normal",
                state = States[i % States.Length],
                title = $"{Titles[i % Titles.Length]} #{i.ToString(CultureInfo.InvariantCulture)}",
                level = i % 4 == 0 ? "medium" : "low",
                plannedStart = planned,
                plannedEnd = planned.AddHours(1 + random.Next(6)),
                service = Services[random.Next(Services.Length)],
                ci = Guid.CreateVersion7(),
                now = DateTimeOffset.UtcNow,
            };
        }).ToList();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            foreach (var batch in rows.Chunk(2_000))
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO chg_changes (id, number, organisation_id, type, state, authorised_at, title, reason, description, origin, requested_by_name,
                        risk_answers, risk_level, implementation_plan, backout_plan, test_plan, customer_impact, cmdb_updates, planned_start, planned_end,
                        approval_round, created_at, updated_at, version)
                    VALUES (@id, @number, @organisation, @type, @state, @now, @title, 'Benchmark', '', 'internal', 'Bench',
                        '{}', @level, 'Plan', 'Back out', 'Test', '', '[]', @plannedStart, @plannedEnd, 0, @now, @now, 1)
                    """, batch, tx);
                await connection.ExecuteAsync("INSERT INTO chg_change_services (change_id, service_code) VALUES (@id, @service)", batch, tx);
                await connection.ExecuteAsync(
                    "INSERT INTO chg_change_cis (change_id, ci_id, role, identifier, name) VALUES (@id, @ci, 'declared', 'SRV-000001', 'bench')", batch, tx);
            }
            await connection.ExecuteAsync("UPDATE chg_counters SET value = @last WHERE name = 'change'", new { last = first + count - 1 }, tx);
            var windows = new[]
            {
                new { id = Guid.CreateVersion7(), kind = "freeze", name = "年终结算冻结 Year-end freeze", startsAt = new DateTimeOffset(Year, 12, 20, 0, 0, 0, TimeSpan.Zero), endsAt = new DateTimeOffset(Year + 1, 1, 3, 0, 0, 0, TimeSpan.Zero), now = DateTimeOffset.UtcNow },
                new { id = Guid.CreateVersion7(), kind = "freeze", name = "春节冻结 Spring Festival freeze", startsAt = new DateTimeOffset(Year, 1, 20, 0, 0, 0, TimeSpan.Zero), endsAt = new DateTimeOffset(Year, 1, 30, 0, 0, 0, TimeSpan.Zero), now = DateTimeOffset.UtcNow },
                new { id = Guid.CreateVersion7(), kind = "maintenance", name = "周六维护窗口 Saturday maintenance", startsAt = new DateTimeOffset(Year, 6, 6, 22, 0, 0, TimeSpan.Zero), endsAt = new DateTimeOffset(Year, 6, 7, 4, 0, 0, TimeSpan.Zero), now = DateTimeOffset.UtcNow },
            };
            await connection.ExecuteAsync(
                "INSERT INTO chg_windows (id, kind, name, starts_at, ends_at, note, created_at, updated_at, version) VALUES (@id, @kind, @name, @startsAt, @endsAt, '', @now, @now, 1)",
                windows, tx);
            await tx.CommitAsync();
        }
    }
}
