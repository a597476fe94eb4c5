using System.Data.Common;
using Certus.Data;
using Certus.Kernel.Security;
using Certus.Problems.Domain;
using Dapper;

namespace Certus.Problems.Features;

/// <summary>
/// The known-error database (ISO/IEC 20000-1:2018 8.6.3 "known errors shall be recorded" and provided to incident
/// management; manual §7.2.2): every problem that became a known error, searched in its title, symptoms, root cause and
/// workaround, by service and by CI.
/// </summary>
public sealed class KnownErrors(Database database, ICurrentUser caller)
{
    public static readonly IReadOnlyList<string> Statuses = ["active", "fixed", "all"];

    public sealed record Query(string? Q = null, string? Service = null, string? Ci = null, string? Status = null, int Limit = 100);

    public async Task<IReadOnlyList<KnownErrorView>> SearchAsync(Query query, CancellationToken ct = default)
    {
        if (!caller.IsProviderStaff)
        {
            return [];
        }
        var where = new List<string> { "p.known_error_at IS NOT NULL", "p.state <> 'cancelled'" };
        var args = new DynamicParameters();
        switch ((query.Status ?? "active").Trim().ToLowerInvariant())
        {
            case "fixed":
                where.Add("p.state IN ('resolved', 'closed')");
                break;
            case "all":
                break;
            default:
                where.Add(database.Dialect.In("p.state", "open"));
                args.Add("open", ProblemLifecycle.OpenKeys.ToArray());
                break;
        }
        var tokens = (query.Q ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ProblemQueries.Like).Where(t => t.Length > 0).Take(8).ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            // Every word must occur in one of the fields the desk reads; Chinese matches as typed, inside words too.
            var like = database.Dialect.ILike;
            var condition = $"(p.title {like} @t{i} OR p.symptoms {like} @t{i} OR p.root_cause {like} @t{i} OR p.workaround {like} @t{i}";
            if (ProblemNumber.Parse(tokens[i]) is { } number)
            {
                condition += $" OR p.number = @n{i}";
                args.Add($"n{i}", number.Value);
            }
            where.Add(condition + ")");
            args.Add($"t{i}", "%" + tokens[i] + "%");
        }
        if (!string.IsNullOrWhiteSpace(query.Service))
        {
            where.Add("upper(p.service_code) = @service");
            args.Add("service", query.Service.Trim().ToUpperInvariant());
        }
        if (!string.IsNullOrWhiteSpace(query.Ci))
        {
            where.Add("EXISTS (SELECT 1 FROM prb_problem_cis c WHERE c.problem_id = p.id AND (upper(c.identifier) = @ci OR upper(c.name) = @ci))");
            args.Add("ci", query.Ci.Trim().ToUpperInvariant());
        }
        await using var connection = await database.OpenAsync(ct);
        return await LoadAsync(connection, database.Dialect, string.Join(" AND ", where), args, Math.Clamp(query.Limit, 1, 500), ct);
    }

    /// <summary>Known errors matching a condition on <c>prb_problems p</c>, newest first, with their CIs.</summary>
    internal static async Task<IReadOnlyList<KnownErrorView>> LoadAsync(
        DbConnection connection, SqlDialect dialect, string where, object args, int limit, CancellationToken ct)
    {
        var parameters = new DynamicParameters(args);
        parameters.Add("limit", limit);
        var rows = (await connection.QueryAsync<KnownErrorView>(new CommandDefinition(
            $"""
            SELECT p.id, p.number AS number_value, p.state, p.title, p.symptoms, p.root_cause, p.workaround, p.service_code, p.priority,
                   p.known_error_at, p.fixed_by_change, p.fixed_at
            FROM prb_problems p WHERE {where}
            ORDER BY p.number DESC LIMIT @limit
            """, parameters, cancellationToken: ct))).ToList();
        if (rows.Count == 0)
        {
            return rows;
        }
        var ids = rows.Select(r => r.Id).ToArray();
        var cis = (await connection.QueryAsync<CiRow>(new CommandDefinition(
            $"SELECT problem_id, ci_id, identifier, name FROM prb_problem_cis WHERE {dialect.In("problem_id", "ids")} ORDER BY identifier",
            new { ids }, cancellationToken: ct))).ToList();
        foreach (var row in rows)
        {
            row.Cis = [.. cis.Where(c => c.ProblemId == row.Id).Select(c => new ProblemCi(c.CiId, c.Identifier, c.Name))];
        }
        return rows;
    }

    private sealed class CiRow
    {
        public Guid ProblemId { get; init; }
        public Guid CiId { get; init; }
        public string Identifier { get; init; } = "";
        public string Name { get; init; } = "";
    }
}
