using System.Globalization;
using Certus.Compliance.Domain;
using Certus.Data;
using Certus.Kernel.Conformity;
using Certus.Kernel.Errors;
using Dapper;

namespace Certus.Compliance.Features;

/// <summary>
/// An approved service management policy exists, with its three commitments, and top management approved or confirmed
/// it within the last 12 months (ISO/IEC 20000-1:2018 5.2.1, 5.2.2; 2005 3.1). Shown to every member of staff on the
/// policy page, which is how it is communicated.
/// </summary>
public sealed class PolicyApprovedCheck(Database database, Texts<PlanningStrings> text) : IConformityCheck
{
    public string Key => "compliance.policy-approved";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("5.2.1"), ClauseRef.Of2018("5.2.2"), ClauseRef.Of2005("3.1")];

    public string Title => text["Check.Policy"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var versions = (await connection.QueryAsync<PolicyVersionView>(new CommandDefinition(
            $"SELECT {PolicyVersionView.Columns} FROM cmp_policy_versions WHERE approved_at IS NULL OR approved_at <= @now ORDER BY number DESC",
            new { now = now.ToUniversalTime() }, cancellationToken: ct))).ToList();
        if (versions.Count == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.Policy.None"], [], []);
        }
        var record = new EvidenceRecord(text["Check.Policy.Record", versions[0].Number], text["Policy.Title"], "/compliance/policy");
        if (versions.FirstOrDefault(v => v.Status != "draft") is not { } effective)
        {
            return new CheckResult(CheckVerdict.Gap, text["Check.Policy.DraftOnly"], [new CheckFigure(text["Check.Policy.Versions"], versions.Count)], [record]);
        }
        var reviewed = await connection.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(
            "SELECT max(reviewed_at) FROM cmp_policy_reviews WHERE version_id = @id AND reviewed_at <= @now",
            new { id = effective.Id, now = now.ToUniversalTime() }, cancellationToken: ct));
        var confirmed = reviewed is { } r && r > effective.ApprovedAt!.Value ? r : effective.ApprovedAt!.Value;
        var days = (int)Math.Floor((now - confirmed).TotalDays);
        var figures = new List<CheckFigure> { new(text["Check.Policy.Version"], effective.Number), new(text["Check.Policy.DaysSince"], days) };
        record = new EvidenceRecord(text["Check.Policy.Record", effective.Number], text["Check.Policy.ApprovedBy", effective.ApprovedByName ?? "", Day(effective.ApprovedAt.Value)],
            "/compliance/policy");
        if (ServicePolicy.Missing(effective).Count > 0)
        {
            return new CheckResult(CheckVerdict.Gap, text["Check.Policy.Incomplete", effective.Number], figures, [record]);
        }
        return confirmed.AddMonths(ServicePolicy.ReviewMonths) >= now
            ? new CheckResult(CheckVerdict.Conforming, text["Check.Policy.Ok", effective.Number, Day(confirmed)], figures, [record])
            : new CheckResult(CheckVerdict.Gap, text["Check.Policy.Stale", effective.Number, Day(confirmed)], figures, [record]);
    }

    private static string Day(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// Objectives are set and monitored (ISO/IEC 20000-1:2018 6.2.1; 2005 4.1): at least one active objective, each with a
/// measure and a target, and each with a value for the current period (or the one before it, early in a period). An
/// objective not met is not a gap of 6.2 by itself (the standard asks that objectives be measured and acted on; that
/// is for the management review and improvement): the summary counts them and names them.
/// </summary>
public sealed class ObjectivesMonitoredCheck(Database database, ObjectiveValues values, Texts<PlanningStrings> text) : IConformityCheck
{
    public string Key => "compliance.objectives-monitored";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("6.2.1"), ClauseRef.Of2005("4.1")];

    public string Title => text["Check.Objectives"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        List<ObjectiveView> active;
        await using (var connection = await database.OpenAsync(ct))
        {
            active = (await connection.QueryAsync<ObjectiveView>(new CommandDefinition(
                $"SELECT {ObjectiveView.Columns} FROM cmp_objectives WHERE status = 'active' AND created_at <= @now ORDER BY number",
                new { now = now.ToUniversalTime() }, cancellationToken: ct))).ToList();
        }
        if (active.Count == 0)
        {
            return new CheckResult(CheckVerdict.Gap, text["Check.Objectives.None"], [new CheckFigure(text["Check.Objectives.Active"], 0)], []);
        }
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, values.Zone).DateTime);
        var results = new List<(ObjectiveView Objective, ObjectiveResult Result)>();
        foreach (var o in active)
        {
            var period = ObjectivePeriod.Containing(ObjectiveRules.ParsePeriod(o.Period) ?? PeriodKind.Quarter, today);
            var result = await values.MeasureAsync(o, period, ct);
            if (result.Result == ObjectiveRules.NoData)
            {
                // Early in a period there may be nothing yet: the period before, as it was kept, or as the data says now.
                result = await values.KeptAsync(o, period.Previous(), ct) ?? await values.MeasureAsync(o, period.Previous(), ct);
            }
            results.Add((o, result));
        }
        int Count(string r) => results.Count(x => x.Result.Result == r);
        var figures = new List<CheckFigure>
        {
            new(text["Check.Objectives.Active"], active.Count), new(text["Check.Objectives.Met"], Count(ObjectiveRules.Met)),
            new(text["Check.Objectives.NotMet"], Count(ObjectiveRules.NotMet)), new(text["Check.Objectives.NoData"], Count(ObjectiveRules.NoData)),
        };
        var records = results.Where(x => x.Result.Result != ObjectiveRules.Met).Take(50)
            .Select(x => new EvidenceRecord(x.Objective.Reference, $"{Named(x.Objective)} — {text[$"Objective.Result.{x.Result.Result}"]} ({x.Result.Label})",
                $"/compliance/objectives/{x.Objective.Id:D}"))
            .ToList();
        return Count(ObjectiveRules.NoData) > 0
            ? new CheckResult(CheckVerdict.Gap, text["Check.Objectives.Gap", Count(ObjectiveRules.NoData), active.Count], figures, records)
            : new CheckResult(CheckVerdict.Conforming, text["Check.Objectives.Ok", active.Count, Count(ObjectiveRules.Met), Count(ObjectiveRules.NotMet)], figures, records);
    }

    private static string Named(ObjectiveView o) => PolicyVersionView.In(CultureInfo.CurrentUICulture, o.TitleEn, o.TitleZh);
}

