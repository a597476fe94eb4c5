using Certus.Configuration.Features;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Configuration.Tests.Api;

/// <summary>
/// Loading the relationship graph (at start, or after a long gap in the log) only reads, so it must not wait for the
/// write lock: on SQLite a plain BEGIN takes it, and a million relationships take seconds to read.
/// </summary>
public abstract class GraphBesideWriterTests(CertusFixture host)
{
    [Fact]
    public async Task A_fresh_graph_loads_while_a_write_is_held_open()
    {
        var cmdb = new Cmdb(await host.AdminAsync());
        var web = await cmdb.IdAsync("server", $"web-{Guid.NewGuid():N}"[..12]);
        var vm = await cmdb.IdAsync("virtual-machine", $"vm-{Guid.NewGuid():N}"[..11]);
        await cmdb.RelateAsync(vm, "runs-on", web);

        // Generous: the load takes milliseconds here; this only bounds how long a broken build makes the test wait.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var writer = await HeldWriter.StartAsync(host.Database, TimeSpan.FromSeconds(20));
        using var graph = new RelationshipGraph(host.Database);
        await using (var connection = await host.Database.OpenAsync(patience.Token))
        {
            await graph.RefreshAsync(connection, patience.Token).WaitAsync(patience.Token);
        }

        writer.IsCompleted.ShouldBeFalse("the graph loaded before the writer let go");
        graph.EdgeCount.ShouldBeGreaterThanOrEqualTo(1);
    }
}

public sealed class GraphBesideWriterTestsOnSqlite(SqliteCertus host) : GraphBesideWriterTests(host), IClassFixture<SqliteCertus>;

public sealed class GraphBesideWriterTestsOnPostgres(PostgresCertus host) : GraphBesideWriterTests(host), IClassFixture<PostgresCertus>;
