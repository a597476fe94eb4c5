using System.Data.Common;
using System.Security.Cryptography;
using Dapper;

namespace Certus.Data;

/// <summary>
/// A module's answer to "does any of your records still point at this file?". Every module that stores files through
/// <see cref="BlobStore"/> registers one, so that a file shared by two records (the same bytes attached twice) is
/// removed only when the last record pointing at it lets go of it.
/// </summary>
public interface IBlobReferences
{
    /// <summary>True when one of the module's rows still needs the content stored under <paramref name="hash"/>.</summary>
    Task<bool> ReferencesAsync(DbConnection connection, DbTransaction transaction, string hash, CancellationToken ct);
}

/// <summary>
/// Content-addressed file storage in the database (so every instance sees every file, and backups include
/// them): a file is stored once under its SHA-256, and modules keep their own rows that point at it.
/// </summary>
public static class BlobStore
{
    public static async Task<string> PutAsync(DbConnection connection, DbTransaction tx, byte[] content, DateTimeOffset now, CancellationToken ct)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        await LockAsync(connection, tx, hash, ct);
        // The same file uploaded twice at once: the second insert simply finds the first.
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sys_blobs (hash, content, size, created_at) VALUES (@hash, @content, @size, @now) ON CONFLICT (hash) DO NOTHING",
            new { hash, content, size = (long)content.Length, now = now.ToUniversalTime() }, tx, cancellationToken: ct));
        return hash;
    }

    public static async Task<byte[]?> GetAsync(Database database, string hash, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
            "SELECT content FROM sys_blobs WHERE hash = @hash", new { hash }, cancellationToken: ct));
    }

    /// <summary>
    /// Removes the content stored under <paramref name="hash"/> once no record of any module points at it any more (the
    /// caller has already let go of its own reference in <paramref name="tx"/>). Returns true when the content was removed,
    /// false when another record still holds it (or it was gone already).
    /// </summary>
    public static async Task<bool> ReleaseAsync(
        DbConnection connection, DbTransaction tx, string hash, IEnumerable<IBlobReferences> references, CancellationToken ct)
    {
        await LockAsync(connection, tx, hash, ct);
        foreach (var holder in references)
        {
            if (await holder.ReferencesAsync(connection, tx, hash, ct))
            {
                return false;
            }
        }
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sys_blobs WHERE hash = @hash", new { hash }, tx, cancellationToken: ct)) > 0;
    }

    /// <summary>
    /// PostgreSQL: a put and a release of the same content take turns until their transactions end, so a release never
    /// removes content that a concurrent, not yet committed put is about to point at. SQLite has one writer already.
    /// </summary>
    private static async Task LockAsync(DbConnection connection, DbTransaction tx, string hash, CancellationToken ct)
    {
        if (SqlDialect.For(connection).Provider == DatabaseProvider.Postgres)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(hashtext(@key))", new { key = "sys_blobs:" + hash }, tx, cancellationToken: ct));
        }
    }
}
