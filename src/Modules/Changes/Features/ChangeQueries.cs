using System.Data.Common;
using System.Text.Json;
using Certus.Changes.Domain;
using Certus.Data;
using Certus.Identity.Contracts;
using Certus.Kernel;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Changes.Features;

/// <summary>Reads changes: one whole, or a page of a list, always within what the caller may see.</summary>
public sealed class ChangeQueries(Database database, ICurrentUser caller, IDirectory directory)
{
    public sealed record ListQuery(string? State = null, string? Type = null, string? Q = null, string? Ci = null, int Page = 1, int PageSize = 50);

    internal const string Columns = """
        c.id, c.number AS number_value, c.organisation_id, c.type, c.state, c.authorised_at, c.title, c.reason, c.description, c.origin,
        c.template_id, c.source_kind, c.source_ref, c.requested_by, c.requested_by_name, c.owner_id, c.risk_score, c.risk_level,
        c.implementation_plan, c.backout_plan, c.test_plan, c.customer_impact, c.cost_estimate, c.cost_currency, c.supplier_contract,
        c.sla_impact, c.cmdb_applied_at, c.planned_start, c.planned_end, c.schedule_override, c.actual_start, c.actual_end,
        c.approval_round, c.board_id, c.outcome_reason, c.closed_at, c.created_at, c.updated_at, c.version
        """;

    /// <summary>The change by id or by number (<c>CHG-000001</c>), when the caller may see it.</summary>
    public async Task<ChangeView?> GetAsync(string reference, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        if (await ResolveAsync(connection, null, reference, ct) is not { } id)
        {
            return null;
        }
        var change = await LoadAsync(connection, null, id, ct);
        if (change is null || !caller.CanSee(change.OrganisationId))
        {
            return null;
        }
        await NameAsync(change, ct);
        return change;
    }

    public async Task<bool> IsVisibleAsync(string reference, CancellationToken ct = default) => await GetIdAsync(reference, ct) is not null;

    /// <summary>The id of a change the caller may see, by id or number.</summary>
    public async Task<Guid?> GetIdAsync(string reference, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        if (await ResolveAsync(connection, null, reference, ct) is not { } id)
        {
            return null;
        }
        var organisation = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT organisation_id FROM chg_changes WHERE id = @id", new { id }, cancellationToken: ct));
        return organisation is { } o && caller.CanSee(o) ? id : null;
    }

