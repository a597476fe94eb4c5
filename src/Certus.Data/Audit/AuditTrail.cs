using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Data.Audit;

/// <summary>One field's value before and after a change.</summary>
public sealed record AuditChange(string Field, string? Old, string? New);

/// <summary>A state change of a business record, as the use case that made it describes it.</summary>
/// <param name="RecordType">Kind of record, e.g. <c>organisation</c> or <c>incident</c>.</param>
/// <param name="RecordId">The record's id.</param>
/// <param name="Action"><c>created</c>, <c>updated</c>, <c>deleted</c>, or the name of a transition.</param>
/// <param name="OrganisationId">Organisation that owns the record, so customers can be shown their own history.</param>
/// <param name="Changes">Fields changed, old and new.</param>
/// <param name="Reason">Why, when the user gave a reason.</param>
public sealed record AuditEvent(
    string RecordType,
    string RecordId,
    string Action,
    Guid? OrganisationId,
    IReadOnlyList<AuditChange> Changes,
    string? Reason = null);

/// <summary>
/// Who an entry names as having acted, when that is not the caller of the request: a sign-in is written before anyone
/// is signed in, by the person signing in or by nobody known.
/// </summary>
/// <param name="Id">The user, or null when nobody is known.</param>
/// <param name="Name">The name the entry shows.</param>
public sealed record AuditActor(Guid? Id, string Name)
{
    /// <summary>Somebody not signed in and not known, such as a failed sign-in with an unknown e-mail.</summary>
    public static readonly AuditActor Anonymous = new(null, "anonymous");
}

/// <summary>An entry as stored.</summary>
public sealed class AuditEntry
{
    public long Seq { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public Guid? ActorId { get; init; }
    public string ActorName { get; init; } = "";
    public Guid? OrganisationId { get; init; }
    public string RecordType { get; init; } = "";
    public string RecordId { get; init; } = "";
    public string Action { get; init; } = "";
    public string Changes { get; init; } = "[]";
    public string? Reason { get; init; }
    public string PrevHash { get; init; } = "";
    public string Hash { get; init; } = "";

    public IReadOnlyList<AuditChange> ParsedChanges() =>
        JsonSerializer.Deserialize<List<AuditChange>>(Changes, AuditTrail.Json) ?? [];
}

/// <summary>Result of walking the chain: the first entry that no longer matches, if any.</summary>
/// <remarks>
/// <see cref="LastSeq"/> and <see cref="LastHash"/> anchor the chain: recorded outside Certus (in a ticket, an
/// audit report), they also reveal entries cut off at the end, which the chain alone cannot.
/// </remarks>
public sealed record AuditVerification(
    bool Intact, long EntriesChecked, long? BrokenAtSeq, string? RecordType, string? RecordId, string? Problem, long LastSeq = 0, string? LastHash = null);

/// <summary>
/// Append-only, hash-chained audit trail (ISO/IEC 20000-1:2018 7.5.3, control of documented information). Entries are written in the
/// caller's transaction so that a record and its history commit together or not at all.
/// </summary>
public sealed class AuditTrail(ICurrentUser caller, TimeProvider clock)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Serialises chain writers across a PostgreSQL cluster; on SQLite the write transaction already does.
    private const long PostgresChainLock = 0x41_55_44_49_54;

    public Task WriteAsync(DbConnection connection, DbTransaction tx, AuditEvent e, CancellationToken ct = default) =>
        WriteManyAsync(connection, tx, [e], ct);

    /// <summary>Appends one event that <paramref name="actor"/> made, rather than the caller of the request.</summary>
    public Task WriteAsync(DbConnection connection, DbTransaction tx, AuditEvent e, AuditActor actor, CancellationToken ct = default) =>
        AppendAsync(connection, tx, [e], actor, ct);

    /// <summary>
    /// Appends the events in order, chained as <see cref="WriteAsync(DbConnection, DbTransaction, AuditEvent, CancellationToken)"/> chains one: the chain's end is read once and the
    /// insert is prepared once, so a bulk import writes its thousands of entries at the cost of the rows alone.
    /// </summary>
    public Task WriteManyAsync(DbConnection connection, DbTransaction tx, IEnumerable<AuditEvent> events, CancellationToken ct = default) =>
        AppendAsync(connection, tx, events, new AuditActor(caller.ActorId, caller.ActorName), ct);

