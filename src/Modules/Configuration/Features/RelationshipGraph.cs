using System.Data.Common;
using Certus.Configuration.Domain;
using Certus.Data;
using Dapper;

namespace Certus.Configuration.Features;

/// <summary>
/// The CI relationship graph held in memory for impact analysis, kept current from <c>cmdb_relationship_log</c>:
/// each query first reads the log's last sequence number (one indexed lookup) and applies whatever other writers,
/// on this instance or another, committed since. Nothing here is the system of record; a restart reloads it.
/// </summary>
public sealed class RelationshipGraph(Database database) : IDisposable
{
    // Beyond this many pending log entries a full reload is cheaper than replaying them one by one.
    private const int ReplayLimit = 50_000;

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<Guid, int> _index = [];
    private readonly List<Guid> _ids = [];
    private readonly List<List<ImpactWalk.Arc>> _out = [];
    private readonly List<List<ImpactWalk.Arc>> _in = [];
    private readonly Dictionary<string, byte> _typeIndex = new(StringComparer.Ordinal);
    private readonly List<string> _types = [];
    private long _seq = -1;

    /// <summary>How many relationships the graph holds (for the benchmark and health figures).</summary>
    public int EdgeCount { get; private set; }

    public void Dispose()
    {
        _refresh.Dispose();
        _lock.Dispose();
    }

    /// <summary>Brings the graph up to the last committed relationship change.</summary>
    public async Task RefreshAsync(DbConnection connection, CancellationToken ct)
    {
        var last = await LastSeqAsync(connection, null, ct);
        if (last == Volatile.Read(ref _seq))
        {
            return;
        }
        await _refresh.WaitAsync(ct);
        try
        {
            if (_seq < 0 || last - _seq > ReplayLimit || last < _seq)
            {
                await ReloadAsync(ct);
            }
            else if (last != _seq)
            {
                var changes = (await connection.QueryAsync<LogRow>(new CommandDefinition(
                    "SELECT seq, op, source_id, target_id, type_key FROM cmdb_relationship_log WHERE seq > @since ORDER BY seq",
                    new { since = _seq }, cancellationToken: ct))).ToList();
                _lock.EnterWriteLock();
                try
                {
                    foreach (var change in changes)
                    {
                        if (change.Op == "added")
                        {
                            AddEdge(change.SourceId, change.TargetId, change.TypeKey);
                        }
                        else
                        {
                            RemoveEdge(change.SourceId, change.TargetId, change.TypeKey);
                        }
                        _seq = change.Seq;
                    }
                }
                finally
                {
                    _lock.ExitWriteLock();
                }
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Runs <paramref name="read"/> over a consistent view of the graph (no writer applies changes meanwhile).</summary>
    public T Read<T>(Func<View, T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read(new View(this));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Read access for one walk.</summary>
    public readonly struct View
    {
        private readonly RelationshipGraph _graph;

        internal View(RelationshipGraph graph) => _graph = graph;

        public int NodeCount => _graph._ids.Count;

        public bool TryIndex(Guid id, out int node) => _graph._index.TryGetValue(id, out node);

        public Guid Id(int node) => _graph._ids[node];

        public List<ImpactWalk.Arc> Outgoing(int node) => _graph._out[node];

        public List<ImpactWalk.Arc> Incoming(int node) => _graph._in[node];

        public string TypeKey(byte type) => _graph._types[type];

        /// <summary>The type's index, or -1 when no relationship of it exists.</summary>
        public int TypeIndex(string key) => _graph._typeIndex.TryGetValue(key, out var t) ? t : -1;

        public int TypeCount => _graph._types.Count;
    }

    private async Task ReloadAsync(CancellationToken ct)
    {
        // One read transaction, so that the edges and the sequence number describe the same moment. It takes no write
        // lock: a plain BEGIN on SQLite would, and hold every writer up for the seconds a large graph takes to read.
        var (last, edges) = await database.ReadAsync(async (connection, tx) =>
        {
            var seq = await LastSeqAsync(connection, tx, ct);
            var rows = await connection.QueryAsync<EdgeRow>(new CommandDefinition(
                "SELECT source_id, target_id, type_key FROM cmdb_relationships", transaction: tx, cancellationToken: ct));
            return (seq, rows);
        }, ct);
        _lock.EnterWriteLock();
        try
        {
            _index.Clear();
            _ids.Clear();
            _out.Clear();
            _in.Clear();
            EdgeCount = 0;
            foreach (var e in edges)
            {
                AddEdge(e.SourceId, e.TargetId, e.TypeKey);
            }
            _seq = last;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private static Task<long> LastSeqAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT coalesce(max(seq), 0) FROM cmdb_relationship_log", transaction: tx, cancellationToken: ct));

    private void AddEdge(Guid source, Guid target, string typeKey)
    {
        var s = Node(source);
        var t = Node(target);
        var type = Type(typeKey);
        _out[s].Add(new ImpactWalk.Arc(t, type));
        _in[t].Add(new ImpactWalk.Arc(s, type));
        EdgeCount++;
    }

    private void RemoveEdge(Guid source, Guid target, string typeKey)
    {
        if (!_index.TryGetValue(source, out var s) || !_index.TryGetValue(target, out var t) || !_typeIndex.TryGetValue(typeKey, out var type))
        {
            return;
        }
        if (_out[s].Remove(new ImpactWalk.Arc(t, type)) && _in[t].Remove(new ImpactWalk.Arc(s, type)))
        {
            EdgeCount--;
        }
    }

    private int Node(Guid id)
    {
        if (!_index.TryGetValue(id, out var node))
        {
            node = _ids.Count;
            _index[id] = node;
            _ids.Add(id);
            _out.Add([]);
            _in.Add([]);
        }
        return node;
    }

    private byte Type(string key)
    {
        if (!_typeIndex.TryGetValue(key, out var type))
        {
            type = checked((byte)_types.Count);
            _typeIndex[key] = type;
            _types.Add(key);
        }
        return type;
    }

    private sealed class LogRow
    {
        public long Seq { get; init; }
        public string Op { get; init; } = "";
        public Guid SourceId { get; init; }
        public Guid TargetId { get; init; }
        public string TypeKey { get; init; } = "";
    }

    private sealed class EdgeRow
    {
        public Guid SourceId { get; init; }
        public Guid TargetId { get; init; }
        public string TypeKey { get; init; } = "";
    }
}
