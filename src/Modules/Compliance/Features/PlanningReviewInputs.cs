using System.Globalization;
using Certus.Audits.Contracts;
using Certus.Compliance.Domain;
using Certus.Data;
using Certus.Kernel.Conformity;
using Certus.Kernel.Errors;
using Dapper;

namespace Certus.Compliance.Features;

/// <summary>
/// The objectives over a management review's period (ISO/IEC 20000-1:2018 9.3 b "the extent to which objectives have
/// been met"): each active objective's value over the whole period against its target. Read-only: a review freezes its
/// inputs inside a write.
/// </summary>
public sealed class ObjectivesReviewInput(Database database, ObjectiveValues values, Texts<PlanningStrings> text) : IManagementReviewInput
{
    public string Key => ReviewInputKeys.Objectives;

    public int Order => 20;

    public string Title => text["Input.Objectives"];

    public async Task<ReviewInputSection> CompileAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        List<ObjectiveView> active;
        await using (var connection = await database.OpenAsync(ct))
        {
            active = (await connection.QueryAsync<ObjectiveView>(new CommandDefinition(
                $"SELECT {ObjectiveView.Columns} FROM cmp_objectives WHERE status = 'active' AND created_at < @to ORDER BY number",
                new { to = to.ToUniversalTime() }, cancellationToken: ct))).ToList();
        }
        var culture = CultureInfo.CurrentUICulture;
        var label = $"{values.Day(from)} – {values.Day(to.AddTicks(-1))}";
        var rows = new List<(ObjectiveView Objective, ObjectiveResult Result, string? Unit)>();
        foreach (var o in active)
        {
            var unit = o.IsManual ? o.ManualUnit : values.Find(o.MeasureKey)?.Unit;
            rows.Add((o, await values.MeasureAsync(o, from, to, label, o.Period, ct), unit));
        }
        int Count(string r) => rows.Count(x => x.Result.Result == r);
        var figures = new List<CheckFigure>
        {
            new(text["Check.Objectives.Active"], active.Count), new(text["Check.Objectives.Met"], Count(ObjectiveRules.Met)),
            new(text["Check.Objectives.NotMet"], Count(ObjectiveRules.NotMet)), new(text["Check.Objectives.NoData"], Count(ObjectiveRules.NoData)),
        };
        figures.AddRange(rows.Where(x => x.Result.Value is not null)
            .Select(x => new CheckFigure($"{x.Objective.Reference} {PolicyVersionView.In(culture, x.Objective.TitleEn, x.Objective.TitleZh)}", x.Result.Value!.Value, x.Unit)));
        var records = rows.Select(x => new EvidenceRecord(x.Objective.Reference,
            text["Input.Objectives.Record", PolicyVersionView.In(culture, x.Objective.TitleEn, x.Objective.TitleZh), Value(x.Result.Value, x.Unit),
                text[$"Objective.Direction.{x.Objective.Direction}"], Value(x.Objective.Target, x.Unit), text[$"Objective.Result.{x.Result.Result}"]],
            $"/compliance/objectives/{x.Objective.Id:D}")).ToList();
        return new ReviewInputSection(
            active.Count == 0 ? text["Input.Objectives.None"] : text["Input.Objectives.Summary", Count(ObjectiveRules.Met), active.Count, Count(ObjectiveRules.NotMet), Count(ObjectiveRules.NoData)],
            figures, records);
    }

    private static string Value(decimal? value, string? unit) =>
        value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) + (unit is null ? "" : unit == "%" ? "%" : " " + unit) : "—";
}

/// <summary>
/// Risks and opportunities for a management review (ISO/IEC 20000-1:2018 9.3 e "the effectiveness of actions taken to
/// address risks and opportunities"): the open ones by level, those identified, treated and closed in the period, and the
/// high and critical ones by name.
/// </summary>
public sealed class RisksReviewInput(Database database, Texts<PlanningStrings> text, TimeProvider clock) : IManagementReviewInput
{
    public string Key => ReviewInputKeys.Risks;

    public int Order => 90;

    public string Title => text["Input.Risks"];

    public async Task<ReviewInputSection> CompileAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var all = (await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id, number, kind, title, level, residual_level, status, review_on, created_at, treated_at, closed_at
            FROM cmp_risks WHERE created_at < @to ORDER BY score DESC, number
            """, new { to = to.ToUniversalTime() }, cancellationToken: ct))).ToList();
        bool In(DateTimeOffset? at) => at is { } a && a >= from && a < to;
        var open = all.Where(r => r.Status != "closed").ToList();
        var risks = open.Where(r => r.Kind == "risk").ToList();
        var today = clock.GetLocalNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var serious = risks.Where(r => (r.ResidualLevel ?? r.Level) is "high" or "critical").ToList();
        var figures = new List<CheckFigure>
        {
            new(text["Input.Risks.Open"], risks.Count),
        };
        figures.AddRange(RiskMatrix.LevelKeys.Select(l => new CheckFigure(text["Input.Risks.ByLevel", text[$"Risk.Level.{l}"]], risks.Count(r => (r.ResidualLevel ?? r.Level) == l))));
        figures.Add(new CheckFigure(text["Input.Risks.Opportunities"], open.Count(r => r.Kind == "opportunity")));
        figures.Add(new CheckFigure(text["Input.Risks.New"], all.Count(r => In(r.CreatedAt))));
        figures.Add(new CheckFigure(text["Input.Risks.Treated"], all.Count(r => In(r.TreatedAt))));
        figures.Add(new CheckFigure(text["Input.Risks.Closed"], all.Count(r => In(r.ClosedAt))));
        figures.Add(new CheckFigure(text["Input.Risks.Overdue"], open.Count(r => r.ReviewOn is { } d && string.CompareOrdinal(d, today) < 0)));
        return new ReviewInputSection(
            all.Count == 0 ? text["Input.Risks.None"] : text["Input.Risks.Summary", risks.Count, serious.Count, all.Count(r => In(r.CreatedAt)), all.Count(r => In(r.TreatedAt)), all.Count(r => In(r.ClosedAt))],
            figures,
            [.. serious.Select(r => new EvidenceRecord(r.Reference, $"{r.Title} ({text[$"Risk.Level.{r.ResidualLevel ?? r.Level}"]}, {text[$"Risk.Status.{r.Status}"]})",
                $"/compliance/risks/{r.Id:D}"))]);
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public int Number { get; init; }
        public string Reference => $"RSK-{Number.ToString("D4", CultureInfo.InvariantCulture)}";
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public string Level { get; init; } = "";
        public string? ResidualLevel { get; init; }
        public string Status { get; init; } = "";
        public string? ReviewOn { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? TreatedAt { get; init; }
        public DateTimeOffset? ClosedAt { get; init; }
    }
}
