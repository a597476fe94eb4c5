using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Certus.Data;
using Certus.ServiceLevels.Domain;
using Certus.ServiceLevels.Features;
using Certus.Testing;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace Certus.Bench;

/// <summary>
/// Issue 4's speed goal: after a calendar edit, re-plan every running SLA clock on the calendar. The data is an
/// approved SLA on the seeded China standard working week and <c>clocks</c> running resolution clocks, bulk-loaded
/// with plain SQL; the edit is a new holiday through <c>PUT /api/v1/calendars/{id}</c>; Certus's
/// <see cref="ReplanClocks.ReplanAsync"/> does the work. Baseline in the same run: the same rows read with one plain
/// SELECT and the same number of due and warning times written with plain batched UPDATEs.
/// </summary>
public static class SlaReplanBench
{
    private const int LoadBatch = 50_000;
    private const int WriteBatch = 5_000;

    /// <summary>Business-minute resolution targets per priority (P1..P5) and a realistic share of each priority.</summary>
    private static readonly int[] Targets = [240, 480, 960, 1920, 2880];
    private static readonly double[] Shares = [0.02, 0.08, 0.40, 0.35, 0.15];
    private static readonly string[] PauseStatuses = ["pending"];
    private static readonly string[] LoadColumns =
        ["incident", "agreement", "version", "calendar", "organisation", "service", "priority", "target", "started", "since", "elapsed", "due", "warn"];

