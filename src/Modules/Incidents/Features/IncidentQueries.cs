using System.Data.Common;
using Certus.Data;
using Certus.Identity.Contracts;
using Certus.Incidents.Contracts;
using Certus.Incidents.Data;
using Certus.Incidents.Domain;
using Certus.Kernel;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Incidents.Features;

/// <summary>Reads incidents the caller may see: queues, search, one incident with its comments and links.</summary>
public sealed class IncidentQueries(Database database, ICurrentUser caller, IDirectory directory, IEnumerable<IIncidentSla> slas, TimeProvider clock)
{
    /// <summary>The ready-made queues of the service desk.</summary>
    public static readonly IReadOnlyList<string> Queues = ["mine", "my-groups", "unassigned", "breaching-soon", "major", "open", "all"];

    /// <summary>Counting stops here; beyond it the list says "10,000+".</summary>
    public const int CountCap = 10_000;

    public sealed record Filter(
        string? Queue = null,
        string? Status = null,
        int? Priority = null,
        Guid? Assignee = null,
        Guid? Group = null,
        Guid? Organisation = null,
        string? Q = null,
        string? Sort = null);

    public async Task<IncidentView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var incident = await connection.QuerySingleOrDefaultAsync<IncidentView>(new CommandDefinition(
            $"SELECT {IncidentView.Columns} FROM inc_incidents i WHERE i.id = @id AND {OrganisationScope.Filter(caller, "i.organisation_id")}",
            new { id, scopeOrg = OrganisationScope.Parameter(caller) }, cancellationToken: ct));
        if (incident is not null)
        {
            await NameAsync([incident], ct);
        }
        return incident;
    }

    public async Task<IncidentView?> GetByNumberAsync(long number, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var id = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM inc_incidents WHERE number = @number", new { number }, cancellationToken: ct));
        return id is null ? null : await GetAsync(id.Value, ct);
    }

    public async Task<Page<IncidentView>> ListAsync(Filter filter, PageRequest page, CancellationToken ct = default)
    {
        var (condition, args) = await ConditionAsync(filter, ct);
        // Numbers are handed out in logging order, so the newest incident has the highest number (and an index).
        var sort = filter.Sort ?? (string.IsNullOrWhiteSpace(filter.Q) ? "priority" : "newest");
        var order = sort switch
        {
            "newest" or "number" => "i.number DESC",
            "oldest" => "i.number",
            "updated" => "i.updated_at DESC",
            // The desk's default: most urgent first, and within a priority the longest waiting.
            _ => "i.priority, i.created_at",
        };
        args.Add("limit", page.Size);
        args.Add("offset", page.Offset);
        await using var connection = await database.OpenAsync(ct);
        var total = await CountAsync(connection, condition, args, ct);
        var items = (await connection.QueryAsync<IncidentView>(new CommandDefinition(
            $"SELECT {IncidentView.Columns} FROM inc_incidents i WHERE {condition} ORDER BY {order} LIMIT @limit OFFSET @offset",
            args, cancellationToken: ct))).ToList();
        await NameAsync(items, ct);
        return new Page<IncidentView>(items, Math.Min(total, CountCap), page.Number, page.Size, total > CountCap);
    }

    /// <summary>Whether the caller may see the incident: one indexed lookup, for use cases that need no more.</summary>
    public async Task<bool> IsVisibleAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM inc_incidents i WHERE i.id = @id AND {OrganisationScope.Filter(caller, "i.organisation_id")}",
            new { id, scopeOrg = OrganisationScope.Parameter(caller) }, cancellationToken: ct)) > 0;
    }

    /// <summary>The WHERE condition and its parameters for a filter, shared by the list and the counts.</summary>
    private async Task<(string Condition, DynamicParameters Args)> ConditionAsync(Filter filter, CancellationToken ct)
    {
        var where = new List<string> { OrganisationScope.Filter(caller, "i.organisation_id") };
        var args = new DynamicParameters();
        args.Add(OrganisationScope.ParameterName, OrganisationScope.Parameter(caller));
        args.Add("open", true);
        switch (filter.Queue)
        {
            case "mine":
                where.Add($"i.assignee_id = @me AND i.is_open = @open");
                args.Add("me", caller.UserId);
                break;
            case "my-groups":
                var groups = await directory.GroupsOfAsync(caller.UserId, ct);
                where.Add(groups.Count == 0 ? "1 = 0" : $"{database.Dialect.In("i.assignment_group_id", "myGroups")} AND i.is_open = @open");
                args.Add("myGroups", groups.ToArray());
                break;
            case "unassigned":
                where.Add($"i.assignee_id IS NULL AND i.is_open = @open");
                break;
            case "major":
                where.Add($"i.is_major = @major AND i.is_open = @open");
                args.Add("major", true);
                break;
            case "open":
                where.Add("i.is_open = @open");
                break;
            case "breaching-soon":
                // Past the warning threshold of a running SLA clock; without service level management, nothing is.
                if (slas.FirstOrDefault() is { } sla)
                {
                    where.Add($"i.is_open = @open AND i.id IN ({sla.AtRiskIncidentsSql})");
                    args.Add("slaNow", clock.GetUtcNow());
                }
                else
                {
                    where.Add("1 = 0");
                }
                break;
            default:
                break;
        }
        if (IncidentNames.ParseStatus(filter.Status) is { } status)
        {
            where.Add("i.status = @status");
            args.Add("status", status.Key());
        }
        if (filter.Priority is { } priority)
        {
            where.Add("i.priority = @priority");
            args.Add("priority", priority);
        }
        if (filter.Assignee is { } assignee)
        {
            where.Add("i.assignee_id = @assignee");
            args.Add("assignee", assignee);
        }
        if (filter.Group is { } group)
        {
            where.Add("i.assignment_group_id = @group");
            args.Add("group", group);
        }
        if (filter.Organisation is { } organisation)
        {
            where.Add("i.organisation_id = @organisation");
            args.Add("organisation", organisation);
        }
        if (!string.IsNullOrWhiteSpace(filter.Q))
        {
            if (IncidentNumber.Parse(filter.Q) is { } number && filter.Q.Trim().StartsWith(IncidentNumber.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                where.Add("i.number = @number");
                args.Add("number", number.Value);
            }
            else
            {
                var (sql, parameter) = IncidentSearch.Condition(database.Dialect, filter.Q);
                where.Add(sql);
                args.Add("search", parameter);
            }
        }
        return (string.Join(" AND ", where), args);
    }

    private static async Task<long> CountAsync(System.Data.Common.DbConnection connection, string condition, DynamicParameters args, CancellationToken ct)
    {
        args.Add("cap", CountCap + 1);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM (SELECT 1 FROM inc_incidents i WHERE {condition} LIMIT @cap) c", args, cancellationToken: ct));
    }

    /// <summary>Open-incident counts per queue, for the home page.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(CancellationToken ct = default)
    {
        // Counts only: no page of rows and no name lookups, on one connection.
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(ct);
        foreach (var queue in new[] { "mine", "my-groups", "unassigned", "breaching-soon", "major", "open" })
        {
            var (condition, args) = await ConditionAsync(new Filter(queue), ct);
            counts[queue] = Math.Min(await CountAsync(connection, condition, args, ct), CountCap);
        }
        return counts;
    }

    public async Task<IReadOnlyList<CommentView>> CommentsAsync(Guid incidentId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var publicOnly = caller.IsProviderStaff ? "" : "AND c.is_public = @yes";
        var rows = await connection.QueryAsync<CommentView>(new CommandDefinition(
            $"""
            SELECT c.* FROM inc_comments c JOIN inc_incidents i ON i.id = c.incident_id
            WHERE c.incident_id = @incidentId {publicOnly} AND {OrganisationScope.Filter(caller, "i.organisation_id")}
            ORDER BY c.created_at
            """,
            new { incidentId, yes = true, scopeOrg = OrganisationScope.Parameter(caller) }, cancellationToken: ct));
        return rows.ToList();
    }

    public async Task<IReadOnlyList<LinkView>> LinksAsync(Guid incidentId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        if (!await IsVisibleAsync(incidentId, ct))
        {
            return [];
        }
        var scope = OrganisationScope.Filter(caller, "r.organisation_id");
        var rows = await connection.QueryAsync<LinkView>(new CommandDefinition(
            $"""
            SELECT l.related_id, r.number AS related_number, r.title AS related_title, r.status AS related_status, l.kind
            FROM inc_links l JOIN inc_incidents r ON r.id = l.related_id
            WHERE l.incident_id = @incidentId AND {scope}
            UNION ALL
            SELECT l.incident_id, r.number, r.title, r.status,
                   CASE l.kind WHEN 'duplicate-of' THEN 'duplicated-by' WHEN 'caused-by' THEN 'causes' ELSE l.kind END
            FROM inc_links l JOIN inc_incidents r ON r.id = l.incident_id
            WHERE l.related_id = @incidentId AND {scope}
            UNION ALL
            SELECT r.id, r.number, r.title, r.status, 'child'
            FROM inc_incidents r WHERE r.parent_id = @incidentId AND {scope}
            UNION ALL
            SELECT r.id, r.number, r.title, r.status, 'parent'
            FROM inc_incidents c JOIN inc_incidents r ON r.id = c.parent_id WHERE c.id = @incidentId AND {scope}
            """, new { incidentId, scopeOrg = OrganisationScope.Parameter(caller) }, cancellationToken: ct));
        return rows.ToList();
    }

    internal static Task<IncidentView?> LoadAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<IncidentView>(new CommandDefinition(
            $"SELECT {IncidentView.Columns} FROM inc_incidents i WHERE i.id = @id", new { id }, tx, cancellationToken: ct));

    private async Task NameAsync(List<IncidentView> incidents, CancellationToken ct)
    {
        if (incidents.Count == 0)
        {
            return;
        }
        var users = await directory.FindUsersAsync(incidents.Where(i => i.AssigneeId is not null).Select(i => i.AssigneeId!.Value), ct);
        var groups = await directory.FindGroupsAsync(incidents.Where(i => i.AssignmentGroupId is not null).Select(i => i.AssignmentGroupId!.Value), ct);
        var organisations = await directory.FindOrganisationsAsync(incidents.Select(i => i.OrganisationId), ct);
        foreach (var incident in incidents)
        {
            incident.AssigneeName = incident.AssigneeId is { } a ? users.GetValueOrDefault(a)?.DisplayName : null;
            incident.AssignmentGroupName = incident.AssignmentGroupId is { } g ? groups.GetValueOrDefault(g)?.Name : null;
            incident.OrganisationName = organisations.GetValueOrDefault(incident.OrganisationId)?.Name;
        }
    }
}
