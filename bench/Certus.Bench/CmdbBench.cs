using System.Data.Common;
using System.Diagnostics;
using System.Net.Http.Json;
using Certus.Configuration.Domain;
using Certus.Configuration.Features;
using Certus.Data;
using Certus.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace Certus.Bench;

/// <summary>
/// Issue 5's impact goal: a generated IDC CMDB of 200,000 CIs and 1,000,000 relationships (bulk-loaded with plain SQL),
/// impact analysis to depth 6 from random CIs through <c>GET /api/v1/cis/{id}/impact</c>. Baselines in the same run:
/// a plain breadth-first walk over the same edges held in a <c>Dictionary&lt;Guid, List&lt;…&gt;&gt;</c>, and that walk
/// plus one plain SELECT of the reached rows (what the API answers from).
/// </summary>
public static class CmdbBench
{
    private const int Starts = 300;
    private const int Depth = 6;

    public static async Task RunAsync(string provider, int cis, int relationships)
    {
        CertusFixture host = provider == "postgres" ? new PostgresCertus() : new SqliteCertus();
        await host.InitializeAsync();
        var results = new List<Result>();
        try
        {
            var database = host.Database;
            var dataset = $"{provider}, {cis:N0} CIs, {relationships:N0} relationships";
            var build = await Builders.ForAsync(host);
            var customers = new List<Guid>();
            for (var i = 0; i < 40; i++)
            {
                customers.Add(await build.OrganisationAsync());
            }
            var classes = new Dictionary<string, Guid>(StringComparer.Ordinal);
            await using (var connection = await database.OpenAsync())
            {
                foreach (var (key, id) in await connection.QueryAsync<(string, Guid)>("SELECT key, id FROM cmdb_classes"))
                {
                    classes[key] = id;
                }
            }
            var clock = Stopwatch.StartNew();
            var graph = CmdbGenerator.Generate(cis, relationships, customers);
            await LoadAsync(database, graph, classes);
            results.Add(new Result("cmdb.generate", dataset, "load time", clock.Elapsed.TotalSeconds, "s", null, "bulk load with plain SQL, not through Certus"));
            Console.WriteLine($"loaded {graph.Items.Count:N0} CIs and {graph.Edges.Count:N0} relationships in {clock.Elapsed.TotalSeconds:0.0} s");

            var random = new Random(7);
            var starts = Enumerable.Range(0, Starts).Select(_ => graph.Items[random.Next(graph.Items.Count)].Id).ToList();
            using var admin = build.Admin;

            // The first question loads the graph into memory: timed on its own.
            clock.Restart();
            (await admin.GetAsync($"/api/v1/cis/{starts[0]}/impact?depth={Depth}")).EnsureSuccessStatusCode();
            results.Add(new Result("cmdb.impact.graph-load", dataset, "first query", clock.Elapsed.TotalMilliseconds, "ms", null,
                "reads every relationship once into memory; later queries only check the relationship log"));

            // 1. End to end through HTTP.
            var api = new List<double>();
            var reached = new List<int>();
            foreach (var start in starts)
            {
                var begun = Stopwatch.GetTimestamp();
                var response = await admin.GetAsync($"/api/v1/cis/{start}/impact?depth={Depth}");
                response.EnsureSuccessStatusCode();
                var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                api.Add(Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
                reached.Add(body.GetProperty("items").GetArrayLength());
            }

            // 2. Certus's walk alone, on the graph the API used, the same code path as ImpactAnalysis.
            var relationshipGraph = host.Services.GetRequiredService<RelationshipGraph>();
            ClassModel model;
            await using (var connection = await database.OpenAsync())
            {
                model = await ClassModel.LoadAsync(connection, null, default);
            }
            var engine = new List<double>();
            foreach (var start in starts)
            {
                var begun = Stopwatch.GetTimestamp();
                relationshipGraph.Read(view =>
                {
                    var spread = new List<ImpactDirection>(view.TypeCount);
                    for (var t = 0; t < view.TypeCount; t++)
                    {
                        spread.Add(model.Type(view.TypeKey((byte)t))?.ImpactDirection ?? ImpactDirection.None);
                    }
                    return view.TryIndex(start, out var node) ? ImpactWalk.Run(view.Outgoing, view.Incoming, spread, node, Depth, WalkDirection.Impact, 5_000).Visits.Count : 0;
                });
                engine.Add(Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
            }

            // Baselines: a plain BFS over Dictionary<Guid, List<…>> built from the same rows, then that BFS plus one SELECT of the reached rows.
            var spreads = model.Types.ToDictionary(t => t.Key, t => t.ImpactDirection, StringComparer.Ordinal);
            var plain = PlainGraph.Build(graph.Edges, spreads);
            var bfs = new List<double>();
            var bfsAndRows = new List<double>();
            await using (var connection = await database.OpenAsync())
            {
                foreach (var start in starts)
                {
                    var begun = Stopwatch.GetTimestamp();
                    var found = plain.Walk(start, Depth, 5_000);
                    bfs.Add(Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
                    foreach (var chunk in found.Chunk(900))
                    {
                        _ = (await connection.QueryAsync($"SELECT id, identifier, name, class_id, status FROM cmdb_items WHERE {database.Dialect.In("id", "ids")}",
                            new { ids = chunk })).Count();
                    }
                    bfsAndRows.Add(Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
                }
            }
            var note = $"{Starts} random start CIs, depth {Depth}; CIs reached: median {Results.Percentile([.. reached.Select(r => (double)r)], 50):0}, p95 {Results.Percentile([.. reached.Select(r => (double)r)], 95):0}, max {reached.Max()}";
            results.Add(new Result("cmdb.impact.api", dataset, "p95", Results.Percentile(api, 95), "ms", Results.Percentile(bfsAndRows, 95),
                note + "; baseline: plain in-memory BFS + one plain SELECT of the reached rows"));
            results.Add(new Result("cmdb.impact.api", dataset, "p50", Results.Percentile(api, 50), "ms", Results.Percentile(bfsAndRows, 50)));
            results.Add(new Result("cmdb.impact.walk", dataset, "p95", Results.Percentile(engine, 95), "ms", Results.Percentile(bfs, 95),
                "Certus's walk (ImpactWalk over RelationshipGraph, with paths) vs a plain BFS over Dictionary<Guid, List<(Guid, type)>>"));
            results.Add(new Result("cmdb.impact.walk", dataset, "p50", Results.Percentile(engine, 50), "ms", Results.Percentile(bfs, 50)));
        }
        finally
        {
            await host.DisposeAsync();
        }
        await Results.WriteAsync($"cmdb-{provider}.json", results);
    }

    private static string Text(Guid id) => id.ToString("D").ToUpperInvariant();

    private static async Task LoadAsync(Database database, CmdbGenerator.Graph graph, Dictionary<string, Guid> classes)
    {
        var now = DateTimeOffset.UtcNow;
        var stamp = DapperSetup.FormatTimestamp(now);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await database.WriteAsync(async (connection, tx) =>
            {
                await using var item = Prepared(connection, tx,
                    """
                    INSERT INTO cmdb_items (id, identifier, name, class_id, status, location, version_label, criticality, description, service_code, attributes, created_at, updated_at, version)
                    VALUES ($id, $identifier, $name, $class, 'in-use', $location, '', $criticality, '', $service, '{}', $now, $now, 1)
                    """, "id", "identifier", "name", "class", "location", "criticality", "service", "now");
                foreach (var ci in graph.Items)
                {
                    await RunAsync(item, Text(ci.Id), ci.Identifier, ci.Name, Text(classes[ci.Class]), ci.Location, ci.Criticality, (object?)ci.ServiceCode ?? DBNull.Value, stamp);
                }
                await using var customer = Prepared(connection, tx, "INSERT INTO cmdb_item_customers (ci_id, organisation_id) VALUES ($ci, $org)", "ci", "org");
                foreach (var (ci, org) in graph.Customers)
                {
                    await RunAsync(customer, Text(ci), Text(org));
                }
                await using var edge = Prepared(connection, tx,
                    "INSERT INTO cmdb_relationships (id, source_id, target_id, type_key, created_at) VALUES ($id, $source, $target, $type, $now)", "id", "source", "target", "type", "now");
                // The log is what every instance's in-memory graph follows: bulk-loaded relationships are logged as Certus logs them.
                await using var log = Prepared(connection, tx,
                    "INSERT INTO cmdb_relationship_log (seq, relationship_id, op, source_id, target_id, type_key, at) VALUES ($seq, $id, 'added', $source, $target, $type, $now)",
                    "seq", "id", "source", "target", "type", "now");
                var seq = 0L;
                foreach (var e in graph.Edges)
                {
                    await RunAsync(edge, Text(e.Id), Text(e.Source), Text(e.Target), e.Type, stamp);
                    await RunAsync(log, ++seq, Text(e.Id), Text(e.Source), Text(e.Target), e.Type, stamp);
                }
                return 0;
            });
        }
        else
        {
            await using var connection = (NpgsqlConnection)await database.OpenAsync();
            await using (var writer = await connection.BeginBinaryImportAsync(
                "COPY cmdb_items (id, identifier, name, class_id, status, location, version_label, criticality, description, service_code, attributes, created_at, updated_at, version) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var ci in graph.Items)
                {
                    await writer.StartRowAsync();
                    await writer.WriteAsync(ci.Id, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(ci.Identifier, NpgsqlDbType.Text);
                    await writer.WriteAsync(ci.Name, NpgsqlDbType.Text);
                    await writer.WriteAsync(classes[ci.Class], NpgsqlDbType.Uuid);
                    await writer.WriteAsync("in-use", NpgsqlDbType.Text);
                    await writer.WriteAsync(ci.Location, NpgsqlDbType.Text);
                    await writer.WriteAsync("", NpgsqlDbType.Text);
                    await writer.WriteAsync(ci.Criticality, NpgsqlDbType.Text);
                    await writer.WriteAsync("", NpgsqlDbType.Text);
                    if (ci.ServiceCode is null)
                    {
                        await writer.WriteNullAsync();
                    }
                    else
                    {
                        await writer.WriteAsync(ci.ServiceCode, NpgsqlDbType.Text);
                    }
                    await writer.WriteAsync("{}", NpgsqlDbType.Text);
                    await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    await writer.WriteAsync(1, NpgsqlDbType.Integer);
                }
                await writer.CompleteAsync();
            }
            await using (var writer = await connection.BeginBinaryImportAsync("COPY cmdb_item_customers (ci_id, organisation_id) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var (ci, org) in graph.Customers)
                {
                    await writer.StartRowAsync();
                    await writer.WriteAsync(ci, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(org, NpgsqlDbType.Uuid);
                }
                await writer.CompleteAsync();
            }
            await using (var writer = await connection.BeginBinaryImportAsync("COPY cmdb_relationships (id, source_id, target_id, type_key, created_at) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var e in graph.Edges)
                {
                    await writer.StartRowAsync();
                    await writer.WriteAsync(e.Id, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(e.Source, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(e.Target, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(e.Type, NpgsqlDbType.Text);
                    await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                }
                await writer.CompleteAsync();
            }
            await using (var writer = await connection.BeginBinaryImportAsync(
                "COPY cmdb_relationship_log (seq, relationship_id, op, source_id, target_id, type_key, at) FROM STDIN (FORMAT BINARY)"))
            {
                var seq = 0L;
                foreach (var e in graph.Edges)
                {
                    await writer.StartRowAsync();
                    await writer.WriteAsync(++seq, NpgsqlDbType.Bigint);
                    await writer.WriteAsync(e.Id, NpgsqlDbType.Uuid);
                    await writer.WriteAsync("added", NpgsqlDbType.Text);
                    await writer.WriteAsync(e.Source, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(e.Target, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(e.Type, NpgsqlDbType.Text);
                    await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                }
                await writer.CompleteAsync();
            }
        }
        await using var analyse = await database.OpenAsync();
        await analyse.ExecuteAsync(database.Provider == DatabaseProvider.Sqlite ? "ANALYZE" : "VACUUM ANALYZE", commandTimeout: 600, commandType: System.Data.CommandType.Text);
    }

    private static DbCommand Prepared(DbConnection connection, DbTransaction tx, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in names)
        {
            var p = command.CreateParameter();
            p.ParameterName = "$" + name;
            command.Parameters.Add(p);
        }
        command.Prepare();
        return command;
    }

    private static Task<int> RunAsync(DbCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
        return command.ExecuteNonQueryAsync();
    }

    /// <summary>The baseline: a BFS over a Dictionary of Guid adjacency lists, following the same impact directions.</summary>
    private sealed class PlainGraph
    {
        private readonly Dictionary<Guid, List<Guid>> _affects = [];

        public static PlainGraph Build(IReadOnlyList<CmdbGenerator.Edge> edges, Dictionary<string, ImpactDirection> spreads)
        {
            var graph = new PlainGraph();
            foreach (var e in edges)
            {
                var spread = spreads[e.Type];
                if (spread is ImpactDirection.Source or ImpactDirection.Both)
                {
                    graph.Add(e.Target, e.Source);
                }
                if (spread is ImpactDirection.Target or ImpactDirection.Both)
                {
                    graph.Add(e.Source, e.Target);
                }
            }
            return graph;
        }

        public List<Guid> Walk(Guid start, int depth, int limit)
        {
            var seen = new HashSet<Guid> { start };
            var found = new List<Guid>();
            var frontier = new List<Guid> { start };
            for (var d = 0; d < depth && frontier.Count > 0 && found.Count < limit; d++)
            {
                var next = new List<Guid>();
                foreach (var node in frontier)
                {
                    if (_affects.TryGetValue(node, out var list))
                    {
                        foreach (var other in list)
                        {
                            if (seen.Add(other))
                            {
                                found.Add(other);
                                next.Add(other);
                            }
                        }
                    }
                }
                frontier = next;
            }
            return found;
        }

        private void Add(Guid failing, Guid affected)
        {
            if (!_affects.TryGetValue(failing, out var list))
            {
                list = [];
                _affects[failing] = list;
            }
            list.Add(affected);
        }
    }
}
