using System.Data.Common;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>Human codes (services, projects) are unique whatever their case.</summary>
internal static class Codes
{
    public static async Task<bool> TakenAsync(DbConnection connection, DbTransaction tx, string table, string code, Guid? except, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            except is null
                ? $"SELECT count(*) FROM {table} WHERE upper(code) = @code"
                : $"SELECT count(*) FROM {table} WHERE upper(code) = @code AND id <> @except",
            new { code = code.Trim().ToUpperInvariant(), except }, tx, cancellationToken: ct)) > 0;
}
