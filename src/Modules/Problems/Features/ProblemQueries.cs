using System.Data.Common;
using Certus.Changes.Contracts;
using Certus.Data;
using Certus.Identity.Contracts;
using Certus.Incidents.Contracts;
using Certus.Kernel;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Certus.Problems.Domain;
using Dapper;

namespace Certus.Problems.Features;

/// <summary>
/// Reads problems: one whole, a page of a list, those linked to an incident. Problems are the provider's: only its
/// staff read them, customers never do.
/// </summary>
public sealed class ProblemQueries(
    Database database, ICurrentUser caller, IDirectory directory, IIncidentRecords incidents, IChangeRecords changes, IEnumerable<IServiceLookup> services)
{
    public sealed record ListQuery(
        string? State = null, string? Service = null, int? Priority = null, bool KnownErrors = false, bool Mine = false, string? Q = null, int Page = 1,
        int PageSize = 50);

    internal const string Columns = """
        p.id, p.number AS number_value, p.organisation_id, p.state, p.title, p.description, p.symptoms, p.service_code, p.category, p.priority,
        p.owner_id, p.assignment_group_id, p.source_kind, p.source_ref, p.root_cause, p.workaround, p.resolution, p.closure_note, p.cancel_reason,
        p.known_error_at, p.fixed_by_change, p.fixed_at, p.resolved_at, p.closed_at, p.reopened, p.created_at, p.created_by, p.created_by_name,
        p.updated_at, p.version
        """;

    /// <summary>Problems are the provider's own work.</summary>
    public bool MayRead => caller.IsProviderStaff;

    /// <summary>The problem by id or number (<c>PRB-000001</c>), with its incidents and changes as they stand now.</summary>
    public async Task<ProblemView?> GetAsync(string reference, CancellationToken ct = default)
    {
        if (!MayRead)
        {
            return null;
        }
        ProblemView? problem;
        await using (var connection = await database.OpenAsync(ct))
        {
            if (await ResolveAsync(connection, null, reference, ct) is not { } id)
            {
                return null;
            }
            problem = await LoadAsync(connection, null, id, ct);
        }
        if (problem is null)
        {
            return null;
        }
        await DescribeAsync(problem, ct);
        return problem;
    }

    public async Task<bool> IsVisibleAsync(Guid id, CancellationToken ct = default)
    {
        if (!MayRead)
        {
            return false;
        }
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM prb_problems WHERE id = @id", new { id }, cancellationToken: ct)) > 0;
    }

    internal static async Task<Guid?> ResolveAsync(DbConnection connection, DbTransaction? tx, string reference, CancellationToken ct)
    {
        if (Guid.TryParse(reference, out var id))
        {
            return id;
        }
        return ProblemNumber.Parse(reference) is { } number
            ? await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
                "SELECT id FROM prb_problems WHERE number = @number", new { number = number.Value }, tx, cancellationToken: ct))
            : null;
    }

    public async Task<Page<ProblemRow>> ListAsync(ListQuery query, CancellationToken ct = default)
    {
        var page = PageRequest.From(query.Page, query.PageSize);
        if (!MayRead)
        {
            return new Page<ProblemRow>([], 0, page.Number, page.Size);
        }
        var where = new List<string>();
        var args = new DynamicParameters();
        if (!string.IsNullOrWhiteSpace(query.State))
        {
            var states = query.State.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => s.ToLowerInvariant()).ToArray();
            // "open" stands for every state in which the problem is still being worked.
            if (states.Contains("open", StringComparer.Ordinal))
            {
                states = [.. states.Where(s => s != "open"), .. ProblemLifecycle.OpenKeys];
            }
            where.Add(database.Dialect.In("p.state", "states"));
            args.Add("states", states);
        }
        if (!string.IsNullOrWhiteSpace(query.Service))
        {
            where.Add("upper(p.service_code) = @service");
            args.Add("service", query.Service.Trim().ToUpperInvariant());
        }
        if (query.Priority is { } priority)
        {
            where.Add("p.priority = @priority");
            args.Add("priority", priority);
        }
        if (query.KnownErrors)
        {
            where.Add("p.known_error_at IS NOT NULL");
        }
        if (query.Mine)
        {
            where.Add("p.owner_id = @me");
            args.Add("me", caller.UserId);
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var q = query.Q.Trim();
            if (ProblemNumber.Parse(q) is { } n)
            {
                where.Add("p.number = @number");
                args.Add("number", n.Value);
            }
            else
            {
                where.Add($"(p.title {database.Dialect.ILike} @q OR p.description {database.Dialect.ILike} @q)");
                args.Add("q", "%" + Like(q) + "%");
            }
        }
        var filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        args.Add("limit", page.Size);
        args.Add("offset", page.Offset);
        await using var connection = await database.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM prb_problems p {filter}", args, cancellationToken: ct));
        var rows = (await connection.QueryAsync<ProblemRow>(new CommandDefinition(
            $"""
            SELECT p.id, p.number AS number_value, p.state, p.title, p.service_code, p.category, p.priority, p.owner_id, p.source_kind, p.source_ref,
                   p.known_error_at, p.created_at, p.updated_at,
                   (SELECT count(*) FROM prb_problem_incidents x WHERE x.problem_id = p.id) AS incident_count
            FROM prb_problems p {filter}
            ORDER BY p.number DESC {SqlDialect.Paging("@limit", "@offset")}
            """, args, cancellationToken: ct))).ToList();
        var owners = await directory.FindUsersAsync(rows.Select(r => r.OwnerId).OfType<Guid>().Distinct(), ct);
        foreach (var row in rows.Where(r => r.OwnerId is not null))
        {
            row.OwnerName = owners.TryGetValue(row.OwnerId!.Value, out var owner) ? owner.DisplayName : null;
        }
        return new Page<ProblemRow>(rows, total, page.Number, page.Size);
    }

    /// <summary>The problems an incident is linked to, newest first.</summary>
    public async Task<IReadOnlyList<ProblemView>> LinkedToAsync(string incidentNumber, CancellationToken ct = default)
    {
        if (!MayRead || IncidentNumber.Parse(incidentNumber)?.Value is not { } number)
        {
            return [];
        }
        // The incident panel shows each problem's number, title, state and known error: one query, no per-problem loads.
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<ProblemView>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM prb_problems p JOIN prb_problem_incidents x ON x.problem_id = p.id
            WHERE x.incident_number = @number ORDER BY p.number DESC
            """, new { number }, cancellationToken: ct))];
    }

    /// <summary>
    /// The problems that the given changes fix (each linked to the problem, raised from it or linked later), by number,
    /// with the numbers of the changes that fix each: what a release carrying those changes closes (manual §9.1.2).
    /// </summary>
    public async Task<IReadOnlyList<ProblemFix>> FixedByAsync(IReadOnlyCollection<Guid> changeIds, CancellationToken ct = default)
    {
        if (!MayRead || changeIds.Count == 0)
        {
            return [];
        }
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<ProblemView, string, (ProblemView Problem, string Change)>(new CommandDefinition(
            $"""
            SELECT {Columns}, x.change_number FROM prb_problems p JOIN prb_problem_changes x ON x.problem_id = p.id
            WHERE {database.Dialect.In("x.change_id", "ids")} ORDER BY p.number, x.change_number
            """, new { ids = changeIds.ToArray() }, cancellationToken: ct), (problem, change) => (problem, change), splitOn: "change_number");
        return [.. rows.GroupBy(r => r.Problem.Id).Select(g => new ProblemFix(g.First().Problem, [.. g.Select(r => r.Change)]))];
    }

    /// <summary>
    /// Known errors whose cause is still there that match a CI (identifier or name) or a service, as an incident records
    /// them: the workarounds the service desk needs at hand (manual §7.2.2).
    /// </summary>
    public Task<IReadOnlyList<KnownErrorView>> MatchingKnownErrorsAsync(string? ciRef, string? serviceRef, CancellationToken ct = default) =>
        MatchingAsync(ciRef, serviceRef, true, ct);

    /// <summary>Open problems, known errors or not, that name a CI (identifier or name) or a service.</summary>
    public Task<IReadOnlyList<KnownErrorView>> MatchingOpenAsync(string? ciRef, string? serviceRef, CancellationToken ct = default) =>
        MatchingAsync(ciRef, serviceRef, false, ct);

    private async Task<IReadOnlyList<KnownErrorView>> MatchingAsync(string? ciRef, string? serviceRef, bool knownErrorsOnly, CancellationToken ct)
    {
        var ci = string.IsNullOrWhiteSpace(ciRef) ? null : ciRef.Trim().ToUpperInvariant();
        var service = string.IsNullOrWhiteSpace(serviceRef) ? null : serviceRef.Trim().ToUpperInvariant();
        if (!MayRead || (ci is null && service is null))
        {
            return [];
        }
        var conditions = new List<string>();
        if (ci is not null)
        {
            conditions.Add("EXISTS (SELECT 1 FROM prb_problem_cis c WHERE c.problem_id = p.id AND (upper(c.identifier) = @ci OR upper(c.name) = @ci))");
        }
        if (service is not null)
        {
            conditions.Add("upper(p.service_code) = @service");
        }
        var known = knownErrorsOnly ? "p.known_error_at IS NOT NULL AND " : "";
        await using var connection = await database.OpenAsync(ct);
        return await KnownErrors.LoadAsync(connection, database.Dialect,
            $"{known}{database.Dialect.In("p.state", "open")} AND ({string.Join(" OR ", conditions)})",
            new { ci, service, open = ProblemLifecycle.OpenKeys.ToArray() }, 20, ct);
    }

    /// <summary>The whole problem as stored, without names or live facts (callers check visibility).</summary>
    internal static async Task<ProblemView?> LoadAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct)
    {
        var view = await connection.QuerySingleOrDefaultAsync<ProblemView>(new CommandDefinition(
            $"SELECT {Columns} FROM prb_problems p WHERE p.id = @id", new { id }, tx, cancellationToken: ct));
        if (view is null)
        {
            return null;
        }
        view.Cis = [.. (await connection.QueryAsync<CiRow>(new CommandDefinition(
                "SELECT ci_id, identifier, name FROM prb_problem_cis WHERE problem_id = @id ORDER BY identifier", new { id }, tx, cancellationToken: ct)))
            .Select(c => new ProblemCi(c.CiId, c.Identifier, c.Name))];
        view.Incidents = [.. (await connection.QueryAsync<IncidentRow>(new CommandDefinition(
                "SELECT incident_id, incident_number, linked_at, linked_by_name FROM prb_problem_incidents WHERE problem_id = @id ORDER BY incident_number",
                new { id }, tx, cancellationToken: ct)))
            .Select(i => new LinkedIncident(i.IncidentId, new IncidentNumber(i.IncidentNumber).ToString(), null, null, null, false,
                new IncidentNumber(i.IncidentNumber).Path, i.LinkedAt, i.LinkedByName))];
        view.Changes = [.. (await connection.QueryAsync<ChangeRow>(new CommandDefinition(
                "SELECT change_id, change_number, how, state, linked_at, linked_by_name FROM prb_problem_changes WHERE problem_id = @id ORDER BY change_number",
                new { id }, tx, cancellationToken: ct)))
            .Select(c => new LinkedChange(c.ChangeId, c.ChangeNumber, null, null, c.State, c.How, c.LinkedAt, c.LinkedByName))];
        return view;
    }

    /// <summary>Names, the service, and the incidents and changes as their own processes show them now.</summary>
    internal async Task DescribeAsync(ProblemView problem, CancellationToken ct)
    {
        if (problem.OwnerId is { } owner)
        {
            problem.OwnerName = (await directory.FindUserAsync(owner, ct))?.DisplayName;
        }
        if (problem.AssignmentGroupId is { } group)
        {
            problem.AssignmentGroupName = (await directory.FindGroupAsync(group, ct))?.Name;
        }
        if (problem.ServiceCode is { } code && services.FirstOrDefault() is { } lookup)
        {
            problem.ServiceName = await lookup.FindAsync([code], ct) is [var service, ..] ? service.Name : null;
        }
        if (problem.Incidents.Count > 0)
        {
            var found = await incidents.FindAsync([.. problem.Incidents.Select(i => i.Number)], ct);
            problem.Incidents = [.. problem.Incidents.Select(i => found.FirstOrDefault(f => f.Id == i.Id) is { } f
                ? i with { Title = f.Title, Status = f.Status, Priority = f.Priority, IsMajor = f.IsMajor }
                : i)];
        }
        if (problem.Changes.Count > 0)
        {
            var found = await changes.FindAsync([.. problem.Changes.Select(c => c.Number)], ct);
            problem.Changes = [.. problem.Changes.Select(c => found.FirstOrDefault(f => f.Id == c.Id) is { } f
                ? c with { Title = f.Title, Type = f.Type, State = f.State }
                : c)];
        }
    }

    /// <summary>Text for a LIKE pattern: a percent sign the user typed would match everything, so it is dropped.</summary>
    internal static string Like(string text) => text.Replace("%", "", StringComparison.Ordinal).Trim();

    private sealed class CiRow
    {
        public Guid CiId { get; init; }
        public string Identifier { get; init; } = "";
        public string Name { get; init; } = "";
    }

    private sealed class IncidentRow
    {
        public Guid IncidentId { get; init; }
        public long IncidentNumber { get; init; }
        public DateTimeOffset LinkedAt { get; init; }
        public string LinkedByName { get; init; } = "";
    }

    private sealed class ChangeRow
    {
        public Guid ChangeId { get; init; }
        public string ChangeNumber { get; init; } = "";
        public string How { get; init; } = "";
        public string State { get; init; } = "";
        public DateTimeOffset LinkedAt { get; init; }
        public string LinkedByName { get; init; } = "";
    }
}
