using Certus.Data;
using Certus.Identity.Contracts;
using Dapper;

namespace Certus.Identity.Features;

/// <summary>Implements <see cref="IDirectory"/> for other modules.</summary>
internal sealed class Directory(Database database) : IDirectory
{
    public async Task<OrganisationSummary?> FindOrganisationAsync(Guid id, CancellationToken ct = default) =>
        (await FindOrganisationsAsync([id], ct)).GetValueOrDefault(id);

    public async Task<UserSummary?> FindUserAsync(Guid id, CancellationToken ct = default) =>
        (await FindUsersAsync([id], ct)).GetValueOrDefault(id);

    public async Task<GroupSummary?> FindGroupAsync(Guid id, CancellationToken ct = default) =>
        (await FindGroupsAsync([id], ct)).GetValueOrDefault(id);

    public async Task<IReadOnlyDictionary<Guid, UserSummary>> FindUsersAsync(IEnumerable<Guid> ids, CancellationToken ct = default)
    {
        var list = ids.Distinct().ToArray();
        if (list.Length == 0)
        {
            return new Dictionary<Guid, UserSummary>();
        }
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition(
            $"SELECT id, display_name, email, organisation_id, is_active, culture FROM idn_users WHERE {database.Dialect.In("id", "list")}", new { list }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, r => new UserSummary(r.Id, r.DisplayName, r.Email, r.OrganisationId, r.IsActive, r.Culture));
    }

    public async Task<IReadOnlyDictionary<Guid, GroupSummary>> FindGroupsAsync(IEnumerable<Guid> ids, CancellationToken ct = default)
    {
        var list = ids.Distinct().ToArray();
        if (list.Length == 0)
        {
            return new Dictionary<Guid, GroupSummary>();
        }
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<GroupView>(new CommandDefinition(
            $"SELECT id, name, organisation_id, lead_id FROM idn_groups WHERE {database.Dialect.In("id", "list")}", new { list }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, r => new GroupSummary(r.Id, r.Name, r.OrganisationId, r.LeadId));
    }

    public async Task<IReadOnlyDictionary<Guid, OrganisationSummary>> FindOrganisationsAsync(IEnumerable<Guid> ids, CancellationToken ct = default)
    {
        var list = ids.Distinct().ToArray();
        if (list.Length == 0)
        {
            return new Dictionary<Guid, OrganisationSummary>();
        }
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<OrganisationView>(new CommandDefinition(
            $"SELECT id, name, kind FROM idn_organisations WHERE {database.Dialect.In("id", "list")}", new { list }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, r => new OrganisationSummary(r.Id, r.Name, OrganisationKinds.Parse(r.Kind)!.Value));
    }

    public async Task<IReadOnlyList<Guid>> GroupsOfAsync(Guid userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT group_id FROM idn_group_members WHERE user_id = @userId", new { userId }, cancellationToken: ct))).ToList();
    }

    public async Task<IReadOnlyList<UserSummary>> StaffAsync(IReadOnlyList<string> roles, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<UserRow>(new CommandDefinition(
            $"""
            SELECT DISTINCT u.id, u.display_name, u.email, u.organisation_id
            FROM idn_users u
            JOIN idn_organisations o ON o.id = u.organisation_id AND o.kind = 'provider'
            JOIN idn_user_roles r ON r.user_id = u.id
            WHERE u.is_active = @active AND {database.Dialect.In("r.role", "roles")}
            ORDER BY u.display_name
            """, new { roles = roles.ToArray(), active = true }, cancellationToken: ct));
        return rows.Select(r => new UserSummary(r.Id, r.DisplayName, r.Email, r.OrganisationId)).ToList();
    }

    public async Task<IReadOnlyList<OrganisationSummary>> OrganisationsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<OrganisationView>(new CommandDefinition(
            "SELECT id, name, kind FROM idn_organisations ORDER BY kind DESC, name", cancellationToken: ct));
        return rows.Select(r => new OrganisationSummary(r.Id, r.Name, OrganisationKinds.Parse(r.Kind)!.Value)).ToList();
    }

    public async Task<IReadOnlyList<GroupSummary>> ProviderGroupsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<GroupView>(new CommandDefinition(
            """
            SELECT g.id, g.name, g.organisation_id, g.lead_id FROM idn_groups g
            JOIN idn_organisations o ON o.id = g.organisation_id AND o.kind = 'provider'
            ORDER BY g.name
            """, cancellationToken: ct));
        return rows.Select(r => new GroupSummary(r.Id, r.Name, r.OrganisationId, r.LeadId)).ToList();
    }

    private sealed class UserRow
    {
        public Guid Id { get; init; }
        public string DisplayName { get; init; } = "";
        public string Email { get; init; } = "";
        public Guid OrganisationId { get; init; }
        public bool IsActive { get; init; } = true;
        public string? Culture { get; init; }
    }
}
