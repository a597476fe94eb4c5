using Certus.Data;
using Certus.Kernel;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Identity.Features;

/// <summary>Reads organisations the caller may see: all of them for provider staff, their own for customers.</summary>
public sealed class GetOrganisation(Database database, ICurrentUser caller)
{
    public async Task<OrganisationView?> HandleAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<OrganisationView>(new CommandDefinition(
            $"{OrganisationView.Select} WHERE o.id = @id AND {OrganisationScope.Filter(caller, "o.id")}",
            new { id, scopeOrg = OrganisationScope.Parameter(caller) }, cancellationToken: ct));
    }

    public async Task<Page<OrganisationView>> ListAsync(string? kind, string? q, PageRequest page, CancellationToken ct = default)
    {
        var where = new List<string> { OrganisationScope.Filter(caller, "o.id") };
        if (!string.IsNullOrWhiteSpace(kind))
        {
            where.Add("o.kind = @kind");
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            where.Add("o.normalized_name LIKE @q");
        }
        var filter = string.Join(" AND ", where);
        var args = new
        {
            kind = kind?.Trim().ToLowerInvariant(),
            q = $"%{q?.Trim().ToUpperInvariant()}%",
            scopeOrg = OrganisationScope.Parameter(caller),
            limit = page.Size,
            offset = page.Offset,
        };
        await using var connection = await database.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM idn_organisations o WHERE {filter}", args, cancellationToken: ct));
        var items = await connection.QueryAsync<OrganisationView>(new CommandDefinition(
            $"{OrganisationView.Select} WHERE {filter} ORDER BY o.kind DESC, o.name LIMIT @limit OFFSET @offset", args, cancellationToken: ct));
        return new Page<OrganisationView>(items.ToList(), total, page.Number, page.Size);
    }
}
