using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Certus.Compliance.Contracts;
using Certus.Compliance.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Certus.Kernel.Text;
using Dapper;

namespace Certus.Compliance.Features;

/// <summary>An action of a risk's treatment plan.</summary>
public sealed class RiskActionView
{
    public Guid Id { get; init; }
    public Guid RiskId { get; init; }
    public string Description { get; init; } = "";
    public Guid? OwnerId { get; init; }
    public string? OwnerName { get; set; }
    public string? DueOn { get; init; }
    public DateTimeOffset? DoneAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public bool Done => DoneAt is not null;

    internal const string Columns = "id, risk_id, description, owner_id, due_on, done_at, created_at";
}

/// <summary>A risk or opportunity of the register with its assessment, treatment, actions and the moves open to it.</summary>
public sealed class RiskView : IVersioned
{
    public Guid Id { get; init; }
    public int Number { get; init; }
    public string Reference => $"RSK-{Number.ToString("D4", CultureInfo.InvariantCulture)}";
    public string Kind { get; init; } = "";
    public string Title { get; init; } = "";
    public string Description { get; init; } = "";
    public string Category { get; init; } = "";
    public string Cause { get; init; } = "";
    public string Consequence { get; init; } = "";
    public IReadOnlyList<string> Services { get; set; } = [];
    public Guid? OwnerId { get; init; }
    public string? OwnerName { get; set; }
    public int Likelihood { get; init; }
    public int Impact { get; init; }
    public int Score { get; init; }
    public string Level { get; init; } = "";
    public string? Treatment { get; init; }
    public string TreatmentPlan { get; init; } = "";
    public int? ResidualLikelihood { get; init; }
    public int? ResidualImpact { get; init; }
    public int? ResidualScore => ResidualLikelihood is { } l && ResidualImpact is { } i ? RiskMatrix.Score(l, i) : null;
    public string? ResidualLevel { get; init; }
    public string Status { get; init; } = "";
    public string? AcceptanceReason { get; init; }
    public string? AcceptedByName { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }
    public string? ReviewOn { get; init; }
    public DateTimeOffset? LastReviewedAt { get; init; }
    public DateTimeOffset? TreatedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedByName { get; init; } = "";
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }
    public IReadOnlyList<RiskActionView> Actions { get; set; } = [];
    public IReadOnlyList<string> AllowedMoves { get; set; } = [];

    /// <summary>True while open and past its review date.</summary>
    public bool ReviewOverdue { get; set; }

    /// <summary>The level that counts now: the residual one once assessed, else the inherent one.</summary>
    public string CurrentLevel => ResidualLevel ?? Level;

    internal string ServicesJson { get; init; } = "[]";

    internal const string Columns =
        "id, number, kind, title, description, category, cause, consequence, services AS services_json, owner_id, likelihood, impact, score, level, treatment, " +
        "treatment_plan, residual_likelihood, residual_impact, residual_level, status, acceptance_reason, accepted_by_name, accepted_at, review_on, " +
        "last_reviewed_at, treated_at, closed_at, created_at, created_by_name, updated_at, version";
}

/// <summary>Counts of open risks per likelihood and impact, for the heat map.</summary>
/// <param name="Likelihood">1-5.</param>
/// <param name="Impact">1-5.</param>
/// <param name="Count">Open risks (or opportunities) in the cell.</param>
/// <param name="Level">The cell's level.</param>
public sealed record HeatCell(int Likelihood, int Impact, int Count, string Level);

/// <summary>What the register's list is filtered by; all optional.</summary>
public sealed record RiskFilter(string? Kind = null, string? Level = null, string? Status = null, Guid? OwnerId = null, int? Likelihood = null, int? Impact = null,
    bool Residual = false, bool Overdue = false);