/// <summary>
/// Every active objective has a plan to achieve it (ISO/IEC 20000-1:2018 6.2.2; 2005 4.1): what will be done, who is
/// responsible (the owner when nobody else is named), by when, and how the results are evaluated.
/// </summary>
public sealed class ObjectivesPlannedCheck(Database database, Texts<PlanningStrings> text) : IConformityCheck
{
    public string Key => "compliance.objectives-planned";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("6.2.2"), ClauseRef.Of2005("4.1")];

    public string Title => text["Check.Plans"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var active = (await connection.QueryAsync<ObjectiveView>(new CommandDefinition(
            $"SELECT {ObjectiveView.Columns} FROM cmp_objectives WHERE status = 'active' AND created_at <= @now ORDER BY number",
            new { now = now.ToUniversalTime() }, cancellationToken: ct))).ToList();
        var unplanned = active.Where(o => o.PlanGaps.Count > 0).ToList();
        var figures = new List<CheckFigure> { new(text["Check.Objectives.Active"], active.Count), new(text["Check.Plans.Missing"], unplanned.Count) };
        if (active.Count == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.Objectives.None"], figures, []);
        }
        return unplanned.Count == 0
            ? new CheckResult(CheckVerdict.Conforming, text["Check.Plans.Ok", active.Count], figures, [])
            : new CheckResult(CheckVerdict.Gap, text["Check.Plans.Gap", unplanned.Count], figures,
                [.. unplanned.Take(50).Select(o => new EvidenceRecord(o.Reference,
                    $"{PolicyVersionView.In(CultureInfo.CurrentUICulture, o.TitleEn, o.TitleZh)} — {string.Join(", ", o.PlanGaps.Select(g => text[$"Objective.Field.{g}"]))}",
                    $"/compliance/objectives/{o.Id:D}"))]);
    }
}

