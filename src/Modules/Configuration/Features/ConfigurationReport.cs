using System.Globalization;
using Certus.Data;
using Certus.Kernel.Errors;
using Dapper;
using Certus.Kernel.Tables;

namespace Certus.Configuration.Features;

/// <summary>
/// The configuration item report (配置项管理报告, manual §8.1.8): per CI its latest version and location, what it
/// depends on and what depends on it, and its whole version history.
/// </summary>
public sealed class ConfigurationReport(Database database, Texts<Strings> text)
{
    private static readonly string[] CiColumnKeys = ["Identifier", "Name", "Class", "Status", "VersionLabel", "Version", "Location", "Service", "DependsOn", "DependedOnBy"];
    private static readonly string[] HistoryColumnKeys = ["Identifier", "Version", "ChangedAt", "Action", "Status", "Who", "ChangeRef", "Reason"];

    public sealed record Link(string Identifier, string Name, string Relationship);

    public sealed record HistoryEntry(int Version, DateTimeOffset ChangedAt, string Action, string Status, string ActorName, string? ChangeRef, string? Reason);

    public sealed record Item(
        string Identifier, string Name, string Class, string ClassName, string Status, string VersionLabel, int Version, string Location, string? ServiceCode,
        IReadOnlyList<Link> DependsOn, IReadOnlyList<Link> DependedOnBy, IReadOnlyList<HistoryEntry> History);

    public sealed record Result(DateTimeOffset GeneratedAt, string? Class, string? Service, IReadOnlyList<Item> Items);

    private sealed class VersionRow
    {
        public Guid CiId { get; init; }
        public int Version { get; init; }
        public DateTimeOffset ChangedAt { get; init; }
        public string Action { get; init; } = "";
        public string Status { get; init; } = "";
        public string ActorName { get; init; } = "";
        public string? ChangeRef { get; init; }
        public string? Reason { get; init; }
    }

    public async Task<Result> HandleAsync(string? @class, string? service, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var model = await ClassModel.LoadAsync(connection, null, ct);
        var culture = CultureInfo.CurrentUICulture.Name;
        var conditions = new List<string>();
        Guid[] classes = [];
        if (model.Find(@class) is { } cls)
        {
            classes = [.. model.Subtree(cls.Id)];
            conditions.Add(database.Dialect.In("i.class_id", "classes"));
        }
        else if (!string.IsNullOrWhiteSpace(@class))
        {
            conditions.Add("1 = 0");
        }
        var code = string.IsNullOrWhiteSpace(service) ? null : service.Trim().ToUpperInvariant();
        if (code is not null)
        {
            conditions.Add("i.service_code = @code");
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var cis = (await connection.QueryAsync<CiView>(new CommandDefinition(
            $"SELECT {CiView.Columns} FROM cmdb_items i {where} ORDER BY i.identifier", new { classes, code }, cancellationToken: ct))).ToList();
        var ids = cis.Select(c => c.Id).ToArray();
        var edges = new List<(Guid Source, string Type, Guid Target, string SourceIdentifier, string SourceName, string TargetIdentifier, string TargetName)>();
        var versions = new List<VersionRow>();
        foreach (var chunk in ids.Chunk(500))
        {
            edges.AddRange(await connection.QueryAsync<(Guid, string, Guid, string, string, string, string)>(new CommandDefinition(
                $"""
                SELECT r.source_id, r.type_key, r.target_id, s.identifier, s.name, t.identifier, t.name
                FROM cmdb_relationships r JOIN cmdb_items s ON s.id = r.source_id JOIN cmdb_items t ON t.id = r.target_id
                WHERE {database.Dialect.In("r.source_id", "chunk")} OR {database.Dialect.In("r.target_id", "chunk")}
                """, new { chunk }, cancellationToken: ct)));
            versions.AddRange(await connection.QueryAsync<VersionRow>(new CommandDefinition(
                $"SELECT ci_id, version, changed_at, action, status, actor_name, change_ref, reason FROM cmdb_item_versions WHERE {database.Dialect.In("ci_id", "chunk")}",
                new { chunk }, cancellationToken: ct)));
        }
        var distinctEdges = edges.Distinct().ToList();
        var outgoing = distinctEdges.ToLookup(e => e.Source);
        var incoming = distinctEdges.ToLookup(e => e.Target);
        var history = versions.ToLookup(v => v.CiId);
        string TypeName(string key) => model.Type(key)?.Name(culture) ?? key;
        string InverseName(string key) => model.Type(key)?.Inverse(culture) ?? key;
        var items = cis.Select(ci => new Item(
            ci.Identifier, ci.Name, model.Find(ci.ClassId)?.Key ?? "", model.Find(ci.ClassId)?.Name(culture) ?? "", ci.Status, ci.VersionLabel, ci.Version, ci.Location,
            ci.ServiceCode,
            [.. outgoing[ci.Id].OrderBy(e => e.TargetIdentifier, StringComparer.Ordinal).Select(e => new Link(e.TargetIdentifier, e.TargetName, TypeName(e.Type)))],
            [.. incoming[ci.Id].OrderBy(e => e.SourceIdentifier, StringComparer.Ordinal).Select(e => new Link(e.SourceIdentifier, e.SourceName, InverseName(e.Type)))],
            [.. history[ci.Id].OrderBy(v => v.Version).Select(v => new HistoryEntry(v.Version, v.ChangedAt, v.Action, v.Status, v.ActorName, v.ChangeRef, v.Reason))]))
            .ToList();
        return new Result(DateTimeOffset.UtcNow, @class, code, items);
    }

    /// <summary>The report as a workbook: one sheet of CIs, one of their version history.</summary>
    public IReadOnlyList<TableOut> Sheets(Result result)
    {
        string T(string key) => text[$"Report.{key}"];
        static string Links(IEnumerable<Link> links) => string.Join("; ", links.Select(l => $"{l.Relationship} {l.Identifier} {l.Name}"));
        return
        [
            new TableOut(T("CisSheet"),
                [.. CiColumnKeys.Select(T)],
                result.Items.Select(i => (IReadOnlyList<TableCell>)
                    [i.Identifier, i.Name, i.ClassName, i.Status, i.VersionLabel, TableCell.Of(i.Version), i.Location, i.ServiceCode ?? "", Links(i.DependsOn), Links(i.DependedOnBy)])),
            new TableOut(T("HistorySheet"),
                [.. HistoryColumnKeys.Select(T)],
                result.Items.SelectMany(i => i.History.Select(h => (IReadOnlyList<TableCell>)
                    [i.Identifier, TableCell.Of(h.Version), h.ChangedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), h.Action, h.Status, h.ActorName,
                     h.ChangeRef ?? "", h.Reason ?? ""]))),
        ];
    }
}
