using System.Data.Common;
using Certus.Data;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Certus.Bench;

/// <summary>Plain SQL on the same tables Certus uses: the baseline beside each measurement, and the bulk loader.</summary>
public static class RawLoader
{
    private const string InsertIncident = """
        INSERT INTO inc_incidents (id, number, organisation_id, caller_name, channel, title, description, impact, urgency, priority, status, is_open,
            is_major, created_at, updated_at, resolved_at, closed_at, version)
        VALUES (@Id, @Number, @OrganisationId, @CallerName, @Channel, @Title, @Description, @Impact, @Urgency, @Priority, @Status, @isOpen,
            @major, @CreatedAt, @CreatedAt, @ResolvedAt, @closedAt, 1)
        """;

    /// <summary>One incident per transaction, with its search entry: what the API does for a create, minus the API.</summary>
    public static async Task InsertOneAsync(Database database, IncidentGenerator.Row row)
    {
        await database.WriteAsync(async (connection, tx) =>
        {
            await connection.ExecuteAsync(InsertIncident, Args(row), tx);
            await IndexAsync(connection, tx, database.Provider, row);
            return true;
        });
    }

    /// <summary>Loads rows fast: batched transactions on SQLite, binary COPY on PostgreSQL.</summary>
    public static async Task BulkAsync(Database database, IEnumerable<IncidentGenerator.Row> rows, int batch = 20_000)
    {
        foreach (var chunk in rows.Chunk(batch))
        {
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                await database.WriteAsync(async (connection, tx) =>
                {
                    await connection.ExecuteAsync(InsertIncident, chunk.Select(Args), tx);
                    await connection.ExecuteAsync("INSERT INTO inc_search (rowid, doc) VALUES (@Number, @Doc)", chunk, tx);
                    await connection.ExecuteAsync(
                        "INSERT INTO inc_comments (id, incident_id, author_name, is_public, body, minutes_spent, created_at) VALUES (@cid, @Id, 'NOC', 1, @Reply, 0, @CreatedAt)",
                        chunk.Select(r => new { cid = Guid.NewGuid(), r.Id, r.Reply, r.CreatedAt }), tx);
                    return true;
                });
            }
            else
            {
                await using var connection = (NpgsqlConnection)await database.OpenAsync();
                await using (var writer = await connection.BeginBinaryImportAsync(
                    "COPY inc_incidents (id, number, organisation_id, caller_name, channel, title, description, impact, urgency, priority, status, is_open, is_major, created_at, updated_at, resolved_at, closed_at, version, search) FROM STDIN (FORMAT BINARY)"))
                {
                    foreach (var r in chunk)
                    {
                        await writer.StartRowAsync();
                        await writer.WriteAsync(r.Id, NpgsqlDbType.Uuid);
                        await writer.WriteAsync(r.Number, NpgsqlDbType.Bigint);
                        await writer.WriteAsync(r.OrganisationId, NpgsqlDbType.Uuid);
                        await writer.WriteAsync(r.CallerName, NpgsqlDbType.Text);
                        await writer.WriteAsync(r.Channel, NpgsqlDbType.Text);
                        await writer.WriteAsync(r.Title, NpgsqlDbType.Text);
                        await writer.WriteAsync(r.Description, NpgsqlDbType.Text);
                        await writer.WriteAsync(r.Impact, NpgsqlDbType.Text);
                        await writer.WriteAsync(r.Urgency, NpgsqlDbType.Text);
                        await writer.WriteAsync(r.Priority, NpgsqlDbType.Integer);
                        await writer.WriteAsync(r.Status, NpgsqlDbType.Text);
                        await writer.WriteAsync(r.ResolvedAt is null, NpgsqlDbType.Boolean);
                        await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                        await writer.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz);
                        await writer.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz);
                        if (r.ResolvedAt is { } resolved)
                        {
                            await writer.WriteAsync(resolved, NpgsqlDbType.TimestampTz);
                        }
                        else
                        {
                            await writer.WriteNullAsync();
                        }
                        if (r.Status == "closed")
                        {
                            await writer.WriteAsync(r.ResolvedAt!.Value.AddHours(1), NpgsqlDbType.TimestampTz);
                        }
                        else
                        {
                            await writer.WriteNullAsync();
                        }
                        await writer.WriteAsync(1, NpgsqlDbType.Integer);
                        await writer.WriteAsync(TsVector(r.Doc), NpgsqlDbType.TsVector);
                    }
                    await writer.CompleteAsync();
                }
                await using (var writer = await connection.BeginBinaryImportAsync(
                    "COPY inc_comments (id, incident_id, author_name, is_public, body, minutes_spent, created_at) FROM STDIN (FORMAT BINARY)"))
                {
                    foreach (var r in chunk)
                    {
                        await writer.StartRowAsync();
                        await writer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                        await writer.WriteAsync(r.Id, NpgsqlDbType.Uuid);
                        await writer.WriteAsync("NOC", NpgsqlDbType.Text);
                        await writer.WriteAsync(true, NpgsqlDbType.Boolean);
                        await writer.WriteAsync(r.Reply, NpgsqlDbType.Text);
                        await writer.WriteAsync(0, NpgsqlDbType.Integer);
                        await writer.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz);
                    }
                    await writer.CompleteAsync();
                }
            }
        }
        await using var analyse = await database.OpenAsync();
        // After a bulk load, PostgreSQL needs the visibility map autovacuum would build, or index-only scans visit the heap.
        var statements = database.Provider == DatabaseProvider.Sqlite
            ? new[] { "ANALYZE" }
            : ["VACUUM ANALYZE inc_incidents", "VACUUM ANALYZE inc_comments"];
        foreach (var statement in statements)
        {
            // VACUUM refuses to run inside a transaction or a multi-statement command: one statement at a time.
            await analyse.ExecuteAsync(statement, commandType: System.Data.CommandType.Text, commandTimeout: 600);
        }
    }

    private static async Task IndexAsync(DbConnection connection, DbTransaction tx, DatabaseProvider provider, IncidentGenerator.Row row)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            await connection.ExecuteAsync("INSERT INTO inc_search (rowid, doc) VALUES (@Number, @Doc)", row, tx);
        }
        else
        {
            await connection.ExecuteAsync("UPDATE inc_incidents SET search = to_tsvector('simple', @Doc) WHERE id = @Id", row, tx);
        }
    }

    private static object Args(IncidentGenerator.Row r) => new
    {
        r.Id, r.Number, r.OrganisationId, r.CallerName, r.Channel, r.Title, r.Description, r.Impact, r.Urgency, r.Priority, r.Status,
        isOpen = r.ResolvedAt is null, major = false, r.CreatedAt, r.ResolvedAt, closedAt = r.Status == "closed" ? r.ResolvedAt!.Value.AddHours(1) : (DateTimeOffset?)null,
    };

    // Our tokens are plain lower-case words and CJK bigrams, which client-side parsing handles exactly;
    // building the vector here keeps the bulk load a single COPY.
#pragma warning disable CS0618
    private static NpgsqlTsVector TsVector(string doc) =>
        NpgsqlTsVector.Parse(string.Join(' ', doc.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Select(t => $"'{t}'")));
#pragma warning restore CS0618
}
