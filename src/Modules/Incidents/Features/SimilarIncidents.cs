using Certus.Data;
using Certus.Data.Search;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Incidents.Features;

/// <summary>
/// Knowledge at hand (manual §7.2.2): resolved incidents like this one, with how they were resolved. Alike
/// means the same service or category, or sharing words of the title; the more in common, the higher.
/// </summary>
public sealed class SimilarIncidents(Database database, ICurrentUser caller)
{
    public sealed class Match
    {
        public Guid Id { get; init; }
        public long NumberValue { get; init; }
        public string Number => new Contracts.IncidentNumber(NumberValue).ToString();
        public string Title { get; init; } = "";
        public string? ResolutionCode { get; init; }
        public string? ResolutionNotes { get; init; }
        public DateTimeOffset? ResolvedAt { get; init; }
        public long Score { get; init; }
    }

    public async Task<IReadOnlyList<Match>> HandleAsync(IncidentView incident, int limit = 5, CancellationToken ct = default)
    {
        // Any word of the title may match (OR), unlike the search box where every word must.
        var words = SearchText.Document(incident.Title).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Take(12).ToList();
        var conditions = new List<string>();
        var args = new DynamicParameters(new
        {
            id = incident.Id, service = incident.ServiceRef, category = incident.CategoryId, limit,
            resolved = "resolved", closed = "closed", scopeOrg = OrganisationScope.Parameter(caller),
        });
        if (incident.ServiceRef is not null)
        {
            conditions.Add("CASE WHEN i.service_ref = @service THEN 2 ELSE 0 END");
        }
        if (incident.CategoryId is not null)
        {
            conditions.Add("CASE WHEN i.category_id = @category THEN 2 ELSE 0 END");
        }
        string? textMatch = null;
        if (words.Count > 0)
        {
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                textMatch = "i.number IN (SELECT rowid FROM inc_search WHERE inc_search MATCH @words)";
                args.Add("words", string.Join(" OR ", words.Select(w => $"\"{w}\"")));
            }
            else
            {
                textMatch = "i.search @@ to_tsquery('simple', @words)";
                args.Add("words", string.Join(" | ", words.Select(w => $"'{w}'")));
            }
            conditions.Add($"CASE WHEN {textMatch} THEN 3 ELSE 0 END");
        }
        if (conditions.Count == 0)
        {
            return [];
        }
        var score = string.Join(" + ", conditions);
        var any = string.Join(" OR ", new[]
        {
            incident.ServiceRef is null ? null : "i.service_ref = @service",
            incident.CategoryId is null ? null : "i.category_id = @category",
            textMatch,
        }.Where(c => c is not null));
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Match>(new CommandDefinition(
            $"""
            SELECT i.id, i.number AS number_value, i.title, i.resolution_code, i.resolution_notes, i.resolved_at, ({score}) AS score
            FROM inc_incidents i
            WHERE i.id <> @id AND i.status IN (@resolved, @closed) AND i.resolution_notes IS NOT NULL
              AND {OrganisationScope.Filter(caller, "i.organisation_id")} AND ({any})
            ORDER BY score DESC, i.resolved_at DESC
            LIMIT @limit
            """, args, cancellationToken: ct));
        return rows.ToList();
    }
}
