using Certus.Changes.Contracts;
using Certus.Data;
using Certus.Kernel;
using Certus.Kernel.Security;
using Certus.Releases.Domain;
using Dapper;

namespace Certus.Releases.Features;

/// <summary>Lists and reads releases for provider staff; customers see none (release records are the provider's own).</summary>
public sealed class ReleaseQueries(Database database, ICurrentUser caller, IChangeRecords changes)
{
    public sealed record ListQuery(string? State = null, string? Service = null, string? Q = null, int Page = 1, int PageSize = 50);

    public async Task<Page<ReleaseSummary>> ListAsync(ListQuery query, CancellationToken ct = default)
    {
        var paging = PageRequest.From(query.Page, query.PageSize);
        if (caller.VisibleOrganisationId is not null)
        {
            return new Page<ReleaseSummary>([], 0, paging.Number, paging.Size);
        }
        var dialect = database.Dialect;
        var where = new List<string>();
        var parameters = new DynamicParameters();
        if (ReleaseNames.ParseState(query.State) is { } state)
        {
            where.Add("r.state = @state");
            parameters.Add("state", state.Key());
        }
        else if (string.Equals(query.State, "open", StringComparison.OrdinalIgnoreCase))
        {
            where.Add("r.state NOT IN ('closed', 'cancelled')");
        }
        if (!string.IsNullOrWhiteSpace(query.Service))
        {
            where.Add("r.service_code = @service");
            parameters.Add("service", query.Service.Trim().ToUpperInvariant());
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var q = query.Q.Trim();
            var conditions = new List<string> { $"r.title {dialect.ILike} @q", $"r.identifier {dialect.ILike} @q" };
            if (ReleaseNumber.Parse(q) is { } number)
            {
                conditions.Add("r.number = @number");
                parameters.Add("number", number.Value);
            }
            conditions.Add($"EXISTS (SELECT 1 FROM rel_release_changes c WHERE c.release_id = r.id AND c.change_number {dialect.ILike} @q)");
            where.Add("(" + string.Join(" OR ", conditions) + ")");
            parameters.Add("q", $"%{q.Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)}%");
        }
        var filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        parameters.Add("limit", paging.Size);
        parameters.Add("offset", paging.Offset);
        await using var connection = await database.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM rel_releases r {filter}", parameters, cancellationToken: ct));
        var items = await connection.QueryAsync<ReleaseSummary>(new CommandDefinition(
            $"""
            SELECT r.id, r.number AS number_value, r.identifier, r.service_code, r.type, r.title, r.state, r.planned_start, r.planned_end, r.updated_at,
                (SELECT count(*) FROM rel_release_changes c WHERE c.release_id = r.id) AS change_count,
                (SELECT count(*) FROM rel_release_tests t WHERE t.release_id = r.id) AS test_count
            FROM rel_releases r {filter}
            ORDER BY r.number DESC
            {SqlDialect.Paging("@limit", "@offset")}
            """, parameters, cancellationToken: ct));
        return new Page<ReleaseSummary>([.. items], total, paging.Number, paging.Size);
    }

    /// <summary>A release with what change management says of its changes now.</summary>
    public async Task<ReleaseView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        if (caller.VisibleOrganisationId is not null)
        {
            return null;
        }
        ReleaseView? release;
        await using (var connection = await database.OpenAsync(ct))
        {
            release = await ReleaseRows.LoadAsync(connection, null, id, ct);
        }
        if (release is null || release.Changes.Count == 0)
        {
            return release;
        }
        var facts = await changes.FindAsync([.. release.Changes.Select(c => c.ChangeNumber)], ct);
        foreach (var change in release.Changes)
        {
            var now = facts.FirstOrDefault(f => f.Id == change.ChangeId);
            change.State = now?.State;
            change.Authorised = now?.Authorised;
        }
        return release;
    }

    /// <summary>Whether the release exists for the caller, without asking other modules.</summary>
    public async Task<bool> ExistsAsync(Guid id, CancellationToken ct = default)
    {
        if (caller.VisibleOrganisationId is not null)
        {
            return false;
        }
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM rel_releases WHERE id = @id", new { id }, cancellationToken: ct)) > 0;
    }
}
