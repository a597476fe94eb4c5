using Certus.Data;
using Certus.Kernel.Conformity;
using Certus.Kernel.Errors;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Competence.Features;

/// <summary>Planned training sessions of the period that were held, in per cent (ISO/IEC 20000-1:2018 7.2; an objective such as "training plan ≥ 90 % done").</summary>
public sealed class TrainingPlanCompletionMeasure(Database database, Texts<Strings> text) : IObjectiveMeasure
{
    public string Key => "competence.training-plan-completion";

    public string Title => text["Measure.Completion.Title"];

    public string? Unit => "%";

    public MeasureDirection Direction => MeasureDirection.AtLeast;

    /// <summary>Sessions of the plan whose first day falls in [from, to); cancelled ones count as planned and not held.</summary>
    public async Task<MeasureValue> MeasureAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT s.id, c.code, c.title_en, c.title_zh, s.starts_on, s.status FROM cpt_sessions s JOIN cpt_courses c ON c.id = s.course_id
            WHERE s.in_plan = @yes AND s.starts_on >= @from AND s.starts_on < @to ORDER BY s.starts_on
            """, new { yes = true, from = CalendarDates.Day(from), to = CalendarDates.Day(to) }, cancellationToken: ct))).ToList();
        var held = rows.Count(r => r.Status == "held");
        var figures = new List<CheckFigure> { new(text["Check.Plan.Planned"], rows.Count), new(text["Check.Plan.Held"], held) };
        if (rows.Count == 0)
        {
            return MeasureValue.Nothing([.. figures]);
        }
        return new MeasureValue(Math.Round(held * 100m / rows.Count, 1), figures,
            [.. rows.Where(r => r.Status != "held").Take(50).Select(r => new EvidenceRecord($"{r.Code} {r.StartsOn}", Dates.Pick(r.TitleEn, r.TitleZh), $"/competence/sessions/{r.Id}"))]);
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public string Code { get; init; } = "";
        public string TitleEn { get; init; } = "";
        public string TitleZh { get; init; } = "";
        public string StartsOn { get; init; } = "";
        public string Status { get; init; } = "";
    }
}

/// <summary>Exams passed out of exams sat, in sessions held in the period (the internal auditor course ends in an exam, seed 003).</summary>
public sealed class ExamPassRateMeasure(Database database, Texts<Strings> text) : IObjectiveMeasure
{
    public string Key => "competence.exam-pass-rate";

    public string Title => text["Measure.PassRate.Title"];

    public string? Unit => "%";

    public MeasureDirection Direction => MeasureDirection.AtLeast;

    /// <summary>Scores recorded for sessions whose first day falls in [from, to).</summary>
    public async Task<MeasureValue> MeasureAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT s.id, c.code, s.starts_on, a.passed FROM cpt_attendance a JOIN cpt_sessions s ON s.id = a.session_id JOIN cpt_courses c ON c.id = s.course_id
            WHERE s.status = 'held' AND a.score IS NOT NULL AND s.starts_on >= @from AND s.starts_on < @to
            """, new { from = CalendarDates.Day(from), to = CalendarDates.Day(to) }, cancellationToken: ct))).ToList();
        var passed = rows.Count(r => r.Passed == true);
        var figures = new List<CheckFigure> { new(text["Measure.PassRate.Sat"], rows.Count), new(text["Measure.PassRate.Passed"], passed) };
        if (rows.Count == 0)
        {
            return MeasureValue.Nothing([.. figures]);
        }
        return new MeasureValue(Math.Round(passed * 100m / rows.Count, 1), figures,
            [.. rows.DistinctBy(r => r.Id).Take(50).Select(r => new EvidenceRecord($"{r.Code} {r.StartsOn}", r.Code, $"/competence/sessions/{r.Id}"))]);
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public string Code { get; init; } = "";
        public string StartsOn { get; init; } = "";
        public bool? Passed { get; init; }
    }
}
