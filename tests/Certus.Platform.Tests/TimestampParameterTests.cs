using Certus.Data;
using Certus.Testing;
using Dapper;
using Microsoft.Data.Sqlite;
using Shouldly;
using Xunit;

namespace Certus.Platform.Tests;

/// <summary>
/// A DateTimeOffset parameter in any offset means the same instant on both databases: stored as UTC, compared as UTC,
/// read back as UTC, to the microsecond.
/// </summary>
public abstract class TimestampParameterTests(CertusFixture host)
{
    private static readonly DateTimeOffset NoonUtc = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private string Column => host.Provider == DatabaseProvider.Postgres ? "timestamptz" : "TEXT";

    [Fact]
    public async Task A_value_in_another_offset_is_stored_and_compared_as_the_same_instant()
    {
        await using var connection = await host.Database.OpenAsync();
        await connection.ExecuteAsync($"CREATE TEMP TABLE stamps (name TEXT NOT NULL, at {Column} NULL)");
        await connection.ExecuteAsync("INSERT INTO stamps (name, at) VALUES (@name, @at)", new[]
        {
            new { name = "noon-in-beijing", at = (DateTimeOffset?)NoonUtc.ToOffset(Beijing) },
            new { name = "half-past-utc", at = (DateTimeOffset?)NoonUtc.AddMinutes(30) },
            new { name = "never", at = (DateTimeOffset?)null },
        });

        // 20:15 in Beijing is 12:15 UTC: only the later row is after it, whatever offset either side was written in.
        (await connection.QueryAsync<string>("SELECT name FROM stamps WHERE at >= @from", new { from = NoonUtc.AddMinutes(15).ToOffset(Beijing) }))
            .ShouldBe(["half-past-utc"]);
        (await connection.QueryAsync<string>("SELECT name FROM stamps WHERE at = @at", new { at = (DateTimeOffset?)NoonUtc }))
            .ShouldBe(["noon-in-beijing"]);
        var read = await connection.QuerySingleAsync<DateTimeOffset>("SELECT at FROM stamps WHERE name = 'noon-in-beijing'");
        read.ShouldBe(NoonUtc);
        read.Offset.ShouldBe(TimeSpan.Zero);
        (await connection.QuerySingleAsync<DateTimeOffset?>("SELECT at FROM stamps WHERE name = 'never'")).ShouldBeNull();
    }

    [Fact]
    public async Task Values_keep_microseconds_on_both_databases()
    {
        await using var connection = await host.Database.OpenAsync();
        await connection.ExecuteAsync($"CREATE TEMP TABLE precise (at {Column} NOT NULL)");
        var value = NoonUtc.AddTicks(1_234_567);

        await connection.ExecuteAsync("INSERT INTO precise (at) VALUES (@value)", new { value });

        (await connection.QuerySingleAsync<DateTimeOffset>("SELECT at FROM precise")).ShouldBe(NoonUtc.AddTicks(1_234_560));
    }

    [Fact]
    public async Task Sqlite_text_matches_what_the_driver_itself_writes_for_utc_values()
    {
        if (host.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }
        await using var connection = await host.Database.OpenAsync();
        foreach (var value in new[] { NoonUtc, NoonUtc.AddTicks(1_234_560), NoonUtc.AddTicks(5_000_000) })
        {
            // Rows written before parameters went through Certus's handler hold the driver's own text; both must sort together.
            await using var command = ((SqliteConnection)connection).CreateCommand();
            command.CommandText = "SELECT @v";
            command.Parameters.AddWithValue("@v", value);
            var driver = (string)(await command.ExecuteScalarAsync())!;

            (await connection.QuerySingleAsync<string>("SELECT @value", new { value })).ShouldBe(driver);
        }
    }
}

public sealed class TimestampParameterTestsOnSqlite(SqliteCertus host) : TimestampParameterTests(host), IClassFixture<SqliteCertus>;

public sealed class TimestampParameterTestsOnPostgres(PostgresCertus host) : TimestampParameterTests(host), IClassFixture<PostgresCertus>;
