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
    private readonly SemaphoreSlim _sqliteWriters = new(1, 1);

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

    /// <summary>Runs <paramref name="work"/> in one transaction: all of it is written, or none of it.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            // SQLite has one writer at a time. Queueing writers here, in order, beats SQLite's busy-retry sleeps;
            // BEGIN IMMEDIATE below still guards against another process on the same file.
            await _sqliteWriters.WaitAsync(ct);
            try
            {
                return await WriteCoreAsync(work, ct);
            }
            finally
            {
                _sqliteWriters.Release();
            }
        }
        return await WriteCoreAsync(work, ct);
    }

    private async Task<T> WriteCoreAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        // SQLite: Serializable means BEGIN IMMEDIATE, so the write lock is taken up front and two writers queue on
        // the busy timeout instead of failing when a reader tries to upgrade. PostgreSQL: read committed, with
        // optimistic version checks in the UPDATEs and advisory locks where order matters (the audit chain).
        var isolation = Provider == DatabaseProvider.Sqlite ? IsolationLevel.Serializable : IsolationLevel.ReadCommitted;
        await using var tx = await connection.BeginTransactionAsync(isolation, ct);
        try
        {
            var result = await work(connection, tx);
            await tx.CommitAsync(ct);
            return result;
        }
        catch
        {
            await tx.RollbackAsync(CancellationToken.None);
            throw;
        }
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
