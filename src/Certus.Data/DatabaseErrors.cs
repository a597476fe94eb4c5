using System.Data.Common;

namespace Certus.Data;

/// <summary>What a provider's exception means, asked the same way on SQLite and PostgreSQL.</summary>
public static class DatabaseErrors
{
    /// <summary>A unique constraint refused the row (a concurrent create with the same idempotency key, say).</summary>
    public static bool IsUniqueViolation(DbException ex) =>
        ex is Npgsql.PostgresException { SqlState: "23505" } || ex is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 };
}