    public static async Task RunAsync(string provider, long clocks)
    {
        // The evaluation job would start working off the replan request (and breaching overdue clocks) in the middle of
        // the measurement: it fires once at start, on an empty database, and then not again for a day.
        CertusFixture host = provider == "postgres" ? new BenchPostgres() : new BenchSqlite();
        await host.InitializeAsync();
        var results = new List<Result>();
        try
        {
            var database = host.Database;
            var dataset = $"{provider}, {clocks:N0} running clocks";
            var build = await Builders.ForAsync(host);
            var admin = build.Admin;
            var customer = await build.OrganisationAsync();

            Guid calendarId;
            await using (var connection = await database.OpenAsync())
            {
                calendarId = await connection.ExecuteScalarAsync<Guid>("SELECT id FROM sla_calendars WHERE name = @name", new { name = SeedCalendars.ChinaStandardName });
            }
            var service = await IdAsync(await admin.PostAsJsonAsync("/api/v1/services", new
            {
                code = "IDC", nameEn = "IDC hosting", nameZh = "IDC 托管", descriptionEn = "Racks, power and network", descriptionZh = "机柜、电力和网络",
                lifecycle = "live", serviceHours = "Business hours", customerIds = new[] { customer },
            }));
            var agreement = await IdAsync(await admin.PostAsJsonAsync("/api/v1/agreements", new
            {
                kind = "sla", title = "IDC hosting SLA", serviceId = service, organisationId = customer,
                terms = new
                {
                    calendarId, warningPercent = 75, pauseStatuses = PauseStatuses, onReopen = "resume",
                    targets = Enumerable.Range(1, 5).Select(p => new { priority = p, responseMinutes = Targets[p - 1] / 8, resolutionMinutes = Targets[p - 1] }).ToArray(),
                },
            }));
            (await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/agreements/{agreement}/approve", new { effectiveFrom = DateTimeOffset.UtcNow.AddDays(-60) }, 1))
                .EnsureSuccessStatusCode();
            Guid versionId;
            await using (var connection = await database.OpenAsync())
            {
                versionId = await connection.ExecuteScalarAsync<Guid>(
                    "SELECT id FROM sla_agreement_versions WHERE agreement_id = @agreement AND status = 'approved'", new { agreement });
            }

            // Clocks planned on the calendar as it is before the edit.
            var calendar = await host.Services.GetRequiredService<CalendarCache>().GetAsync(calendarId, CancellationToken.None);
            var now = DateTimeOffset.UtcNow;
            var rows = Generate(clocks, now, calendar).ToList();
            var load = Stopwatch.StartNew();
            await LoadAsync(database, rows, agreement, versionId, calendarId, customer, service);
            results.Add(new Result("sla.replan.generate", dataset, "load time", load.Elapsed.TotalSeconds, "s", null, "bulk load in plain SQL, not through Certus"));
            Console.WriteLine($"loaded {rows.Count:N0} clocks in {load.Elapsed.TotalSeconds:0.0} s");

            // The edit: a new holiday on the coming Monday, through the API (audit entry, version bump, replan request).
            var view = await admin.GetFromJsonAsync<JsonObject>($"/api/v1/calendars/{calendarId}");
            var holidays = view!["holidays"]!.AsArray();
            var monday = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
            while (monday.DayOfWeek != DayOfWeek.Monday)
            {
                monday = monday.AddDays(1);
            }
            holidays.Add(new JsonObject { ["date"] = monday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["name"] = "Benchmark holiday" });
            var body = new JsonObject
            {
                ["name"] = view["name"]!.GetValue<string>(), ["timeZone"] = view["timeZone"]!.GetValue<string>(),
                ["workingHours"] = view["workingHours"]!.DeepClone(), ["holidays"] = holidays.DeepClone(), ["workingDays"] = view["workingDays"]!.DeepClone(),
            };
            (await admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/calendars/{calendarId}", body, view["version"]!.GetValue<int>())).EnsureSuccessStatusCode();

            // Certus: the replan the evaluation job would run for this edit.
            ReplanClocks.Result replan;
            await using (var scope = host.Services.CreateAsyncScope())
            {
                replan = await scope.ServiceProvider.GetRequiredService<ReplanClocks>().ReplanAsync(calendarId, CancellationToken.None);
            }
            if (replan.Clocks != clocks)
            {
                throw new InvalidOperationException($"Replanned {replan.Clocks} clocks, expected {clocks}.");
            }
            Console.WriteLine($"replan: {replan.Clocks:N0} clocks, computing {replan.Computing.TotalSeconds:0.00} s, total {replan.Total.TotalSeconds:0.00} s");

            // Baseline 1: the same rows, read once with a plain SELECT, values kept as the driver returns them.
            var read = Stopwatch.StartNew();
            var raw = await ReadAsync(database, calendarId);
            var readSeconds = read.Elapsed.TotalSeconds;
            var stored = Parse(raw);
            if (stored.Count != clocks)
            {
                throw new InvalidOperationException($"Read {stored.Count} clocks, expected {clocks}.");
            }

            // The clocks the edit moved, as stored now (a check on Certus's count), and the write lists: the moved clocks
            // back to their pre-edit times (as many changed rows as Certus wrote), then every clock to its new times.
            var before = rows.ToDictionary(r => r.IncidentId, r => (Due: r.DueAt, Warn: r.WarnAt));
            var restore = new List<(Guid Incident, DateTimeOffset Due, DateTimeOffset Warn)>();
            var all = new List<(Guid Incident, DateTimeOffset Due, DateTimeOffset Warn)>(stored.Count);
            foreach (var s in stored)
            {
                var old = before[s.Incident];
                if (old.Due != s.Due || old.Warn != s.Warn)
                {
                    restore.Add((s.Incident, old.Due, old.Warn));
                }
                all.Add((s.Incident, s.Due, s.Warn));
            }
            if (restore.Count == 0 || restore.Count != replan.Moved)
            {
                throw new InvalidOperationException($"The edit moved {restore.Count} clocks in the database; Certus reported {replan.Moved}.");
            }

            // Baseline 2: plain batched UPDATEs by primary key, in the same batch size and key order.
            var write = Stopwatch.StartNew();
            await WriteAsync(database, restore, agreement);
            var writeSeconds = write.Elapsed.TotalSeconds;
            write.Restart();
            await WriteAsync(database, all, agreement);
            var writeAllSeconds = write.Elapsed.TotalSeconds;

            results.Add(new Result("sla.replan", dataset, "compute", replan.Computing.TotalSeconds, "s", null,
                "goal: at most 5 s; SlaClock.Plan on the compiled calendar (due and warning time per clock); no SQL counterpart"));
            results.Add(new Result("sla.replan", dataset, "total", replan.Total.TotalSeconds, "s", readSeconds + writeSeconds,
                "goal on SQLite: at most 60 s; ReplanClocks.ReplanAsync (read, compute, save in batches of 5,000); baseline: plain read + plain write"));
            results.Add(new Result("sla.replan.baseline", dataset, "read", readSeconds, "s", null, "one plain SELECT of the same rows (keys, terms, times), no mapping"));
            results.Add(new Result("sla.replan.baseline", dataset, "write", writeSeconds, "s", null,
                "plain UPDATE of due_at and warn_at by primary key for the clocks the edit moved, batches of 5,000 (SQLite: one prepared command; PostgreSQL: one unnest UPDATE per batch)"));
            results.Add(new Result("sla.replan.baseline", dataset, "write all", writeAllSeconds, "s", null,
                "the same UPDATE for every clock: what an edit that moves every clock (a new time zone or working week) costs the substrate"));
            results.Add(new Result("sla.replan", dataset, "clocks", replan.Clocks, "clocks", stored.Count, "clocks replanned; baseline: rows read"));
            results.Add(new Result("sla.replan", dataset, "moved", replan.Moved, "clocks", restore.Count,
                $"clocks whose due or warning time the new holiday on {monday:yyyy-MM-dd} changed (only these are written); baseline: counted in the database"));
        }
        finally
        {
            await host.DisposeAsync();
        }
        await Results.WriteAsync($"sla-replan-{provider}.json", results);
    }

    private static async Task<Guid> IdAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {text}");
        }
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    private sealed record ClockData(
        Guid IncidentId, int Priority, int TargetMinutes, DateTimeOffset StartedAt, DateTimeOffset RunningSince, double ElapsedMinutes, DateTimeOffset DueAt,
        DateTimeOffset WarnAt);

    /// <summary>
    /// Deterministic clocks: started in the last 30 days, priorities by <see cref="Shares"/>; seven in ten never paused,
    /// the rest paused once and running again since, with some business minutes already counted.
    /// </summary>
    private static IEnumerable<ClockData> Generate(long count, DateTimeOffset now, BusinessCalendar calendar)
    {
        var random = new Random(4_2026);
        var bytes = new byte[16];
        for (long i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            var id = new Guid(bytes);
            var roll = random.NextDouble();
            var priority = 1;
            for (var acc = Shares[0]; roll > acc && priority < 5; acc += Shares[priority], priority++)
            {
            }
            var target = Targets[priority - 1];
            var started = DapperSetup.Normalise(now.AddMinutes(-random.NextDouble() * 30 * 24 * 60));
            var since = started;
            var elapsed = 0.0;
            if (random.NextDouble() < 0.3)
            {
                since = DapperSetup.Normalise(started.AddMinutes(random.NextDouble() * (now - started).TotalMinutes));
                elapsed = Math.Round(Math.Min(calendar.Elapsed(started, since), target * 0.8 * random.NextDouble()), 2);
            }
            var clock = SlaClock.Restore(SlaMetric.Resolution, priority, target, ClockState.Running, started, since, elapsed, null, null, null, null, null);
            clock.Plan(calendar, 75);
            yield return new ClockData(id, priority, target, started, since, elapsed, DapperSetup.Normalise(clock.DueAt!.Value), DapperSetup.Normalise(clock.WarnAt!.Value));
        }
    }

    private static async Task LoadAsync(Database database, List<ClockData> rows, Guid agreement, Guid version, Guid calendar, Guid organisation, Guid service)
    {
        foreach (var chunk in rows.Chunk(LoadBatch))
        {
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                await database.WriteAsync(async (connection, tx) =>
                {
                    await using var insert = connection.CreateCommand();
                    insert.Transaction = tx;
                    insert.CommandText = """
                        INSERT INTO sla_clocks (incident_id, agreement_id, metric, version_id, calendar_id, organisation_id, service_id, priority, target_minutes,
                            state, started_at, running_since, elapsed_minutes, due_at, warn_at)
                        VALUES ($incident, $agreement, 'resolution', $version, $calendar, $organisation, $service, $priority, $target,
                            'running', $started, $since, $elapsed, $due, $warn)
                        """;
                    var p = new Dictionary<string, DbParameter>(StringComparer.Ordinal);
                    foreach (var name in LoadColumns)
                    {
                        p[name] = insert.CreateParameter();
                        p[name].ParameterName = "$" + name;
                        insert.Parameters.Add(p[name]);
                    }
                    p["agreement"].Value = Text(agreement);
                    p["version"].Value = Text(version);
                    p["calendar"].Value = Text(calendar);
                    p["organisation"].Value = Text(organisation);
                    p["service"].Value = Text(service);
                    await insert.PrepareAsync();
                    foreach (var r in chunk)
                    {
                        p["incident"].Value = Text(r.IncidentId);
                        p["priority"].Value = r.Priority;
                        p["target"].Value = r.TargetMinutes;
                        p["started"].Value = DapperSetup.FormatTimestamp(r.StartedAt);
                        p["since"].Value = DapperSetup.FormatTimestamp(r.RunningSince);
                        p["elapsed"].Value = r.ElapsedMinutes;
                        p["due"].Value = DapperSetup.FormatTimestamp(r.DueAt);
                        p["warn"].Value = DapperSetup.FormatTimestamp(r.WarnAt);
                        await insert.ExecuteNonQueryAsync();
                    }
                    return true;
                });
            }
            else
            {
                await using var connection = (NpgsqlConnection)await database.OpenAsync();
                await using var writer = await connection.BeginBinaryImportAsync(
                    """
                    COPY sla_clocks (incident_id, agreement_id, metric, version_id, calendar_id, organisation_id, service_id, priority, target_minutes,
                        state, started_at, running_since, elapsed_minutes, due_at, warn_at) FROM STDIN (FORMAT BINARY)
                    """);
                foreach (var r in chunk)
                {
                    await writer.StartRowAsync();
                    await writer.WriteAsync(r.IncidentId, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(agreement, NpgsqlDbType.Uuid);
                    await writer.WriteAsync("resolution", NpgsqlDbType.Text);
                    await writer.WriteAsync(version, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(calendar, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(organisation, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(service, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(r.Priority, NpgsqlDbType.Integer);
                    await writer.WriteAsync(r.TargetMinutes, NpgsqlDbType.Integer);
                    await writer.WriteAsync("running", NpgsqlDbType.Text);
                    await writer.WriteAsync(r.StartedAt, NpgsqlDbType.TimestampTz);
                    await writer.WriteAsync(r.RunningSince, NpgsqlDbType.TimestampTz);
                    await writer.WriteAsync(r.ElapsedMinutes, NpgsqlDbType.Double);
                    await writer.WriteAsync(r.DueAt, NpgsqlDbType.TimestampTz);
                    await writer.WriteAsync(r.WarnAt, NpgsqlDbType.TimestampTz);
                }
                await writer.CompleteAsync();
            }
        }
        await using var analyse = await database.OpenAsync();
        await analyse.ExecuteAsync(database.Provider == DatabaseProvider.Sqlite ? "ANALYZE" : "VACUUM ANALYZE sla_clocks", commandType: System.Data.CommandType.Text, commandTimeout: 600);
    }

    private sealed record StoredClock(Guid Incident, DateTimeOffset Due, DateTimeOffset Warn);

    /// <summary>
    /// One plain SELECT of what a replan reads, plus the stored due time. Values stay as the driver returns them (text on
    /// SQLite); the key and due time are kept, to be parsed by <see cref="Parse"/> outside the timing.
    /// </summary>
    private static async Task<List<(object Id, object Due, object Warn)>> ReadAsync(Database database, Guid calendarId)
    {
        var list = new List<(object, object, object)>(1_000_000);
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.incident_id, c.agreement_id, c.metric, c.priority, c.target_minutes, c.started_at, c.running_since, c.elapsed_minutes, v.warning_percent, c.due_at, c.warn_at
            FROM sla_clocks c JOIN sla_agreement_versions v ON v.id = c.version_id
            WHERE c.calendar_id = @calendar AND c.state = 'running'
            ORDER BY c.incident_id, c.agreement_id, c.metric
            """;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@calendar";
        parameter.Value = database.Provider == DatabaseProvider.Sqlite ? Text(calendarId) : calendarId;
        command.Parameters.Add(parameter);
        command.CommandTimeout = 600;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            for (var i = 1; i < 9; i++)
            {
                _ = reader.GetValue(i);
            }
            list.Add((reader.GetValue(0), reader.GetValue(9), reader.GetValue(10)));
        }
        return list;
    }

    private static List<StoredClock> Parse(List<(object Id, object Due, object Warn)> raw) =>
        [.. raw.Select(r => new StoredClock(r.Id is Guid g ? g : Guid.Parse((string)r.Id), Instant(r.Due), Instant(r.Warn)))];

    private static DateTimeOffset Instant(object value) => value switch
    {
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        DateTimeOffset d => d.ToUniversalTime(),
        _ => DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
    };

    private static async Task WriteAsync(Database database, List<(Guid Incident, DateTimeOffset Due, DateTimeOffset Warn)> writes, Guid agreement)
    {
        foreach (var chunk in writes.Chunk(WriteBatch))
        {
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                var texts = chunk.Select(w => (Id: Text(w.Incident), Due: DapperSetup.FormatTimestamp(w.Due), Warn: DapperSetup.FormatTimestamp(w.Warn))).ToArray();
                await database.WriteAsync(async (connection, tx) =>
                {
                    await using var update = (SqliteCommand)connection.CreateCommand();
                    update.Transaction = (SqliteTransaction)tx;
                    update.CommandText = """
                        UPDATE sla_clocks SET due_at = $due, warn_at = $warn
                        WHERE incident_id = $incident AND agreement_id = $agreement AND metric = 'resolution' AND state = 'running'
                        """;
                    var due = update.Parameters.Add("$due", SqliteType.Text);
                    var warn = update.Parameters.Add("$warn", SqliteType.Text);
                    var incident = update.Parameters.Add("$incident", SqliteType.Text);
                    update.Parameters.AddWithValue("$agreement", Text(agreement));
                    await update.PrepareAsync();
                    foreach (var t in texts)
                    {
                        due.Value = t.Due;
                        warn.Value = t.Warn;
                        incident.Value = t.Id;
                        await update.ExecuteNonQueryAsync();
                    }
                    return true;
                });
            }
            else
            {
                var incidents = chunk.Select(w => w.Incident).ToArray();
                var dues = chunk.Select(w => w.Due).ToArray();
                var warns = chunk.Select(w => w.Warn).ToArray();
                await database.WriteAsync(async (connection, tx) =>
                {
                    await using var update = new NpgsqlCommand(
                        """
                        UPDATE sla_clocks c SET due_at = u.due, warn_at = u.warn
                        FROM unnest(@incidents, @dues, @warns) AS u(incident_id, due, warn)
                        WHERE c.incident_id = u.incident_id AND c.agreement_id = @agreement AND c.metric = 'resolution' AND c.state = 'running'
                        """, (NpgsqlConnection)connection, (NpgsqlTransaction)tx);
                    update.Parameters.AddWithValue("incidents", incidents);
                    update.Parameters.AddWithValue("dues", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, dues);
                    update.Parameters.AddWithValue("warns", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, warns);
                    update.Parameters.AddWithValue("agreement", agreement);
                    await update.ExecuteNonQueryAsync();
                    return true;
                });
            }
        }
    }

    /// <summary>A Guid as Microsoft.Data.Sqlite stores it through Dapper (upper-case text), so keys compare equal.</summary>
    private static string Text(Guid id) => id.ToString("D").ToUpperInvariant();

    private sealed class BenchSqlite : SqliteCertus
    {
        protected override IDictionary<string, string?> ExtraSettings => Quiet();
    }

    private sealed class BenchPostgres : PostgresCertus
    {
        protected override IDictionary<string, string?> ExtraSettings => Quiet();
    }

    private static Dictionary<string, string?> Quiet() => new(StringComparer.Ordinal) { ["Certus:ServiceLevels:EvaluateEvery"] = "1.00:00:00" };
}