/// <summary>
/// Every open high or critical risk has an owner and a treatment: an option with a plan or actions, or acceptance with
/// top management's reason (ISO/IEC 20000-1:2018 6.1.2, 6.1.3; 2005 4.1).
/// </summary>
public sealed class RisksTreatedCheck(Database database, Texts<PlanningStrings> text) : IConformityCheck
{
    public string Key => "compliance.risks-treated";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("6.1.2"), ClauseRef.Of2018("6.1.3"), ClauseRef.Of2005("4.1")];

    public string Title => text["Check.RisksTreated"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var open = (await connection.QueryAsync<RiskRow>(new CommandDefinition(
            """
            SELECT r.id, r.number, r.title, r.level, r.owner_id, r.treatment, r.treatment_plan, r.acceptance_reason,
                (SELECT count(*) FROM cmp_risk_actions a WHERE a.risk_id = r.id) AS actions
            FROM cmp_risks r WHERE r.kind = 'risk' AND r.status <> 'closed' AND r.created_at <= @now ORDER BY r.score DESC, r.number
            """, new { now = now.ToUniversalTime() }, cancellationToken: ct))).ToList();
        var serious = open.Where(r => r.Level is "high" or "critical").ToList();
        var untreated = serious.Where(r => r.OwnerId is null || !Treated(r)).ToList();
        var figures = new List<CheckFigure>
        {
            new(text["Check.Risks.Open"], open.Count), new(text["Check.Risks.Serious"], serious.Count), new(text["Check.Risks.Untreated"], untreated.Count),
        };
        if (open.Count == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.Risks.None"], figures, []);
        }
        return untreated.Count == 0
            ? new CheckResult(CheckVerdict.Conforming, text["Check.RisksTreated.Ok", serious.Count, open.Count], figures, [])
            : new CheckResult(CheckVerdict.Gap, text["Check.RisksTreated.Gap", untreated.Count], figures,
                [.. untreated.Take(50).Select(r => new EvidenceRecord(r.Reference, $"{r.Title} — {(r.OwnerId is null ? text["Check.RisksTreated.NoOwner"] : text["Check.RisksTreated.NoTreatment"])}",
                    $"/compliance/risks/{r.Id:D}"))]);
    }

    private static bool Treated(RiskRow r) => r.Treatment switch
    {
        null => false,
        "accept" => !string.IsNullOrWhiteSpace(r.AcceptanceReason),
        _ => !string.IsNullOrWhiteSpace(r.TreatmentPlan) || r.Actions > 0,
    };
}

/// <summary>
/// The register is kept under review (ISO/IEC 20000-1:2018 6.1.1, 6.1.2; 2005 4.1): no open risk or opportunity is past
/// its review date, and each was assessed or reviewed within the last 12 months.
/// </summary>
public sealed class RisksReviewedCheck(Database database, Texts<PlanningStrings> text) : IConformityCheck
{
    public string Key => "compliance.risks-reviewed";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("6.1.1"), ClauseRef.Of2018("6.1.2"), ClauseRef.Of2005("4.1")];

    public string Title => text["Check.RisksReviewed"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var open = (await connection.QueryAsync<RiskRow>(new CommandDefinition(
            """
            SELECT id, number, title, level, owner_id, treatment, treatment_plan, acceptance_reason, 0 AS actions, review_on, last_reviewed_at, created_at
            FROM cmp_risks WHERE status <> 'closed' AND created_at <= @now ORDER BY review_on, number
            """, new { now = now.ToUniversalTime() }, cancellationToken: ct))).ToList();
        var today = now.ToLocalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var yearAgo = now.AddMonths(-12);
        var overdue = open.Where(r => r.ReviewOn is null || string.CompareOrdinal(r.ReviewOn, today) < 0 || (r.LastReviewedAt ?? r.CreatedAt) < yearAgo).ToList();
        var figures = new List<CheckFigure> { new(text["Check.Risks.Open"], open.Count), new(text["Check.RisksReviewed.Overdue"], overdue.Count) };
        if (open.Count == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.Risks.None"], figures, []);
        }
        return overdue.Count == 0
            ? new CheckResult(CheckVerdict.Conforming, text["Check.RisksReviewed.Ok", open.Count], figures, [])
            : new CheckResult(CheckVerdict.Gap, text["Check.RisksReviewed.Gap", overdue.Count], figures,
                [.. overdue.Take(50).Select(r => new EvidenceRecord(r.Reference, $"{r.Title} ({r.ReviewOn ?? "—"})", $"/compliance/risks/{r.Id:D}"))]);
    }
}

/// <summary>What the risk checks read of a risk.</summary>
internal sealed class RiskRow
{
    public Guid Id { get; init; }
    public int Number { get; init; }
    public string Reference => $"RSK-{Number.ToString("D4", CultureInfo.InvariantCulture)}";
    public string Title { get; init; } = "";
    public string Level { get; init; } = "";
    public Guid? OwnerId { get; init; }
    public string? Treatment { get; init; }
    public string TreatmentPlan { get; init; } = "";
    public string? AcceptanceReason { get; init; }
    public long Actions { get; init; }
    public string? ReviewOn { get; init; }
    public DateTimeOffset? LastReviewedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
