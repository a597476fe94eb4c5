using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Certus.Data;

/// <summary>
/// Opens connections for the configured provider and runs units of work in a transaction. SQL lives in the
/// use cases; this class only knows how to reach the database.
/// </summary>
public sealed class Database : IDisposable
{
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _npgsql;
    private const string Savepoint = "certus_write";

    // A batch commits once it holds this many works or is this old, even with writers waiting: it bounds how long a
    // finished work waits for its commit.
    private const int MaxBatchMembers = 64;
    private static readonly TimeSpan MaxBatchAge = TimeSpan.FromMilliseconds(10);

    private readonly SemaphoreSlim _sqliteWriters = new(1, 1);

    // Writers waiting for, or about to take, the SQLite write turn.
    private int _queued;

    // The open shared transaction; only touched by the writer holding the turn.
    private WriteBatch? _batch;
    private long _writesCommitted;
    private long _transactionsCommitted;

    public Database(DatabaseOptions options)
    {
        Provider = options.ParsedProvider;
        DapperSetup.EnsureConfigured();
        switch (Provider)
        {
            case DatabaseProvider.Sqlite:
                _connectionString = SqliteConnectionString(options);
                break;
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    throw new InvalidOperationException(
                        "Certus:Database:Provider is 'postgres' but Certus:Database:ConnectionString is empty.");
                }
                _connectionString = options.ConnectionString;
                _npgsql = NpgsqlDataSource.Create(_connectionString);
                break;
            default:
                throw new InvalidOperationException($"Unknown provider {Provider}.");
        }
    }

    public DatabaseProvider Provider { get; }

    public SqlDialect Dialect => Provider == DatabaseProvider.Sqlite ? SqlDialect.Sqlite : SqlDialect.Postgres;

    /// <summary>Where the SQLite file lives, or <c>null</c> on PostgreSQL.</summary>
    public string? SqliteFile => Provider == DatabaseProvider.Sqlite
        ? new SqliteConnectionStringBuilder(_connectionString).DataSource
        : null;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_npgsql is not null)
        {
            return await _npgsql.OpenConnectionAsync(ct);
        }
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        // Per-connection settings; journal_mode=WAL is persistent and set once by the migration runner.
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction: all of it is written, or none of it. The returned task completes
    /// only once the work is durable (committed), or faults with the work's own exception, with nothing of it written.
    /// </summary>
    /// <remarks>
    /// On SQLite, writers that queue up behind one another share a transaction (group commit): each runs alone on the
    /// connection, in turn, inside its own savepoint, and the last in the queue commits for all of them. A work that
    /// throws is rolled back to its savepoint and leaves the others' writes in place; a commit that fails fails every
    /// member. The commit, a sync of the write-ahead log, is what SQLite's one writer spends most of its time on;
    /// sharing it is what lets concurrent requests through. A work must therefore not end the transaction itself.
    /// </remarks>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            return await GroupWriteAsync(work, ct);
        }
        await using var connection = await OpenAsync(ct);
        // PostgreSQL: read committed, with optimistic version checks in the UPDATEs and advisory locks where order
        // matters (the audit chain).
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        try
        {
            var result = await work(connection, tx);
            await tx.CommitAsync(ct);
            Interlocked.Increment(ref _writesCommitted);
            Interlocked.Increment(ref _transactionsCommitted);
            return result;
        }
        catch
        {
            await tx.RollbackAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>Works committed by <see cref="WriteAsync{T}"/> since start-up.</summary>
    public long WritesCommitted => Interlocked.Read(ref _writesCommitted);

    /// <summary>Transactions those works were committed in: fewer than the works when SQLite grouped them.</summary>
    public long TransactionsCommitted => Interlocked.Read(ref _transactionsCommitted);

    private async Task<T> GroupWriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        // SQLite has one writer at a time. Queueing writers here, in order, beats SQLite's busy-retry sleeps;
        // BEGIN IMMEDIATE still guards against another process on the same file. The wait takes no token: a writer
        // counted in _queued is relied on to take its turn and so to commit a batch handed over to it.
        Interlocked.Increment(ref _queued);
        await _sqliteWriters.WaitAsync(CancellationToken.None);
        Interlocked.Decrement(ref _queued);

        WriteBatch batch;
        try
        {
            batch = _batch ??= await BeginBatchAsync(ct);
        }
        catch
        {
            _sqliteWriters.Release();
            throw;
        }

        T result = default!;
        Exception? failure = null;
        if (ct.IsCancellationRequested)
        {
            failure = new OperationCanceledException(ct);
        }
        else
        {
            try
            {
                await batch.Transaction.SaveAsync(Savepoint, CancellationToken.None);
            }
            catch (Exception ex)
            {
                failure = ex;
                batch.Broken ??= ex;
            }
            if (failure is null)
            {
                try
                {
                    result = await work(batch.Connection, batch.Transaction);
                    await batch.Transaction.ReleaseAsync(Savepoint, CancellationToken.None);
                    batch.Members++;
                }
                catch (Exception ex)
                {
                    failure = ex;
                    await UndoAsync(batch, ex);
                }
            }
        }

        // Hand the open transaction to the next writer while there is one (up to a bound, so that no member waits
        // long for its commit); the last one commits.
        if (batch.Broken is null && Volatile.Read(ref _queued) > 0 && batch.Members < MaxBatchMembers && batch.Age < MaxBatchAge)
        {
            _sqliteWriters.Release();
        }
        else
        {
            _batch = null;
            try
            {
                await EndBatchAsync(batch);
            }
            finally
            {
                _sqliteWriters.Release();
            }
        }

        if (failure is not null)
        {
            // Nothing of this work is in the batch; its caller need not wait for the others' commit.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
        await batch.Committed.Task;
        return result;
    }

    private async Task<WriteBatch> BeginBatchAsync(CancellationToken ct)
    {
        var connection = (SqliteConnection)await OpenAsync(ct);
        try
        {
            // Serializable means BEGIN IMMEDIATE: the write lock is taken up front, so another process's writer
            // queues on the busy timeout instead of failing when a reader tries to upgrade.
            var tx = await connection.BeginTransactionAsync(IsolationLevel.Serializable, ct);
            return new WriteBatch(connection, tx);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task UndoAsync(WriteBatch batch, Exception cause)
    {
        try
        {
            await batch.Transaction.RollbackAsync(Savepoint, CancellationToken.None);
            await batch.Transaction.ReleaseAsync(Savepoint, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Some errors (disk full, I/O) make SQLite roll back the whole transaction, savepoints and all: the
            // earlier members' writes are gone too, and they must hear so.
            batch.Broken ??= new InvalidOperationException("The shared write transaction was lost: " + cause.Message, ex);
        }
    }

    private async Task EndBatchAsync(WriteBatch batch)
    {
        try
        {
            if (batch.Broken is not null)
            {
                throw batch.Broken;
            }
            if (batch.Members > 0)
            {
                await batch.Transaction.CommitAsync(CancellationToken.None);
                Interlocked.Add(ref _writesCommitted, batch.Members);
                Interlocked.Increment(ref _transactionsCommitted);
            }
            else
            {
                await batch.Transaction.RollbackAsync(CancellationToken.None);
            }
            batch.Committed.SetResult();
        }
        catch (Exception ex)
        {
            batch.Committed.SetException(ex);
            try
            {
                await batch.Transaction.RollbackAsync(CancellationToken.None);
            }
            catch (Exception)
            {
                // Already rolled back by SQLite; disposing the connection below ends it in any case.
            }
        }
        finally
        {
            await batch.Transaction.DisposeAsync();
            await batch.Connection.DisposeAsync();
        }
    }

    /// <summary>One SQLite transaction shared by the writers that queued up while it was open.</summary>
    private sealed class WriteBatch(DbConnection connection, DbTransaction transaction)
    {
        private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();

        public DbConnection Connection { get; } = connection;

        public DbTransaction Transaction { get; } = transaction;

        /// <summary>Works whose writes are in the transaction.</summary>
        public int Members { get; set; }

        /// <summary>Set when the transaction can no longer be committed.</summary>
        public Exception? Broken { get; set; }

        public TimeSpan Age => System.Diagnostics.Stopwatch.GetElapsedTime(_started);

        /// <summary>Completes when the members' writes are committed; faults when they are not.</summary>
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Runs <paramref name="work"/> while holding a cluster-wide lock named <paramref name="name"/> (a PostgreSQL
    /// advisory lock); on SQLite, with one process per file, it simply runs.
    /// </summary>
    public async Task<T> ExclusiveAsync<T>(string name, Func<Task<T>> work, CancellationToken ct = default)
    {
        if (_npgsql is null)
        {
            return await work();
        }
        await using var connection = await _npgsql.OpenConnectionAsync(ct);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext(@name))", connection))
        {
            take.Parameters.AddWithValue("name", name);
            await take.ExecuteNonQueryAsync(ct);
        }
        try
        {
            return await work();
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext(@name))", connection);
            release.Parameters.AddWithValue("name", name);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction that only reads and is rolled back: one consistent view of the
    /// data without taking the write lock (SQLite: a deferred transaction; PostgreSQL: repeatable read), for checks
    /// such as an import's dry run that must see what a write would see without holding writers up.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using DbTransaction tx = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: true)
            : await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        try
        {
            return await work(connection, tx);
        }
        finally
        {
            await tx.RollbackAsync(CancellationToken.None);
        }
    }

    public void Dispose()
    {
        _npgsql?.Dispose();
        _sqliteWriters.Dispose();
    }

    private static string SqliteConnectionString(DatabaseOptions options)
    {
        var builder = string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new SqliteConnectionStringBuilder { DataSource = options.Path }
            : new SqliteConnectionStringBuilder(options.ConnectionString);
        var file = builder.DataSource;
        if (!string.IsNullOrEmpty(file) && file != ":memory:")
        {
            var full = System.IO.Path.GetFullPath(file);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            builder.DataSource = full;
        }
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        builder.Cache = SqliteCacheMode.Private;
        builder.Pooling = true;
        // Seconds a command waits on a locked database before giving up.
        builder.DefaultTimeout = 30;
        return builder.ToString();
    }
}
