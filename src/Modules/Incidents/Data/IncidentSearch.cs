using System.Data.Common;
using Certus.Data;
using Certus.Data.Search;
using Dapper;

namespace Certus.Incidents.Data;

/// <summary>
/// The incident search index (dialect seam): an FTS5 table keyed by incident number on SQLite, a tsvector
/// column with a GIN index on PostgreSQL. Both index the same bigram document: number, title, description
/// and the public replies.
/// </summary>
internal static class IncidentSearch
{
    /// <summary>Indexes a new incident from the values at hand: no reads, nothing to replace.</summary>
    public static Task IndexNewAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, Guid id, long number, string title, string description, CancellationToken ct)
    {
        var doc = SearchText.Document(new Contracts.IncidentNumber(number).ToString(), title, description);
        return dialect.Provider == DatabaseProvider.Sqlite
            ? connection.ExecuteAsync(new CommandDefinition("INSERT INTO inc_search (rowid, doc) VALUES (@number, @doc)", new { number, doc }, tx, cancellationToken: ct))
            : connection.ExecuteAsync(new CommandDefinition("UPDATE inc_incidents SET search = to_tsvector('simple', @doc) WHERE id = @id", new { id, doc }, tx, cancellationToken: ct));
    }

    public static async Task IndexAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, Guid id, CancellationToken ct)
    {
        var row = await connection.QuerySingleAsync<(long Number, string Title, string Description)>(new CommandDefinition(
            "SELECT number, title, description FROM inc_incidents WHERE id = @id", new { id }, tx, cancellationToken: ct));
        var replies = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT body FROM inc_comments WHERE incident_id = @id AND is_public = @yes ORDER BY created_at", new { id, yes = true }, tx, cancellationToken: ct));
        var doc = SearchText.Document([new Contracts.IncidentNumber(row.Number).ToString(), row.Title, row.Description, .. replies]);
        if (dialect.Provider == DatabaseProvider.Sqlite)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM inc_search WHERE rowid = @number; INSERT INTO inc_search (rowid, doc) VALUES (@number, @doc);",
                new { number = row.Number, doc }, tx, cancellationToken: ct));
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE inc_incidents SET search = to_tsvector('simple', @doc) WHERE id = @id", new { id, doc }, tx, cancellationToken: ct));
        }
    }

    /// <summary>A SQL condition on alias <c>i</c> matching <paramref name="query"/>; the parameter is <c>@search</c>.</summary>
    public static (string Sql, string? Parameter) Condition(SqlDialect dialect, string query)
    {
        if (dialect.Provider == DatabaseProvider.Sqlite)
        {
            var match = SearchText.Fts5Query(query);
            return match is null ? ("1 = 1", null) : ("i.number IN (SELECT rowid FROM inc_search WHERE inc_search MATCH @search)", match);
        }
        var tsquery = SearchText.TsQuery(query);
        return tsquery is null ? ("1 = 1", null) : ("i.search @@ to_tsquery('simple', @search)", tsquery);
    }
}
