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

    /// <summary>The whole change as stored, without visibility checks (callers check).</summary>
    internal static async Task<ChangeView?> LoadAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<StoredChange>(new CommandDefinition(
            $"SELECT {Columns}, c.risk_answers AS risk_answers_json, c.impact AS impact_json, c.cmdb_updates AS cmdb_updates_json, c.review_result, c.review_incidents, c.review_lessons, c.reviewed_at, c.reviewed_by FROM chg_changes c WHERE c.id = @id",
            new { id }, tx, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        var view = row.View;
        view.RiskAnswers = JsonSerializer.Deserialize<Dictionary<string, string>>(row.RiskAnswersJson, ChangeView.Json) ?? [];
        view.Impact = row.ImpactJson is null ? null : JsonSerializer.Deserialize<ImpactSnapshot>(row.ImpactJson, ChangeView.Json);
        view.CmdbUpdates = JsonSerializer.Deserialize<List<DeclaredUpdate>>(row.CmdbUpdatesJson, ChangeView.Json) ?? [];
        view.Review = row.ReviewResult is null ? null : new ReviewView(row.ReviewResult,
            JsonSerializer.Deserialize<List<string>>(row.ReviewIncidents ?? "[]", ChangeView.Json) ?? [], row.ReviewLessons ?? "", row.ReviewedAt!.Value, row.ReviewedBy);
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

    private sealed class StoredChange
    {
        public Guid Id { get; init; }
        public long NumberValue { get; init; }
        public Guid OrganisationId { get; init; }
        public string Type { get; init; } = "";
        public string State { get; init; } = "";
        public DateTimeOffset? AuthorisedAt { get; init; }
        public string Title { get; init; } = "";
        public string Reason { get; init; } = "";
        public string Description { get; init; } = "";
        public string Origin { get; init; } = "";
        public Guid? TemplateId { get; init; }
        public string? SourceKind { get; init; }
        public string? SourceRef { get; init; }
        public Guid? RequestedBy { get; init; }
        public string RequestedByName { get; init; } = "";
        public Guid? OwnerId { get; init; }
        public int? RiskScore { get; init; }
        public string? RiskLevel { get; init; }
        public string ImplementationPlan { get; init; } = "";
        public string BackoutPlan { get; init; } = "";
        public string TestPlan { get; init; } = "";
        public string CustomerImpact { get; init; } = "";
        public decimal? CostEstimate { get; init; }
        public string? CostCurrency { get; init; }
        public string? SupplierContract { get; init; }
        public string? SlaImpact { get; init; }
        public DateTimeOffset? CmdbAppliedAt { get; init; }
        public DateTimeOffset? PlannedStart { get; init; }
        public DateTimeOffset? PlannedEnd { get; init; }
        public string? ScheduleOverride { get; init; }
        public DateTimeOffset? ActualStart { get; init; }
        public DateTimeOffset? ActualEnd { get; init; }
        public int ApprovalRound { get; init; }
        public Guid? BoardId { get; init; }
        public string? OutcomeReason { get; init; }
        public DateTimeOffset? ClosedAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public int Version { get; init; }
        public string RiskAnswersJson { get; init; } = "{}";
        public string? ImpactJson { get; init; }
        public string CmdbUpdatesJson { get; init; } = "[]";
        public string? ReviewResult { get; init; }
        public string? ReviewIncidents { get; init; }
        public string? ReviewLessons { get; init; }
        public DateTimeOffset? ReviewedAt { get; init; }
        public Guid? ReviewedBy { get; init; }

        public ChangeView View => new()
        {
            Id = Id, NumberValue = NumberValue, OrganisationId = OrganisationId, Type = Type, State = State, AuthorisedAt = AuthorisedAt,
            Title = Title, Reason = Reason, Description = Description, Origin = Origin, TemplateId = TemplateId, SourceKind = SourceKind,
            SourceRef = SourceRef, RequestedBy = RequestedBy, RequestedByName = RequestedByName, OwnerId = OwnerId, RiskScore = RiskScore,
            RiskLevel = RiskLevel, ImplementationPlan = ImplementationPlan, BackoutPlan = BackoutPlan, TestPlan = TestPlan,
            CustomerImpact = CustomerImpact, CostEstimate = CostEstimate, CostCurrency = CostCurrency, SupplierContract = SupplierContract,
            SlaImpact = SlaImpact, CmdbAppliedAt = CmdbAppliedAt, PlannedStart = PlannedStart, PlannedEnd = PlannedEnd,
            ScheduleOverride = ScheduleOverride, ActualStart = ActualStart, ActualEnd = ActualEnd, ApprovalRound = ApprovalRound,
            BoardId = BoardId, OutcomeReason = OutcomeReason, ClosedAt = ClosedAt, CreatedAt = CreatedAt, UpdatedAt = UpdatedAt, Version = Version,
        };
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