    private async Task AppendAsync(DbConnection connection, DbTransaction tx, IEnumerable<AuditEvent> events, AuditActor actor, CancellationToken ct)
    {
        if (connection is Npgsql.NpgsqlConnection)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(@key)", new { key = PostgresChainLock }, tx, cancellationToken: ct));
        }
        var last = await connection.QueryFirstOrDefaultAsync<ChainLink>(new CommandDefinition(
            "SELECT seq, hash FROM sys_audit_entries ORDER BY seq DESC LIMIT 1", transaction: tx, cancellationToken: ct));
        var seq = last?.Seq ?? 0;
        var previous = last?.Hash ?? Genesis;
        var occurredAt = DapperSetup.Normalise(clock.GetUtcNow());
        var actorId = actor.Id;
        var actorName = actor.Name;
        var entries = new List<AuditEntry>();
        foreach (var e in events)
        {
            var entry = new AuditEntry
            {
                Seq = ++seq,
                OccurredAt = occurredAt,
                ActorId = actorId,
                ActorName = actorName,
                OrganisationId = e.OrganisationId,
                RecordType = e.RecordType,
                RecordId = e.RecordId,
                Action = e.Action,
                Changes = JsonSerializer.Serialize(e.Changes, Json),
                Reason = string.IsNullOrWhiteSpace(e.Reason) ? null : e.Reason.Trim(),
                PrevHash = previous,
            };
            var hashed = new AuditEntry
            {
                Seq = entry.Seq, OccurredAt = entry.OccurredAt, ActorId = entry.ActorId, ActorName = entry.ActorName,
                OrganisationId = entry.OrganisationId, RecordType = entry.RecordType, RecordId = entry.RecordId,
                Action = entry.Action, Changes = entry.Changes, Reason = entry.Reason, PrevHash = entry.PrevHash,
                Hash = ComputeHash(entry),
            };
            previous = hashed.Hash;
            entries.Add(hashed);
        }
        if (entries.Count == 0)
        {
            return;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sys_audit_entries
                (seq, occurred_at, actor_id, actor_name, organisation_id, record_type, record_id, action, changes, reason, prev_hash, hash)
            VALUES (@Seq, @OccurredAt, @ActorId, @ActorName, @OrganisationId, @RecordType, @RecordId, @Action, @Changes, @Reason, @PrevHash, @Hash)
            """, entries, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Walks the whole chain in order and names the first entry whose hash, link or sequence no longer
    /// matches: an edited, inserted or deleted row.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(Database database, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        // Streamed: the chain can be millions of entries long.
        var rows = connection.QueryUnbufferedAsync<AuditEntry>("SELECT * FROM sys_audit_entries ORDER BY seq");
        long checkedCount = 0;
        var previousHash = Genesis;
        long expectedSeq = 1;
        await foreach (var row in rows.WithCancellation(ct))
        {
            string? problem = null;
            if (row.Seq != expectedSeq)
            {
                problem = $"sequence jumps from {expectedSeq - 1} to {row.Seq}: entries were removed";
            }
            else if (!string.Equals(row.PrevHash, previousHash, StringComparison.Ordinal))
            {
                problem = "link to the previous entry does not match";
            }
            else if (!string.Equals(ComputeHash(row), row.Hash, StringComparison.Ordinal))
            {
                problem = "content does not match its hash: the entry was altered";
            }
            if (problem is not null)
            {
                return new AuditVerification(false, checkedCount, row.Seq, row.RecordType, row.RecordId, problem, expectedSeq - 1, previousHash);
            }
            checkedCount++;
            previousHash = row.Hash;
            expectedSeq++;
        }
        return new AuditVerification(true, checkedCount, null, null, null, null, expectedSeq - 1, previousHash);
    }

    public static string ComputeHash(AuditEntry e)
    {
        var canonical = JsonSerializer.Serialize(new object?[]
        {
            e.Seq,
            DapperSetup.FormatTimestamp(e.OccurredAt),
            e.ActorId?.ToString("D"),
            e.ActorName,
            e.OrganisationId?.ToString("D"),
            e.RecordType,
            e.RecordId,
            e.Action,
            e.Changes,
            e.Reason,
            e.PrevHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Field-by-field difference of two snapshots; only fields whose value changed are kept.</summary>
    public static IReadOnlyList<AuditChange> Diff(IReadOnlyDictionary<string, object?> before, IReadOnlyDictionary<string, object?> after)
    {
        var changes = new List<AuditChange>();
        foreach (var (field, value) in after)
        {
            before.TryGetValue(field, out var old);
            var o = Show(old);
            var n = Show(value);
            if (!string.Equals(o, n, StringComparison.Ordinal))
            {
                changes.Add(new AuditChange(field, o, n));
            }
        }
        return changes;
    }

    /// <summary>Every field of a new record, as changes from nothing.</summary>
    public static IReadOnlyList<AuditChange> Created(IReadOnlyDictionary<string, object?> fields) =>
        fields.Where(f => f.Value is not null).Select(f => new AuditChange(f.Key, null, Show(f.Value))).ToList();

    private sealed class ChainLink
    {
        public long Seq { get; init; }
        public string Hash { get; init; } = "";
    }

    private static string? Show(object? value) => value switch
    {
        null => null,
        DateTimeOffset d => DapperSetup.FormatTimestamp(d),
        IEnumerable<string> list => string.Join(", ", list),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