/// <summary>
/// The register of risks and opportunities (ISO/IEC 20000-1:2018 6.1; 2005 4.1): each assessed on the 5 × 5
/// <see cref="RiskMatrix"/>, treated by one of the options for its kind with a plan and actions, its residual risk
/// assessed, and reviewed by a date. Accepting a high or critical risk takes a reason and
/// <see cref="CompliancePermissions.Approve"/>. Managers keep the register; a risk's owner may work their own risk.
/// Every change is audited with the reason given.
/// </summary>
public sealed class Risks(
    Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, IEnumerable<IServiceLookup> serviceLookups, Texts<PlanningStrings> text,
    TimeProvider clock)
{
    public const string RecordType = "risk";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Request(
        string? Kind, string? Title, string? Description, string? Category, string? Cause, string? Consequence, IReadOnlyList<string>? Services,
        Guid? OwnerId, int? Likelihood, int? Impact, string? Treatment, string? TreatmentPlan, int? ResidualLikelihood, int? ResidualImpact, string? ReviewOn);

    public sealed record MoveRequest(string? Move, string? Reason);

    public sealed record ReviewRequest(string? NextReviewOn, string? Note);

    public sealed record ActionRequest(string? Description, Guid? OwnerId, string? DueOn);

    public bool CanManage => caller.HasPermission(CompliancePermissions.Manage);

    /// <summary>True when the caller may work this risk: a manager, or its owner.</summary>
    public bool CanWork(RiskView risk) => CanManage || (risk.OwnerId is { } o && o == caller.ActorId);

    /// <summary>The calendar day now, in the provider's time zone (review dates are days).</summary>
    public string Today => DateOnly.FromDateTime(clock.GetLocalNow().DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<IReadOnlyList<RiskView>> ListAsync(RiskFilter filter, CancellationToken ct = default)
    {
        var conditions = new List<string>();
        if (filter.Kind is not null)
        {
            conditions.Add("kind = @kind");
        }
        if (filter.Status == "open" || filter.Status is null)
        {
            conditions.Add("status <> 'closed'");
        }
        else if (filter.Status != "all")
        {
            conditions.Add("status = @status");
        }
        if (filter.OwnerId is not null)
        {
            conditions.Add("owner_id = @ownerId");
        }
        if (filter.Likelihood is not null)
        {
            conditions.Add(filter.Residual ? "COALESCE(residual_likelihood, likelihood) = @likelihood" : "likelihood = @likelihood");
        }
        if (filter.Impact is not null)
        {
            conditions.Add(filter.Residual ? "COALESCE(residual_impact, impact) = @impact" : "impact = @impact");
        }
        if (filter.Level is not null)
        {
            conditions.Add(filter.Residual ? "COALESCE(residual_level, level) = @level" : "level = @level");
        }
        if (filter.Overdue)
        {
            conditions.Add("status <> 'closed' AND review_on IS NOT NULL AND review_on < @today");
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        await using var connection = await database.OpenAsync(ct);
        var risks = (await connection.QueryAsync<RiskView>(new CommandDefinition(
            $"SELECT {RiskView.Columns} FROM cmp_risks {where} ORDER BY score DESC, number",
            new { kind = filter.Kind, status = filter.Status, ownerId = filter.OwnerId, likelihood = filter.Likelihood, impact = filter.Impact, level = filter.Level, today = Today },
            cancellationToken: ct))).ToList();
        await DescribeAsync(connection, null, risks, withActions: false, ct);
        return risks;
    }

    /// <summary>Open risks (or opportunities) per cell of the 5 × 5 matrix, inherent or residual (the inherent rating where none is assessed).</summary>
    public async Task<IReadOnlyList<HeatCell>> HeatMapAsync(string kind, bool residual, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var ratings = (await connection.QueryAsync<(long Likelihood, long Impact)>(new CommandDefinition(
            residual
                ? "SELECT COALESCE(residual_likelihood, likelihood), COALESCE(residual_impact, impact) FROM cmp_risks WHERE status <> 'closed' AND kind = @kind"
                : "SELECT likelihood, impact FROM cmp_risks WHERE status <> 'closed' AND kind = @kind",
            new { kind }, cancellationToken: ct))).ToList();
        return [.. from l in Enumerable.Range(RiskMatrix.Min, RiskMatrix.Max)
                   from i in Enumerable.Range(RiskMatrix.Min, RiskMatrix.Max)
                   select new HeatCell(l, i, ratings.Count(r => r.Likelihood == l && r.Impact == i), RiskMatrix.Level(l, i).Key())];
    }

    public async Task<RiskView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await LoadAsync(connection, null, id, ct);
    }

    public async Task<Outcome<RiskView>> CreateAsync(Request request, CancellationToken ct = default)
    {
        if (!CanManage)
        {
            return new Failure(FailureKind.Forbidden, text["Risk.ManagerOnly"]);
        }
        var errors = await ValidateAsync(request, null, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var row = Normalise(request);
        var id = await database.WriteAsync(async (connection, tx) =>
        {
            var number = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "UPDATE cmp_counters SET value = value + 1 WHERE name = 'risk' RETURNING value", transaction: tx, cancellationToken: ct));
            var id = Guid.NewGuid();
            var now = clock.GetUtcNow();
            var parameters = Parameters(row);
            parameters.Add("id", id);
            parameters.Add("number", number);
            parameters.Add("now", now);
            parameters.Add("by", caller.ActorName);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cmp_risks (id, number, kind, title, description, category, cause, consequence, services, owner_id, likelihood, impact, score, level,
                    treatment, treatment_plan, residual_likelihood, residual_impact, residual_level, status, review_on, created_at, created_by_name, updated_at, version)
                VALUES (@id, @number, @kind, @title, @description, @category, @cause, @consequence, @services, @ownerId, @likelihood, @impact, @score, @level,
                    @treatment, @treatmentPlan, @residualLikelihood, @residualImpact, @residualLevel, 'identified', @reviewOn, @now, @by, @now, 1)
                """, parameters, tx, cancellationToken: ct));
            var fields = Fields(row);
            fields["number"] = number;
            fields["status"] = "identified";
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "created", null, AuditTrail.Created(fields)), ct);
            return id;
        }, ct);
        return (await GetAsync(id, ct))!;
    }

    /// <summary>
    /// Changes the assessment, treatment or review date. An accepted risk that an edit makes high or critical needs top
    /// management again; the accept treatment itself is only chosen through the accept move.
    /// </summary>
    public async Task<Outcome<RiskView>> UpdateAsync(Guid id, int version, Request request, CancellationToken ct = default)
    {
        var found = await GetAsync(id, ct);
        if (found is null)
        {
            return text.NotFound();
        }
        if (!CanWork(found))
        {
            return new Failure(FailureKind.Forbidden, text["Risk.OwnerOnly"]);
        }
        var errors = await ValidateAsync(request, found, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var row = Normalise(request);
        var accepted = found.Treatment == RiskLifecycle.AcceptTreatment && found.Status == "monitored" && request.Kind == "risk";
        var worse = RiskMatrix.ParseLevel(row.ResidualLevel ?? row.Level)!.Value > RiskMatrix.ParseLevel(found.CurrentLevel)!.Value;
        if (accepted && worse && RiskMatrix.AcceptanceNeedsApproval(RiskMatrix.ParseLevel(row.ResidualLevel ?? row.Level)!.Value)
            && !caller.HasPermission(CompliancePermissions.Approve))
        {
            return new Failure(FailureKind.Forbidden, text["Risk.AcceptNeedsApproval", text[$"Risk.Level.{row.ResidualLevel ?? row.Level}"]]);
        }
        return await WriteAsync(id, version, async (connection, tx, current, now) =>
        {
            var parameters = Parameters(row);
            parameters.Add("id", id);
            parameters.Add("now", now);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cmp_risks SET kind = @kind, title = @title, description = @description, category = @category, cause = @cause, consequence = @consequence,
                    services = @services, owner_id = @ownerId, likelihood = @likelihood, impact = @impact, score = @score, level = @level, treatment = @treatment,
                    treatment_plan = @treatmentPlan, residual_likelihood = @residualLikelihood, residual_impact = @residualImpact,
                    residual_level = @residualLevel, review_on = @reviewOn
                WHERE id = @id
                """, parameters, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "updated", null, AuditTrail.Diff(Fields(current), Fields(row))), ct);
            return null;
        }, ct);
    }

    /// <summary>Treat, accept, monitor, close or reopen, by the transition table; 409 names the moves open.</summary>
    public async Task<Outcome<RiskView>> MoveAsync(Guid id, int version, MoveRequest request, CancellationToken ct = default)
    {
        var found = await GetAsync(id, ct);
        if (found is null)
        {
            return text.NotFound();
        }
        if (!CanWork(found))
        {
            return new Failure(FailureKind.Forbidden, text["Risk.OwnerOnly"]);
        }
        var errors = text.Errors().Optional("reason", request.Reason, 2000);
        if (RiskLifecycle.ParseMove(request.Move) is not { } move)
        {
            errors.Add("move", "Validation.OneOf", string.Join(", ", Enum.GetValues<RiskMove>().Select(m => m.Key())));
            return text.Invalid(errors);
        }
        var from = RiskLifecycle.ParseStatus(found.Status);
        if (RiskLifecycle.Next(from, move) is not { } to)
        {
            return NotAllowed(found, from);
        }
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        var isRisk = found.Kind == "risk";
        // The level acceptance is judged by: as it stands for accept, as treated for monitor (not yet assessed: refused below).
        var judged = move == RiskMove.Monitor ? found.ResidualLevel : found.Level;
        var needsApproval = isRisk && (move is RiskMove.Accept or RiskMove.Monitor) && RiskMatrix.ParseLevel(judged) is { } level
            && RiskMatrix.AcceptanceNeedsApproval(level);
        if (reason is null && (move is RiskMove.Accept or RiskMove.Close or RiskMove.Reopen || needsApproval))
        {
            errors.Add("reason", "Validation.Required");
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        if (needsApproval && !caller.HasPermission(CompliancePermissions.Approve))
        {
            return new Failure(FailureKind.Forbidden, text["Risk.AcceptNeedsApproval", text[$"Risk.Level.{judged}"]]);
        }
        if (Preconditions(found, move) is { } unmet)
        {
            return unmet;
        }
        return await WriteAsync(id, version, async (connection, tx, current, now) =>
        {
            if (current.Status != found.Status)
            {
                // Moved by someone else since it was read: judged afresh on the next try.
                return text.Stale();
            }
            var accepting = move == RiskMove.Accept || (move == RiskMove.Monitor && needsApproval);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cmp_risks SET status = @to,
                    treatment = CASE WHEN @move = 'accept' THEN 'accept' ELSE treatment END,
                    acceptance_reason = CASE WHEN @accepting = 'yes' THEN @reason WHEN @to = 'treating' THEN NULL ELSE acceptance_reason END,
                    accepted_by_name = CASE WHEN @accepting = 'yes' THEN @actorName WHEN @to = 'treating' THEN NULL ELSE accepted_by_name END,
                    accepted_at = CASE WHEN @accepting = 'yes' THEN @now WHEN @to = 'treating' THEN NULL ELSE accepted_at END,
                    treated_at = CASE WHEN @to = 'monitored' THEN @now ELSE treated_at END,
                    closed_at = CASE WHEN @to = 'closed' THEN @now ELSE NULL END
                WHERE id = @id
                """,
                new { id, to = to.Key(), move = move.Key(), accepting = accepting ? "yes" : "no", reason, actorName = caller.ActorName, now }, tx, cancellationToken: ct));
            var changes = new List<AuditChange> { new("status", from.Key(), to.Key()) };
            if (move == RiskMove.Accept && current.Treatment != RiskLifecycle.AcceptTreatment)
            {
                changes.Add(new AuditChange("treatment", current.Treatment, RiskLifecycle.AcceptTreatment));
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), move.Key(), null, changes, reason), ct);
            return null;
        }, ct);
    }

    /// <summary>Records a review of the risk: when it was looked at, what was found, and the next review date (after today).</summary>
    public async Task<Outcome<RiskView>> ReviewAsync(Guid id, int version, ReviewRequest request, CancellationToken ct = default)
    {
        var found = await GetAsync(id, ct);
        if (found is null)
        {
            return text.NotFound();
        }
        if (!CanWork(found))
        {
            return new Failure(FailureKind.Forbidden, text["Risk.OwnerOnly"]);
        }
        var errors = text.Errors().Required("note", request.Note, 2000);
        if (!CalendarDates.TryParse(request.NextReviewOn, out var next) || next is null)
        {
            errors.AddMessage("nextReviewOn", text["Validation.Date"]);
        }
        else if (string.CompareOrdinal(next, Today) <= 0)
        {
            errors.AddMessage("nextReviewOn", text["Risk.ReviewInFuture"]);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        if (found.Status == "closed")
        {
            return new Failure(FailureKind.Conflict, text["Risk.Closed"]);
        }
        return await WriteAsync(id, version, async (connection, tx, current, now) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cmp_risks SET review_on = @next, last_reviewed_at = @now WHERE id = @id", new { id, next, now }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "reviewed", null,
                [new AuditChange("reviewOn", current.ReviewOn, next)], request.Note!.Trim()), ct);
            return null;
        }, ct);
    }

    /// <summary>Adds an action to the treatment plan.</summary>
    public async Task<Outcome<RiskView>> AddActionAsync(Guid id, int version, ActionRequest request, CancellationToken ct = default)
    {
        var found = await GetAsync(id, ct);
        if (found is null)
        {
            return text.NotFound();
        }
        if (!CanWork(found))
        {
            return new Failure(FailureKind.Forbidden, text["Risk.OwnerOnly"]);
        }
        var errors = text.Errors().Required("description", request.Description, 1000);
        if (!CalendarDates.TryParse(request.DueOn, out var due))
        {
            errors.AddMessage("dueOn", text["Validation.Date"]);
        }
        if (request.OwnerId is { } owner && (await directory.StaffAsync(Roles.Staff, ct)).All(u => u.Id != owner))
        {
            errors.AddMessage("ownerId", text["Objective.NotStaff"]);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        if (found.Status == "closed")
        {
            return new Failure(FailureKind.Conflict, text["Risk.Closed"]);
        }
        return await WriteAsync(id, version, async (connection, tx, current, now) =>
        {
            var description = request.Description!.Trim();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cmp_risk_actions (id, risk_id, description, owner_id, due_on, done_at, created_at)
                VALUES (@actionId, @id, @description, @ownerId, @due, NULL, @now)
                """, new { actionId = Guid.NewGuid(), id, description, ownerId = request.OwnerId, due, now }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "action-added", null,
                [new AuditChange("action", null, due is null ? description : $"{description} ({due})")]), ct);
            return null;
        }, ct);
    }

    /// <summary>Marks an action done: a manager, the risk's owner or the action's owner may.</summary>
    public async Task<Outcome<RiskView>> CompleteActionAsync(Guid id, int version, Guid actionId, CancellationToken ct = default)
    {
        var found = await GetAsync(id, ct);
        if (found?.Actions.FirstOrDefault(a => a.Id == actionId) is not { } action)
        {
            return text.NotFound();
        }
        if (!CanWork(found) && action.OwnerId != caller.ActorId)
        {
            return new Failure(FailureKind.Forbidden, text["Risk.OwnerOnly"]);
        }
        if (action.Done)
        {
            return new Failure(FailureKind.Conflict, text["Risk.ActionDone"]);
        }
        return await WriteAsync(id, version, async (connection, tx, current, now) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cmp_risk_actions SET done_at = @now WHERE id = @actionId AND risk_id = @id", new { actionId, id, now }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "action-done", null,
                [new AuditChange("action", action.Description, text["Risk.ActionDoneValue"])]), ct);
            return null;
        }, ct);
    }

    private Failure? Preconditions(RiskView risk, RiskMove move)
    {
        var fields = new Dictionary<string, string[]>(StringComparer.Ordinal);
        switch (move)
        {
            case RiskMove.Treat:
                if (risk.Treatment is null || risk.Treatment == RiskLifecycle.AcceptTreatment)
                {
                    fields["treatment"] = [text["Risk.NeedsTreatment"]];
                }
                if (string.IsNullOrWhiteSpace(risk.TreatmentPlan) && risk.Actions.Count == 0)
                {
                    fields["treatmentPlan"] = [text["Risk.NeedsPlan"]];
                }
                break;
            case RiskMove.Monitor:
                if (risk.ResidualLikelihood is null || risk.ResidualImpact is null)
                {
                    fields["residualLikelihood"] = [text["Risk.NeedsResidual"]];
                }
                if (risk.Actions.Where(a => !a.Done).Select(a => a.Description).ToList() is { Count: > 0 } open)
                {
                    fields["actions"] = [text["Risk.ActionsOpen", string.Join("; ", open)]];
                }
                break;
            case RiskMove.Accept:
            case RiskMove.Close:
            case RiskMove.Reopen:
                break;
        }
        if (risk.OwnerId is null && (move is RiskMove.Treat or RiskMove.Accept or RiskMove.Monitor))
        {
            fields["ownerId"] = [text["Risk.NeedsOwner"]];
        }
        return fields.Count == 0 ? null : new Failure(FailureKind.Conflict, text["Risk.NotReady", text[$"Risk.Move.{move.Key()}"]], fields);
    }

    private Failure NotAllowed(RiskView risk, RiskStatus from)
    {
        var allowed = RiskLifecycle.Allowed(from);
        return new Failure(FailureKind.Conflict, text["Risk.MoveNotAllowed", text[$"Risk.Status.{risk.Status}"],
            allowed.Count == 0 ? "—" : string.Join(", ", allowed.Select(m => m.Key()))]);
    }

    private async Task<FieldErrors> ValidateAsync(Request r, RiskView? current, CancellationToken ct)
    {
        var errors = text.Errors().Required("title", r.Title, 200).Optional("description", r.Description, 4000).Optional("cause", r.Cause, 2000)
            .Optional("consequence", r.Consequence, 2000).Optional("treatmentPlan", r.TreatmentPlan, 4000);
        if (!RiskLifecycle.Kinds.Contains(r.Kind ?? "", StringComparer.Ordinal))
        {
            errors.Add("kind", "Validation.OneOf", string.Join(", ", RiskLifecycle.Kinds));
        }
        if (!RiskLifecycle.Categories.Contains(r.Category ?? "", StringComparer.Ordinal))
        {
            errors.Add("category", "Validation.OneOf", string.Join(", ", RiskLifecycle.Categories));
        }
        foreach (var (field, value) in new[] { ("likelihood", r.Likelihood), ("impact", r.Impact) })
        {
            if (value is null)
            {
                errors.Add(field, "Validation.Required");
            }
            else if (!RiskMatrix.IsRating(value))
            {
                errors.AddMessage(field, text["Risk.RatingRange"]);
            }
        }
        foreach (var (field, value) in new[] { ("residualLikelihood", r.ResidualLikelihood), ("residualImpact", r.ResidualImpact) })
        {
            if (value is not null && !RiskMatrix.IsRating(value))
            {
                errors.AddMessage(field, text["Risk.RatingRange"]);
            }
        }
        if ((r.ResidualLikelihood is null) != (r.ResidualImpact is null))
        {
            errors.AddMessage(r.ResidualLikelihood is null ? "residualLikelihood" : "residualImpact", text["Risk.ResidualBoth"]);
        }
        if (r.Treatment is not null && RiskLifecycle.Kinds.Contains(r.Kind ?? "", StringComparer.Ordinal))
        {
            if (!RiskLifecycle.Treatments(r.Kind!).Contains(r.Treatment, StringComparer.Ordinal))
            {
                errors.Add("treatment", "Validation.OneOf", string.Join(", ", RiskLifecycle.Treatments(r.Kind!)));
            }
            else if (r.Treatment == RiskLifecycle.AcceptTreatment && current?.Treatment != RiskLifecycle.AcceptTreatment)
            {
                errors.AddMessage("treatment", text["Risk.AcceptByMove"]);
            }
        }
        if (r.OwnerId is { } owner && (await directory.StaffAsync(Roles.Staff, ct)).All(u => u.Id != owner))
        {
            errors.AddMessage("ownerId", text["Objective.NotStaff"]);
        }
        if (!CalendarDates.TryParse(r.ReviewOn, out _))
        {
            errors.AddMessage("reviewOn", text["Validation.Date"]);
        }
        var codes = (r.Services ?? []).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        if (codes.Any(c => c.Length > 50) || codes.Count > 30)
        {
            errors.Add("services", "Validation.Invalid");
        }
        else if (codes.Count > 0 && serviceLookups.FirstOrDefault() is { } lookup)
        {
            var known = (await lookup.FindAsync(codes, ct)).Select(s => s.Code).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var unknown in codes.Where(c => !known.Contains(c)))
            {
                errors.AddMessage("services", text["Risk.UnknownService", unknown]);
            }
        }
        return errors;
    }

    private Row Normalise(Request r)
    {
        var level = RiskMatrix.Level(r.Likelihood!.Value, r.Impact!.Value);
        string? residualLevel = r.ResidualLikelihood is { } rl && r.ResidualImpact is { } ri ? RiskMatrix.Level(rl, ri).Key() : null;
        _ = CalendarDates.TryParse(r.ReviewOn, out var review);
        review ??= DateOnly.FromDateTime(clock.GetLocalNow().DateTime).AddMonths(RiskMatrix.ReviewMonths(level)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var services = (r.Services ?? []).Select(s => s.Trim().ToUpperInvariant()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return new Row(r.Kind!, r.Title!.Trim(), (r.Description ?? "").Trim(), r.Category!, (r.Cause ?? "").Trim(), (r.Consequence ?? "").Trim(),
            JsonSerializer.Serialize(services, Json), r.OwnerId, r.Likelihood.Value, r.Impact.Value, RiskMatrix.Score(r.Likelihood.Value, r.Impact.Value), level.Key(),
            r.Treatment, (r.TreatmentPlan ?? "").Trim(), r.ResidualLikelihood, r.ResidualImpact, residualLevel, review);
    }

    private static Dictionary<string, object?> Fields(Row r) => new(StringComparer.Ordinal)
    {
        ["kind"] = r.Kind, ["title"] = r.Title, ["description"] = r.Description, ["category"] = r.Category, ["cause"] = r.Cause, ["consequence"] = r.Consequence,
        ["services"] = r.Services, ["ownerId"] = r.OwnerId, ["likelihood"] = r.Likelihood, ["impact"] = r.Impact, ["score"] = r.Score, ["level"] = r.Level,
        ["treatment"] = r.Treatment, ["treatmentPlan"] = r.TreatmentPlan, ["residualLikelihood"] = r.ResidualLikelihood, ["residualImpact"] = r.ResidualImpact,
        ["residualLevel"] = r.ResidualLevel, ["reviewOn"] = r.ReviewOn,
    };

    private static Dictionary<string, object?> Fields(RiskView v) => Fields(new Row(v.Kind, v.Title, v.Description, v.Category, v.Cause, v.Consequence,
        v.ServicesJson, v.OwnerId, v.Likelihood, v.Impact, v.Score, v.Level, v.Treatment, v.TreatmentPlan, v.ResidualLikelihood, v.ResidualImpact,
        v.ResidualLevel, v.ReviewOn ?? ""));

    private static DynamicParameters Parameters(Row r)
    {
        var parameters = new DynamicParameters();
        foreach (var (name, value) in Fields(r))
        {
            parameters.Add(name, value);
        }
        return parameters;
    }

    /// <summary>Loads the risk under its version check, runs the step, bumps the version and returns it fresh; nothing is half-written.</summary>
    private async Task<Outcome<RiskView>> WriteAsync(
        Guid id, int version, Func<DbConnection, DbTransaction, RiskView, DateTimeOffset, Task<Failure?>> step, CancellationToken ct)
    {
        try
        {
            return await database.WriteAsync<Outcome<RiskView>>(async (connection, tx) =>
            {
                var current = await LoadAsync(connection, tx, id, ct);
                if (current is null)
                {
                    return text.NotFound();
                }
                if (current.Version != version)
                {
                    return text.Stale();
                }
                var now = clock.GetUtcNow();
                // Claim the row first: a concurrent writer with the same version finds nothing to update and fails stale.
                if (await connection.ExecuteAsync(new CommandDefinition(
                        "UPDATE cmp_risks SET updated_at = @now, version = version + 1 WHERE id = @id AND version = @version",
                        new { now, id, version }, tx, cancellationToken: ct)) == 0)
                {
                    return text.Stale();
                }
                if (await step(connection, tx, current, now) is { } failure)
                {
                    // The claim is already written: throwing rolls it back with everything else.
                    throw new RefusedWrite(failure);
                }
                return (await LoadAsync(connection, tx, id, ct))!;
            }, ct);
        }
        catch (RefusedWrite refused)
        {
            return refused.Failure;
        }
    }

    private async Task<RiskView?> LoadAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct)
    {
        var risk = await connection.QuerySingleOrDefaultAsync<RiskView>(new CommandDefinition(
            $"SELECT {RiskView.Columns} FROM cmp_risks WHERE id = @id", new { id }, tx, cancellationToken: ct));
        if (risk is not null)
        {
            await DescribeAsync(connection, tx, [risk], withActions: true, ct);
        }
        return risk;
    }

    /// <summary>Names, services, actions and the moves open, for showing.</summary>
    private async Task DescribeAsync(DbConnection connection, DbTransaction? tx, List<RiskView> risks, bool withActions, CancellationToken ct)
    {
        var actions = new List<RiskActionView>();
        if (withActions && risks.Count > 0)
        {
            var ids = risks.Select(r => r.Id).ToArray();
            actions = (await connection.QueryAsync<RiskActionView>(new CommandDefinition(
                $"SELECT {RiskActionView.Columns} FROM cmp_risk_actions WHERE {database.Dialect.In("risk_id", "ids")} ORDER BY created_at",
                new { ids }, tx, cancellationToken: ct))).ToList();
        }
        var users = await directory.FindUsersAsync(risks.Select(r => r.OwnerId).Concat(actions.Select(a => a.OwnerId)).OfType<Guid>().Distinct(), ct);
        var today = Today;
        foreach (var a in actions)
        {
            a.OwnerName = a.OwnerId is { } o && users.TryGetValue(o, out var u) ? u.DisplayName : null;
        }
        foreach (var r in risks)
        {
            r.OwnerName = r.OwnerId is { } o && users.TryGetValue(o, out var u) ? u.DisplayName : null;
            r.Services = JsonSerializer.Deserialize<List<string>>(r.ServicesJson, Json) ?? [];
            r.Actions = [.. actions.Where(a => a.RiskId == r.Id)];
            r.AllowedMoves = [.. RiskLifecycle.Allowed(RiskLifecycle.ParseStatus(r.Status)).Select(m => m.Key())];
            r.ReviewOverdue = r.Status != "closed" && r.ReviewOn is { } due && string.CompareOrdinal(due, today) < 0;
        }
    }

    private sealed record Row(
        string Kind, string Title, string Description, string Category, string Cause, string Consequence, string Services, Guid? OwnerId, int Likelihood,
        int Impact, int Score, string Level, string? Treatment, string TreatmentPlan, int? ResidualLikelihood, int? ResidualImpact, string? ResidualLevel,
        string ReviewOn);

    private sealed class RefusedWrite(Failure failure) : Exception(failure.Message)
    {
        public Failure Failure { get; } = failure;
    }
}
