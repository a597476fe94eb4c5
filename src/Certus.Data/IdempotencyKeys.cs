using System.Data.Common;
using Certus.Kernel.Modules;
using Dapper;

namespace Certus.Data;

/// <summary>
/// How long an <c>Idempotency-Key</c> holds. A create that sends a key remembers it, per user, with the record it made; a
/// retry with the same key within <see cref="Lifetime"/> answers with that record instead of making another. An older
/// key is ignored, so the same key later makes a new record (the create replaces the expired row), and the hourly
/// housekeeping deletes expired rows (<see cref="IdempotencyKeyPurge"/>). Each module keeps its keys in its own
/// <c>*_idempotency</c> table with <c>user_id</c>, <c>idempotency_key</c> and <c>created_at</c>.
/// </summary>
public static class IdempotencyKeys
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>Keys stored before this moment have expired at <paramref name="now"/>.</summary>
    public static DateTimeOffset Cutoff(DateTimeOffset now) => now - Lifetime;
}

/// <summary>
/// One module's <c>*_idempotency</c> table: <paramref name="Table"/> with the column <paramref name="RecordColumn"/>
/// naming the record a key made. Both are the module's constants, never input.
/// </summary>
public sealed record IdempotencyTable(string Table, string RecordColumn)
{
    /// <summary>The record an unexpired key of this user made, or null.</summary>
    public Task<Guid?> FindAsync(DbConnection connection, DbTransaction? tx, Guid user, string key, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            $"SELECT {RecordColumn} FROM {Table} WHERE user_id = @user AND idempotency_key = @key AND created_at >= @cutoff",
            new { user, key, cutoff = IdempotencyKeys.Cutoff(now) }, tx, cancellationToken: ct));

    /// <summary>Remembers the record a key made; the same key used again after it expired replaces the old row.</summary>
    public Task RememberAsync(DbConnection connection, DbTransaction tx, Guid user, string key, Guid recordId, DateTimeOffset now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"""
            DELETE FROM {Table} WHERE user_id = @user AND idempotency_key = @key AND created_at < @cutoff;
            INSERT INTO {Table} (user_id, idempotency_key, {RecordColumn}, created_at) VALUES (@user, @key, @id, @now)
            """,
            new { user, key, id = recordId, now, cutoff = IdempotencyKeys.Cutoff(now) }, tx, cancellationToken: ct));
}

/// <summary>Deletes the expired keys of one module's idempotency table, which the module names when it registers this.</summary>
public sealed class IdempotencyKeyPurge(Database database, string table) : IHousekeeping
{
    public string Name => table;

    public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct) =>
        database.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM {table} WHERE created_at < @cutoff", new { cutoff = IdempotencyKeys.Cutoff(now) }, tx, cancellationToken: ct)), ct);
}
