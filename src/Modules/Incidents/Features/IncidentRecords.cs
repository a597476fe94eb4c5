using Certus.Data;
using Certus.Incidents.Contracts;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Incidents.Features;

/// <summary>Incident management's read contract for other processes, within what the caller may see.</summary>
public sealed class IncidentRecords(Database database, ICurrentUser caller) : IIncidentRecords
{
    private const string Columns = "i.id, i.number, i.title, i.status, i.priority, i.organisation_id, i.service_ref, i.ci_ref, i.is_major, i.created_at";

    /// <summary>A cluster lists at most this many incidents; its count is still the whole group's.</summary>
    private const int ClusterLimit = 500;

    public async Task<IReadOnlyList<IncidentRecord>> FindAsync(IReadOnlyCollection<string> numbers, CancellationToken ct)
    {
        var values = numbers.Select(IncidentNumber.Parse).OfType<IncidentNumber>().Select(n => n.Value).Distinct().ToArray();
        if (values.Length == 0)
        {
            return [];
        }
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM inc_incidents i
            WHERE {database.Dialect.In("i.number", "values")} AND {OrganisationScope.Filter(caller, "i.organisation_id")}
            ORDER BY i.number
            """, new { values, scopeOrg = OrganisationScope.Parameter(caller) }, cancellationToken: ct));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<IReadOnlyList<IncidentCluster>> ClustersAsync(DateTimeOffset from, DateTimeOffset to, int minimum, CancellationToken ct)
    {
        var args = new { from = from.ToUniversalTime(), to = to.ToUniversalTime(), minimum = Math.Max(1, minimum), scopeOrg = OrganisationScope.Parameter(caller) };
        var scope = OrganisationScope.Filter(caller, "i.organisation_id");
        await using var connection = await database.OpenAsync(ct);
        var clusters = new List<IncidentCluster>();
        foreach (var (kind, column) in new[] { ("ci", "ci_ref"), ("service", "service_ref") })
        {
            var period = $"i.created_at >= @from AND i.created_at < @to AND i.status <> 'cancelled' AND i.{column} IS NOT NULL AND i.{column} <> '' AND {scope}";
            var keys = (await connection.QueryAsync<string>(new CommandDefinition(
                $"SELECT upper(i.{column}) FROM inc_incidents i WHERE {period} GROUP BY upper(i.{column}) HAVING count(*) >= @minimum",
                args, cancellationToken: ct))).ToArray();
            if (keys.Length == 0)
            {
                continue;
            }
            var parameters = new DynamicParameters(args);
            parameters.Add("keys", keys);
            var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM inc_incidents i WHERE {period} AND {database.Dialect.In($"upper(i.{column})", "keys")} ORDER BY i.number DESC",
                parameters, cancellationToken: ct))).ToList();
            clusters.AddRange(rows
                .GroupBy(r => (kind == "ci" ? r.CiRef : r.ServiceRef)!.ToUpperInvariant(), StringComparer.Ordinal)
                .Select(g => new IncidentCluster(kind, kind == "ci" ? g.Last().CiRef! : g.Last().ServiceRef!, [.. g.Take(ClusterLimit).Select(r => r.ToRecord())])));
        }
        return [.. clusters.OrderByDescending(c => c.Incidents.Count).ThenBy(c => c.Kind, StringComparer.Ordinal).ThenBy(c => c.Reference, StringComparer.Ordinal)];
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public long Number { get; init; }
        public string Title { get; init; } = "";
        public string Status { get; init; } = "";
        public int Priority { get; init; }
        public Guid OrganisationId { get; init; }
        public string? ServiceRef { get; init; }
        public string? CiRef { get; init; }
        public bool IsMajor { get; init; }
        public DateTimeOffset CreatedAt { get; init; }

        public IncidentRecord ToRecord()
        {
            var number = new IncidentNumber(Number);
            return new IncidentRecord(Id, number.ToString(), Title, Status, Priority, OrganisationId, ServiceRef, CiRef, IsMajor, CreatedAt, number.Path);
        }
    }
}
