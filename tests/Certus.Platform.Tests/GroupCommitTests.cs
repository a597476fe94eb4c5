using Certus.Data;
using Dapper;
using Microsoft.Data.Sqlite;
using Shouldly;
using Xunit;

namespace Certus.Platform.Tests;

/// <summary>
/// SQLite writers that queue up share one transaction (<see cref="Database.WriteAsync{T}"/>): each still gets its own
/// outcome, and one that fails takes nothing of the others with it.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private readonly Database _database = new(new DatabaseOptions
    {
        Path = Path.Combine(Path.GetTempPath(), "certus-tests", Guid.NewGuid().ToString("N"), "group.db"),
    });

    public GroupCommitTests()
    {
        using var connection = _database.OpenAsync().GetAwaiter().GetResult();
        connection.Execute("PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _database.Dispose();
    }

    [Fact]
    public async Task Concurrent_writers_all_land_each_with_its_own_result_in_fewer_transactions()
    {
        var writes = Enumerable.Range(1, 40).Select(i => _database.WriteAsync(async (connection, tx) =>
        {
            // Long enough for the others to queue up behind this one.
            await Task.Delay(2);
            return await connection.ExecuteScalarAsync<long>("INSERT INTO t (name) VALUES (@name) RETURNING id", new { name = $"n{i}" }, tx);
        })).ToList();

        var ids = await Task.WhenAll(writes);

        ids.Distinct().Count().ShouldBe(40);
        (await CountAsync()).ShouldBe(40);
        _database.WritesCommitted.ShouldBe(40);
        _database.TransactionsCommitted.ShouldBeLessThan(40);
        await using var check = await _database.OpenAsync();
        for (var i = 0; i < 40; i++)
        {
            (await check.ExecuteScalarAsync<string>("SELECT name FROM t WHERE id = @id", new { id = ids[i] })).ShouldBe($"n{i + 1}");
        }
    }

    [Fact]
    public async Task A_writer_that_throws_loses_its_own_writes_and_none_of_the_others()
    {
        var writes = Enumerable.Range(1, 30).Select(i => _database.WriteAsync(async (connection, tx) =>
        {
            await Task.Delay(1);
            await connection.ExecuteAsync("INSERT INTO t (name) VALUES (@name)", new { name = $"n{i}" }, tx);
            if (i % 3 == 0)
            {
                throw new InvalidOperationException($"refused {i}");
            }
            return i;
        })).ToList();

        await Should.ThrowAsync<Exception>(() => Task.WhenAll(writes));

        for (var i = 1; i <= 30; i++)
        {
            var write = writes[i - 1];
            if (i % 3 == 0)
            {
                write.IsFaulted.ShouldBeTrue();
                write.Exception!.InnerException!.Message.ShouldBe($"refused {i}");
            }
            else
            {
                (await write).ShouldBe(i);
            }
        }
        var names = await NamesAsync();
        names.ShouldBe(Enumerable.Range(1, 30).Where(i => i % 3 != 0).Select(i => $"n{i}"), ignoreOrder: true);
    }

    [Fact]
    public async Task A_writer_whose_statement_violates_a_constraint_leaves_the_others_committed()
    {
        await _database.WriteAsync((connection, tx) => connection.ExecuteAsync("INSERT INTO t (name) VALUES ('taken')", transaction: tx));

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _database.WriteAsync(async (connection, tx) =>
        {
            await connection.ExecuteAsync("INSERT INTO t (name) VALUES ('before')", transaction: tx);
            await gate.Task;
            return true;
        });
        var clash = _database.WriteAsync((connection, tx) => connection.ExecuteAsync("INSERT INTO t (name) VALUES ('taken')", transaction: tx));
        var after = _database.WriteAsync((connection, tx) => connection.ExecuteAsync("INSERT INTO t (name) VALUES ('after')", transaction: tx));
        gate.SetResult();

        (await first).ShouldBeTrue();
        (await Should.ThrowAsync<SqliteException>(() => clash)).SqliteErrorCode.ShouldBe(19);
        (await after).ShouldBe(1);
        (await NamesAsync()).ShouldBe(["taken", "before", "after"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_writer_cancelled_while_queued_writes_nothing_and_the_batch_still_commits()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _database.WriteAsync(async (connection, tx) =>
        {
            await connection.ExecuteAsync("INSERT INTO t (name) VALUES ('first')", transaction: tx);
            await gate.Task;
            return true;
        });
        using var cancel = new CancellationTokenSource();
        var cancelled = _database.WriteAsync((connection, tx) => connection.ExecuteAsync("INSERT INTO t (name) VALUES ('cancelled')", transaction: tx), cancel.Token);
        await cancel.CancelAsync();
        gate.SetResult();

        (await first).ShouldBeTrue();
        await Should.ThrowAsync<OperationCanceledException>(() => cancelled);
        (await NamesAsync()).ShouldBe(["first"]);
        // The write turn was handed on, not lost: the next writer gets it.
        (await _database.WriteAsync((connection, tx) => connection.ExecuteAsync("INSERT INTO t (name) VALUES ('next')", transaction: tx))).ShouldBe(1);
    }

    private async Task<long> CountAsync()
    {
        await using var connection = await _database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM t");
    }

    private async Task<List<string>> NamesAsync()
    {
        // A separate connection sees only what was committed.
        await using var connection = await _database.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT name FROM t ORDER BY id")).AsList();
    }
}
