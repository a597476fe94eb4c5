using Certus.Data;
using Certus.Kernel;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Identity.Features;

/// <summary>Reads users the caller may see.</summary>
public sealed class GetUser(Database database, ICurrentUser caller)
{
    public async Task<UserView?> HandleAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await UserRules.LoadAsync(connection, null,
            $"u.id = @id AND {OrganisationScope.Filter(caller, "u.organisation_id")}",
            new { id, scopeOrg = OrganisationScope.Parameter(caller) });
    }

    public async Task<Page<UserView>> ListAsync(Guid? organisationId, string? role, string? q, PageRequest page, CancellationToken ct = default)
    {
        var where = new List<string> { OrganisationScope.Filter(caller, "u.organisation_id") };
        if (organisationId is not null)
        {
            where.Add("u.organisation_id = @organisationId");
        }
        if (!string.IsNullOrWhiteSpace(role))
        {
            where.Add("EXISTS (SELECT 1 FROM idn_user_roles r WHERE r.user_id = u.id AND r.role = @role)");
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            where.Add($"(u.normalized_email LIKE @qUpper OR u.display_name {database.Dialect.ILike} @q)");
        }
        var filter = string.Join(" AND ", where);
        var args = new
        {
            organisationId,
            role,
            q = $"%{q?.Trim()}%",
            qUpper = $"%{q?.Trim().ToUpperInvariant()}%",
            scopeOrg = OrganisationScope.Parameter(caller),
            limit = page.Size,
            offset = page.Offset,
        };
        await using var connection = await database.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM idn_users u WHERE {filter}", args, cancellationToken: ct));
        var items = (await connection.QueryAsync<UserView>(new CommandDefinition(
            $"{UserView.Select} WHERE {filter} ORDER BY o.kind DESC, o.name, u.display_name LIMIT @limit OFFSET @offset",
            args, cancellationToken: ct))).ToList();
        if (items.Count > 0)
        {
            var roles = await connection.QueryAsync<RoleRow>(new CommandDefinition(
                $"SELECT user_id, role FROM idn_user_roles WHERE {database.Dialect.In("user_id", "ids")} ORDER BY role",
                new { ids = items.Select(i => i.Id).ToArray() }, cancellationToken: ct));
            var groups = await connection.QueryAsync<GroupRow>(new CommandDefinition(
                $"SELECT user_id, group_id FROM idn_group_members WHERE {database.Dialect.In("user_id", "ids")}",
                new { ids = items.Select(i => i.Id).ToArray() }, cancellationToken: ct));
            var byUser = roles.ToLookup(r => r.UserId, r => r.Role);
            var groupsByUser = groups.ToLookup(g => g.UserId, g => g.GroupId);
            foreach (var item in items)
            {
                item.Roles = byUser[item.Id].ToList();
                item.GroupIds = groupsByUser[item.Id].ToList();
            }
        }
        return new Page<UserView>(items, total, page.Number, page.Size);
    }

    private sealed class GroupRow
    {
        public Guid UserId { get; init; }
        public Guid GroupId { get; init; }
    }

    private sealed class RoleRow
    {
        public Guid UserId { get; init; }
        public string Role { get; init; } = "";
    }
}
