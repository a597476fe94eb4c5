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

/// <summary>Deletes the expired keys of one module's idempotency table, which the module names when it registers this.</summary>
public sealed class IdempotencyKeyPurge(Database database, string table) : IHousekeeping
{
    public string Name => table;

    public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct) =>
        database.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM {table} WHERE created_at < @cutoff", new { cutoff = IdempotencyKeys.Cutoff(now) }, tx, cancellationToken: ct)), ct);
}
