using Certus.Data;
using Certus.Testing;
using Certus.Web;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Certus.Platform.Tests;

public abstract class MigrationTests(CertusFixture host)
{
    private MigrationRunner Runner => host.Services.GetRequiredService<MigrationRunner>();

    [Fact]
    public async Task Start_up_applied_every_script_of_every_module_and_a_second_run_applies_nothing()
    {
        var status = await Runner.StatusAsync();

        status.Pending.ShouldBeEmpty();
        status.Applied.Count.ShouldBe(Runner.Scripts().Count);
        status.Applied.ShouldContain("20261121_0900_idn_create");
        (await Runner.MigrateAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_applied_script_that_was_edited_afterwards_is_refused_loudly()
    {
        await using (var connection = await host.Database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE sys_migrations SET checksum = 'edited' WHERE id = '20261121_0900_idn_create'");
        }
        try
        {
            var error = await Should.ThrowAsync<MigrationException>(() => Runner.MigrateAsync());
            error.Message.ShouldContain("20261121_0900_idn_create");
            error.Message.ShouldContain("was edited after it was applied");
        }
        finally
        {
            var original = Runner.Scripts().Single(s => s.Id == "20261121_0900_idn_create").Checksum;
            await using var connection = await host.Database.OpenAsync();
            await connection.ExecuteAsync("UPDATE sys_migrations SET checksum = @original WHERE id = '20261121_0900_idn_create'", new { original });
        }
    }

    [Fact]
    public async Task Ready_health_reports_the_database_reachable_and_migrations_applied()
    {
        using var client = host.Anonymous();

        var ready = await client.GetAsync("/health/ready");
        var live = await client.GetAsync("/health/live");

        ready.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).ShouldBe("Healthy");
        live.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    [Fact]
    public void Both_providers_carry_the_same_scripts()
    {
        var sources = new[] { new MigrationSource("platform", typeof(Database).Assembly) }
            .Concat(CertusModules.All.Select(m => new MigrationSource(m.Name, m.Assembly))).ToList();

        var sqlite = MigrationRunner.LoadScripts(sources, DatabaseProvider.Sqlite).Select(s => s.Id);
        var postgres = MigrationRunner.LoadScripts(sources, DatabaseProvider.Postgres).Select(s => s.Id);

        sqlite.ShouldBe(postgres);
    }

    [Fact]
    public async Task Migrating_an_empty_database_runs_each_script_in_order()
    {
        var folder = Path.Combine(Path.GetTempPath(), "certus-tests", Guid.NewGuid().ToString("N"));
        using var database = new Database(new DatabaseOptions { Path = Path.Combine(folder, "fresh.db") });
        var runner = new MigrationRunner(database, host.Services.GetRequiredService<IEnumerable<MigrationSource>>(), NullLogger<MigrationRunner>.Instance);

        var applied = await runner.MigrateAsync();

        applied.ShouldBe(runner.Scripts().Select(s => s.Id).ToList());
        applied.ShouldBe(applied.Order(StringComparer.Ordinal).ToList());
        await using var connection = await database.OpenAsync();
        (await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode")).ShouldBe("wal");
    }
}

public sealed class MigrationTestsOnSqlite(SqliteCertus host) : MigrationTests(host), IClassFixture<SqliteCertus>;

public sealed class MigrationTestsOnPostgres(PostgresCertus host) : MigrationTests(host), IClassFixture<PostgresCertus>;

/// <summary>The two providers' schemas must agree: same tables, same columns.</summary>
public sealed class SchemaParityTests(SqliteCertus sqlite, PostgresCertus postgres) : IClassFixture<SqliteCertus>, IClassFixture<PostgresCertus>
{
    [Fact]
    public async Task SQLite_and_PostgreSQL_have_the_same_tables_and_columns()
    {
        await using var lite = await sqlite.Database.OpenAsync();
        var liteColumns = (await lite.QueryAsync<string>(
            "SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"))
            .Order(StringComparer.Ordinal).ToList();
        await using var pg = await postgres.Database.OpenAsync();
        var pgColumns = (await pg.QueryAsync<string>(
            "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema()"))
            .Order(StringComparer.Ordinal).ToList();

        // The one sanctioned difference is full-text search (the dialect seam): an FTS5 table and its shadow
        // tables on SQLite, a tsvector column on PostgreSQL.
        liteColumns.RemoveAll(c => c.StartsWith("inc_search", StringComparison.Ordinal));
        pgColumns.Remove("inc_incidents.search");
        // Quartz.NET's own tables (ADR 0006) are created by Quartz from its per-provider scripts, not by our
        // migrations: upper-case QRTZ_ on SQLite, lower-case qrtz_ on PostgreSQL, each as Quartz needs it there.
        liteColumns.RemoveAll(c => c.StartsWith("qrtz_", StringComparison.OrdinalIgnoreCase));
        pgColumns.RemoveAll(c => c.StartsWith("qrtz_", StringComparison.OrdinalIgnoreCase));
        liteColumns.ShouldNotBeEmpty();
        liteColumns.ShouldBe(pgColumns);
    }
}