    internal static async Task<Guid?> ResolveAsync(DbConnection connection, DbTransaction? tx, string reference, CancellationToken ct)
    {
        if (Guid.TryParse(reference, out var id))
        {
            return id;
        }
        return ChangeNumber.Parse(reference) is { } number
            ? await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
                "SELECT id FROM chg_changes WHERE number = @number", new { number = number.Value }, tx, cancellationToken: ct))
            : null;
    }

    public async Task<Page<ChangeRow>> ListAsync(ListQuery query, CancellationToken ct = default)
    {
        var page = PageRequest.From(query.Page, query.PageSize);
        var where = new List<string>();
        var args = new DynamicParameters();
        if (caller.VisibleOrganisationId is { } own)
        {
            where.Add("c.organisation_id = @own");
            args.Add("own", own);
        }
        if (!string.IsNullOrWhiteSpace(query.State))
        {
            var states = query.State.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            where.Add(database.Dialect.In("c.state", "states"));
            args.Add("states", states);
        }
        if (ChangeNames.ParseType(query.Type) is { } type)
        {
            where.Add("c.type = @type");
            args.Add("type", type.Key());
        }
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var q = query.Q.Trim();
            if (ChangeNumber.Parse(q) is { } n)
            {
                where.Add("c.number = @number");
                args.Add("number", n.Value);
            }
            else
            {
                where.Add($"c.title {database.Dialect.ILike} @q");
                args.Add("q", "%" + q.Replace("%", "", StringComparison.Ordinal) + "%");
            }
        }
        if (!string.IsNullOrWhiteSpace(query.Ci))
        {
            where.Add("EXISTS (SELECT 1 FROM chg_change_cis x WHERE x.change_id = c.id AND (x.identifier = @ci OR x.name = @ci))");
            args.Add("ci", query.Ci.Trim());
        }
        var filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        args.Add("limit", page.Size);
        args.Add("offset", page.Offset);
        await using var connection = await database.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM chg_changes c {filter}", args, cancellationToken: ct));
        var rows = await connection.QueryAsync<ChangeRow>(new CommandDefinition(
            $"""
            SELECT c.id, c.number AS number_value, c.type, c.state, c.title, c.organisation_id, c.risk_level, c.planned_start, c.planned_end,
                   c.requested_by_name, c.updated_at
            FROM chg_changes c {filter}
            ORDER BY c.number DESC {SqlDialect.Paging("@limit", "@offset")}
            """, args, cancellationToken: ct));
        return new Page<ChangeRow>(rows.ToList(), total, page.Number, page.Size);
    }

    /// <summary>The changes raised from a record of another process (an incident's <c>INC-000042</c>), newest first, that the caller may see.</summary>
    public async Task<IReadOnlyList<ChangeRow>> RaisedFromAsync(string sourceKind, string sourceRef, CancellationToken ct = default)
    {
        var args = new DynamicParameters(new { kind = sourceKind, reference = sourceRef.Trim().ToUpperInvariant() });
        var own = "";
        if (caller.VisibleOrganisationId is { } organisation)
        {
            own = " AND c.organisation_id = @own";
            args.Add("own", organisation);
        }
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<ChangeRow>(new CommandDefinition(
            $"""
            SELECT c.id, c.number AS number_value, c.type, c.state, c.title, c.organisation_id, c.risk_level, c.planned_start, c.planned_end,
                   c.requested_by_name, c.updated_at
            FROM chg_changes c WHERE c.source_kind = @kind AND c.source_ref = @reference{own}
            ORDER BY c.number DESC
            """, args, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>
    /// The changes carried out on a CI since <paramref name="since"/>, or still being carried out, latest first: what the
    /// service desk looks at first when the CI fails (a change is the likeliest cause of an incident).
    /// </summary>
    public async Task<IReadOnlyList<ChangeRow>> CarriedOutOnAsync(Guid ciId, DateTimeOffset since, int limit, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<ChangeRow>(new CommandDefinition(
            $"""
            SELECT c.id, c.number AS number_value, c.type, c.state, c.title, c.organisation_id, c.risk_level, c.planned_start, c.planned_end,
                   c.requested_by_name, c.updated_at, c.actual_start
            FROM chg_changes c
            WHERE c.actual_start IS NOT NULL AND (c.actual_start >= @since OR c.state = 'implementing')
              AND EXISTS (SELECT 1 FROM chg_change_cis x WHERE x.change_id = c.id AND x.ci_id = @ci)
              AND {OrganisationScope.Filter(caller, "c.organisation_id")}
            ORDER BY c.actual_start DESC LIMIT @limit
            """, new { ci = ciId, since, limit, scopeOrg = OrganisationScope.Parameter(caller) }, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>The whole change as stored, without visibility checks (callers check).</summary>
    internal static async Task<ChangeView?> LoadAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct)
    {
        var view = await connection.QuerySingleOrDefaultAsync<ChangeView>(new CommandDefinition(
            $"""
            SELECT {Columns}, c.risk_answers AS risk_answers_json, c.impact AS impact_json, c.cmdb_updates AS cmdb_updates_json,
                   c.review_result, c.review_incidents, c.review_lessons, c.reviewed_at, c.reviewed_by
            FROM chg_changes c WHERE c.id = @id
            """, new { id }, tx, cancellationToken: ct));
        if (view is null)
        {
            return null;
        }
        view.Review = view.ReviewResult is null ? null : new ReviewView(view.ReviewResult,
            JsonSerializer.Deserialize<List<string>>(view.ReviewIncidents ?? "[]", ChangeView.Json) ?? [], view.ReviewLessons ?? "", view.ReviewedAt!.Value, view.ReviewedBy);
        var cis = (await connection.QueryAsync<CiRow>(new CommandDefinition(
            "SELECT ci_id, role, identifier, name FROM chg_change_cis WHERE change_id = @id ORDER BY identifier", new { id }, tx, cancellationToken: ct))).ToList();
        view.Cis = cis.Where(c => c.Role == "declared").Select(c => new ChangeCi(c.CiId, c.Identifier ?? "", c.Name ?? "")).ToList();
        view.TouchedCiIds = cis.Where(c => c.Role == "touched").Select(c => c.CiId).ToList();
        view.Services = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT service_code FROM chg_change_services WHERE change_id = @id ORDER BY service_code", new { id }, tx, cancellationToken: ct))).ToList();
        view.Approvals = (await connection.QueryAsync<ApprovalRow>(new CommandDefinition(
            """
            SELECT round, approver_id, approver_name, decision, reason, via, decided_at FROM chg_approvals
            WHERE change_id = @id ORDER BY round DESC, approver_name
            """, new { id }, tx, cancellationToken: ct)))
            .Select(a => new ApprovalView(a.Round, a.ApproverId, a.ApproverName, a.Decision, a.Reason, a.Via, a.DecidedAt)).ToList();
        if (view.BoardId is { } board)
        {
            var b = await connection.QuerySingleOrDefaultAsync<BoardRow>(new CommandDefinition(
                "SELECT name_en, name_zh, approval_mode, quorum FROM chg_boards WHERE id = @board", new { board }, tx, cancellationToken: ct));
            if (b is not null)
            {
                view.BoardName = Localised.Pick(b.NameEn, b.NameZh);
                view.ApprovalRule = b.ApprovalMode == "quorum" ? $"quorum {b.Quorum}" : b.ApprovalMode;
            }
        }
        if (view.TemplateId is { } template)
        {
            view.TemplateName = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT name FROM chg_templates WHERE id = @template", new { template }, tx, cancellationToken: ct));
        }
        return view;
    }

    private async Task NameAsync(ChangeView change, CancellationToken ct)
    {
        change.OrganisationName = (await directory.FindOrganisationAsync(change.OrganisationId, ct))?.Name;
        if (change.OwnerId is { } owner)
        {
            change.OwnerName = (await directory.FindUserAsync(owner, ct))?.DisplayName;
        }
    }

    private sealed class CiRow
    {
        public Guid CiId { get; init; }
        public string Role { get; init; } = "";
        public string? Identifier { get; init; }
        public string? Name { get; init; }
    }

    private sealed class ApprovalRow
    {
        public int Round { get; init; }
        public Guid ApproverId { get; init; }
        public string ApproverName { get; init; } = "";
        public string Decision { get; init; } = "";
        public string? Reason { get; init; }
        public string? Via { get; init; }
        public DateTimeOffset? DecidedAt { get; init; }
    }

    private sealed class BoardRow
    {
        public string NameEn { get; init; } = "";
        public string NameZh { get; init; } = "";
        public string ApprovalMode { get; init; } = "";
        public int Quorum { get; init; }
    }
}

/// <summary>Picks the English or Chinese text for the current UI culture.</summary>
internal static class Localised
{
    public static bool IsChinese => System.Globalization.CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    public static string Pick(string en, string zh) => IsChinese && zh.Length > 0 ? zh : en;
}
