using System.Data.Common;
using System.Security.Cryptography;
using Dapper;

namespace Certus.Data;

/// <summary>
/// Content-addressed file storage in the database (so every instance sees every file, and backups include
/// them): a file is stored once under its SHA-256, and modules keep their own rows that point at it.
/// </summary>
public static class BlobStore
{
    public static async Task<string> PutAsync(DbConnection connection, DbTransaction tx, byte[] content, DateTimeOffset now, CancellationToken ct)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        // The same file uploaded twice at once: the second insert simply finds the first.
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sys_blobs (hash, content, size, created_at) VALUES (@hash, @content, @size, @now) ON CONFLICT (hash) DO NOTHING",
            new { hash, content, size = (long)content.Length, now }, tx, cancellationToken: ct));
        return hash;
    }

    public static async Task<byte[]?> GetAsync(Database database, string hash, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
            "SELECT content FROM sys_blobs WHERE hash = @hash", new { hash }, cancellationToken: ct));
    }
}
