using Certus.Data;
using Certus.Identity.Contracts;
using Dapper;

namespace Certus.Identity.Features;

/// <summary>Implements <see cref="IDirectory"/> for other modules.</summary>
internal sealed class Directory(Database database) : IDirectory
{
    public async Task<OrganisationSummary?> FindOrganisationAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<OrganisationView>(new CommandDefinition(
            "SELECT id, name, kind FROM idn_organisations WHERE id = @id", new { id }, cancellationToken: ct));
        return row is null ? null : new OrganisationSummary(row.Id, row.Name, OrganisationKinds.Parse(row.Kind)!.Value);
    }

    public async Task<UserSummary?> FindUserAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<UserView>(new CommandDefinition(
            "SELECT id, display_name, email, organisation_id FROM idn_users WHERE id = @id", new { id }, cancellationToken: ct));
        return row is null ? null : new UserSummary(row.Id, row.DisplayName, row.Email, row.OrganisationId);
    }
}
