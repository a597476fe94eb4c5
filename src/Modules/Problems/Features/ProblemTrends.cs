using Certus.Data;
using Certus.Incidents.Contracts;
using Certus.Kernel.Security;
using Certus.Problems.Domain;
using Dapper;

namespace Certus.Problems.Features;

/// <summary>A CI or service with repeated incidents that no open problem explains yet.</summary>
/// <param name="Kind"><c>ci</c> or <c>service</c>.</param>
/// <param name="Reference">The CI (identifier or name) or service code, as the incidents record it.</param>
/// <param name="Incidents">The incidents of the period not linked to an open problem, newest first.</param>
/// <param name="OpenProblems">Open problems already naming this CI or service (their incidents may just need linking).</param>
public sealed record Trend(string Kind, string Reference, IReadOnlyList<IncidentRecord> Incidents, IReadOnlyList<ProblemRow> OpenProblems);

/// <summary>
/// Proactive problem management (ISO/IEC 20000-1:2018 8.6.3: "analyse data and trends on incidents to identify problems"):
/// the CIs and services with at least a number of incidents in a period that are not linked to an open problem.
/// </summary>
public sealed class ProblemTrends(Database database, ICurrentUser caller, IIncidentRecords incidents, TimeProvider clock)
{
    public static readonly IReadOnlyList<int> Periods = [30, 90];

    public const int DefaultMinimum = 3;

    public async Task<IReadOnlyList<Trend>> FindAsync(int days, int minimum, CancellationToken ct = default)
    {
        if (!caller.IsProviderStaff)
        {
            return [];
        }
        minimum = Math.Clamp(minimum, 2, 1000);
        var now = clock.GetUtcNow();
        var clusters = await incidents.ClustersAsync(now.AddDays(-Math.Clamp(days, 1, 366)), now, minimum, ct);
        if (clusters.Count == 0)
        {
            return [];
        }
        await using var connection = await database.OpenAsync(ct);
        var open = ProblemLifecycle.OpenKeys.ToArray();
        var explained = (await connection.QueryAsync<long>(new CommandDefinition(
            $"""
            SELECT DISTINCT x.incident_number FROM prb_problem_incidents x JOIN prb_problems p ON p.id = x.problem_id
            WHERE {database.Dialect.In("p.state", "open")}
            """, new { open }, cancellationToken: ct))).ToHashSet();
        var problems = (await connection.QueryAsync<OpenProblem>(new CommandDefinition(
            $"""
            SELECT p.id, p.number AS number_value, p.state, p.title, p.service_code, p.category, p.priority, p.source_kind, p.created_at, p.updated_at,
                   c.identifier, c.name
            FROM prb_problems p LEFT JOIN prb_problem_cis c ON c.problem_id = p.id
            WHERE {database.Dialect.In("p.state", "open")}
            """, new { open }, cancellationToken: ct))).ToList();
        var trends = new List<Trend>();
        foreach (var cluster in clusters)
        {
            var unexplained = cluster.Incidents.Where(i => IncidentNumber.Parse(i.Number)?.Value is not { } n || !explained.Contains(n)).ToList();
            if (unexplained.Count < minimum)
            {
                continue;
            }
            var covering = problems.Where(p => cluster.Kind == "ci"
                    ? string.Equals(p.Identifier, cluster.Reference, StringComparison.OrdinalIgnoreCase) || string.Equals(p.Name, cluster.Reference, StringComparison.OrdinalIgnoreCase)
                    : string.Equals(p.ServiceCode, cluster.Reference, StringComparison.OrdinalIgnoreCase))
                .GroupBy(p => p.Id).Select(g => g.First().ToRow()).ToList();
            trends.Add(new Trend(cluster.Kind, cluster.Reference, unexplained, covering));
        }
        return [.. trends.OrderByDescending(t => t.Incidents.Count).ThenBy(t => t.Kind, StringComparer.Ordinal).ThenBy(t => t.Reference, StringComparer.Ordinal)];
    }

    private sealed class OpenProblem
    {
        public Guid Id { get; init; }
        public long NumberValue { get; init; }
        public string State { get; init; } = "";
        public string Title { get; init; } = "";
        public string? ServiceCode { get; init; }
        public string Category { get; init; } = "";
        public int Priority { get; init; }
        public string SourceKind { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public string? Identifier { get; init; }
        public string? Name { get; init; }

        public ProblemRow ToRow() => new()
        {
            Id = Id, NumberValue = NumberValue, State = State, Title = Title, ServiceCode = ServiceCode, Category = Category, Priority = Priority,
            SourceKind = SourceKind, CreatedAt = CreatedAt, UpdatedAt = UpdatedAt,
        };
    }
}
