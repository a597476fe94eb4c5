using System.Data.Common;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Certus.Data;

/// <summary>A module's assembly whose embedded <c>Migrations/{sqlite,postgres}/*.sql</c> scripts belong to it.</summary>
public sealed record MigrationSource(string Module, Assembly Assembly);

/// <summary>One embedded SQL script for one provider.</summary>
public sealed record MigrationScript(string Id, string Module, string Sql, string Checksum);

public sealed class MigrationException(string message) : Exception(message);

/// <summary>What the database holds compared with the scripts this build carries.</summary>
public sealed record MigrationStatus(IReadOnlyList<string> Applied, IReadOnlyList<string> Pending)
{
    public bool IsCurrent => Pending.Count == 0;
}

/// <summary>
/// Applies every module's timestamped scripts in id order, each in its own transaction, recording a
/// checksum so that an already-applied script edited afterwards is refused loudly rather than ignored.
/// </summary>
public sealed class MigrationRunner(Database database, IEnumerable<MigrationSource> sources, ILogger<MigrationRunner> logger)
{
    // Any constant shared by every Certus instance: serialises migration across a cluster on PostgreSQL.
    private const long PostgresLockKey = 0x43_45_52_54_55_53;

    private readonly IReadOnlyList<MigrationSource> _sources = sources.ToList();

    public IReadOnlyList<MigrationScript> Scripts() => LoadScripts(_sources, database.Provider);

    public static IReadOnlyList<MigrationScript> LoadScripts(IEnumerable<MigrationSource> sources, DatabaseProvider provider)
    {
        var folder = provider == DatabaseProvider.Sqlite ? ".Migrations.sqlite." : ".Migrations.postgres.";
        var scripts = new List<MigrationScript>();
        foreach (var source in sources)
        {
            foreach (var name in source.Assembly.GetManifestResourceNames())
            {
                var at = name.IndexOf(folder, StringComparison.Ordinal);
                if (at < 0 || !name.EndsWith(".sql", StringComparison.Ordinal))
                {
                    continue;
                }
                using var stream = source.Assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var sql = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
                var id = name[(at + folder.Length)..^".sql".Length];
                scripts.Add(new MigrationScript(id, source.Module, sql, Checksum(sql)));
            }
        }
        var duplicate = scripts.GroupBy(s => s.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new MigrationException($"Two migration scripts share the id '{duplicate.Key}'.");
        }
        return scripts.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<MigrationStatus> StatusAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var applied = await AppliedAsync(connection, null, ct);
        var scripts = Scripts();
        return new MigrationStatus(
            applied.Keys.Order(StringComparer.Ordinal).ToList(),
            scripts.Where(s => !applied.ContainsKey(s.Id)).Select(s => s.Id).ToList());
    }

    /// <summary>Applies pending scripts; returns the ids applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        }
        else
        {
            await connection.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = PostgresLockKey });
        }
        try
        {
            await connection.ExecuteAsync(
                """
                CREATE TABLE IF NOT EXISTS sys_migrations (
                    id TEXT PRIMARY KEY,
                    module TEXT NOT NULL,
                    checksum TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """);
            var applied = await AppliedAsync(connection, null, ct);
            var scripts = Scripts();
            Verify(scripts, applied);

            var done = new List<string>();
            foreach (var script in scripts.Where(s => !applied.ContainsKey(s.Id)))
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                try
                {
                    await connection.ExecuteAsync(new CommandDefinition(script.Sql, transaction: tx, cancellationToken: ct));
                    await connection.ExecuteAsync(
                        "INSERT INTO sys_migrations (id, module, checksum, applied_at) VALUES (@Id, @Module, @Checksum, @At)",
                        new { script.Id, script.Module, script.Checksum, At = DapperSetup.FormatTimestamp(DateTimeOffset.UtcNow) },
                        tx);
                    await tx.CommitAsync(ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    await tx.RollbackAsync(CancellationToken.None);
                    throw new MigrationException($"Migration {script.Id} ({script.Module}) failed and was rolled back: {ex.Message}");
                }
                logger.LogInformation("Applied migration {Id} ({Module})", script.Id, script.Module);
                done.Add(script.Id);
            }
            return done;
        }
        finally
        {
            if (database.Provider == DatabaseProvider.Postgres)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = PostgresLockKey });
            }
        }
    }

    private static void Verify(IReadOnlyList<MigrationScript> scripts, Dictionary<string, string> applied)
    {
        var known = scripts.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var (id, checksum) in applied)
        {
            if (!known.TryGetValue(id, out var script))
            {
                throw new MigrationException(
                    $"The database has migration {id} applied, which this build of Certus does not know. " +
                    "Run the Certus version that created this database, or a newer one.");
            }
            if (!string.Equals(script.Checksum, checksum, StringComparison.Ordinal))
            {
                throw new MigrationException(
                    $"Migration {id} ({script.Module}) was edited after it was applied: checksum {script.Checksum} " +
                    $"differs from the recorded {checksum}. Restore the original script and add a new one instead.");
            }
        }
    }

    private static async Task<Dictionary<string, string>> AppliedAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            connection is Npgsql.NpgsqlConnection
                ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'sys_migrations'"
                : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sys_migrations'",
            transaction: tx, cancellationToken: ct));
        if (exists == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
        var rows = await connection.QueryAsync<(string Id, string Checksum)>(
            new CommandDefinition("SELECT id, checksum FROM sys_migrations", transaction: tx, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, r => r.Checksum, StringComparer.Ordinal);
    }

    private static string Checksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
}
