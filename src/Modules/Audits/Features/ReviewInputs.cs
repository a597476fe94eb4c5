using System.Globalization;
using Certus.Audits.Contracts;
using Certus.Data;
using Certus.Improvement.Contracts;
using Certus.Incidents.Contracts;
using Certus.Kernel.Conformity;
using Certus.Kernel.Errors;
using Certus.ServiceLevels.Contracts;
using Dapper;

namespace Certus.Audits.Features;

/// <summary>SLA attainment and breaches of the period (ISO/IEC 20000-1:2018 9.3 c; manual §3.3.2).</summary>
public sealed class ServiceLevelInput(IServiceLevelFigures figures, Texts<Strings> text) : IManagementReviewInput
{
    public string Key => ReviewInputKeys.ServiceLevels;

    public int Order => 30;

    public string Title => text["Input.service-levels"];

    public async Task<ReviewInputSection> CompileAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var f = await figures.ForPeriodAsync(from, to, ct);
        return new ReviewInputSection(
            f.AttainmentPercent is { } p ? text["Input.Sla.Summary", p.ToString("0.#", CultureInfo.InvariantCulture), f.Met + f.Breached] : text["Input.Sla.None"],
            [
                new(text["Input.Sla.Attainment"], (decimal)(f.AttainmentPercent ?? 0), "%"), new(text["Input.Sla.Met"], f.Met), new(text["Input.Sla.Breached"], f.Breached),
                new(text["Input.Sla.ResponseBreaches"], f.ResponseBreaches), new(text["Input.Sla.ResolutionBreaches"], f.ResolutionBreaches),
            ],
            [new EvidenceRecord(text["Input.Sla.Report"], text["Input.Sla.Report"], "/service-levels/attainment")]);
    }
}

/// <summary>Major incidents of the period (ISO/IEC 20000-1:2018 9.3; 8.6.1).</summary>
public sealed class MajorIncidentInput(IMajorIncidentLog log, Texts<Strings> text) : IManagementReviewInput
{
    public string Key => ReviewInputKeys.MajorIncidents;

    public int Order => 80;

    public string Title => text["Input.major-incidents"];

    public async Task<ReviewInputSection> CompileAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var incidents = await log.LoggedAsync(from, to, ct);
        return new ReviewInputSection(text.Count("Input.Major.Summary", incidents.Count),
            [new(text["Input.Major.Count"], incidents.Count), new(text["Input.Major.Unresolved"], incidents.Count(i => i.ResolvedAt is null))],
            [.. incidents.Select(i => new EvidenceRecord(i.Number, i.Title, i.Path))]);
    }
}

/// <summary>Customer satisfaction as callers rated it when confirming resolutions (ISO/IEC 20000-1:2018 9.3 c; 8.3.2; manual §6.2).</summary>
public sealed class CustomerSatisfactionInput(ICustomerSatisfaction satisfaction, Texts<Strings> text) : IManagementReviewInput
{
    public string Key => ReviewInputKeys.CustomerSatisfaction;

    public int Order => 40;

    public string Title => text["Input.customer-satisfaction"];

    public async Task<ReviewInputSection> CompileAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var f = await satisfaction.ForPeriodAsync(from, to, ct);
        var summary = f is { Responses: > 0, Average: { } average, SatisfiedPercent: { } satisfied }
            ? text["Input.Csat.Summary", f.Responses, f.Closed, satisfied.ToString("0.#", CultureInfo.InvariantCulture), average.ToString("0.0#", CultureInfo.InvariantCulture)]
            : text["Input.Csat.None", f.Closed];
        return new ReviewInputSection(summary,
            [
                new(text["Input.Csat.Responses"], f.Responses), new(text["Input.Csat.Closed"], f.Closed),
                new(text["Input.Csat.Satisfied"], f.SatisfiedPercent ?? 0, "%"), new(text["Input.Csat.Average"], f.Average ?? 0, "/ 5"),
                .. f.ByScore.Select((n, i) => new CheckFigure(text["Input.Csat.Score", i + 1], n)),
            ],
            [.. f.Dissatisfied.Select(r => new EvidenceRecord(r.Number, $"{new string('★', r.Score)} {r.Title}{(r.Comment is null ? "" : " — " + r.Comment)}", r.Path))]);
    }
}

/// <summary>Nonconformities and corrective actions (ISO/IEC 20000-1:2018 9.3 c; 10.1).</summary>
public sealed class NonconformityInput(INonconformityRegister register, TimeProvider clock, Texts<Strings> text) : IManagementReviewInput
{
    public string Key => ReviewInputKeys.Nonconformities;

    public int Order => 60;

    public string Title => text["Input.nonconformities"];

    public async Task<ReviewInputSection> CompileAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var f = await register.NonconformitiesAsync(from, to, clock.GetUtcNow(), ct);
        return new ReviewInputSection(text["Input.Nc.Summary", f.Raised, f.Closed, f.Open, f.OpenPastDue],
            [
                new(text["Input.Nc.Raised"], f.Raised), new(text["Input.Nc.Closed"], f.Closed), new(text["Input.Nc.Open"], f.Open),
                new(text["Input.Nc.PastDue"], f.OpenPastDue), new(text["Input.Nc.Effective"], f.CorrectiveActionsEffective),
                new(text["Input.Nc.Ineffective"], f.CorrectiveActionsIneffective),
                .. f.RaisedBySource.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new CheckFigure(text["Input.Nc.FromSource", text[$"Nc.Source.{s.Key}"]], s.Value)),
            ],
            [.. f.OpenRecords.Select(n => new EvidenceRecord(n.Number, n.Title, n.Path))]);
    }
}

/// <summary>Improvement proposals (ISO/IEC 20000-1:2018 9.3; 10.2).</summary>
public sealed class ImprovementInput(INonconformityRegister register, Texts<Strings> text) : IManagementReviewInput
{
    public string Key => ReviewInputKeys.Improvements;

    public int Order => 100;

    public string Title => text["Input.improvements"];

    public async Task<ReviewInputSection> CompileAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var f = await register.ImprovementsAsync(from, to, ct);
        return new ReviewInputSection(text["Input.Imp.Summary", f.Proposed, f.Done, f.Open],
            [new(text["Input.Imp.Proposed"], f.Proposed), new(text["Input.Imp.Done"], f.Done), new(text["Input.Imp.Open"], f.Open)],
            [.. f.OpenRecords.Select(i => new EvidenceRecord(i.Number, i.Title, i.Path))]);
    }
}

/// <summary>Results of the internal audits reported in the period (ISO/IEC 20000-1:2018 9.3 c; manual §3.4.3).</summary>
public sealed class AuditResultsInput(Database database, Texts<Strings> text) : IManagementReviewInput
{
    public string Key => ReviewInputKeys.AuditResults;

    public int Order => 50;

    public string Title => text["Input.audit-results"];

    public async Task<ReviewInputSection> CompileAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var audits = (await connection.QueryAsync<(Guid Id, string Number, string Title)>(new CommandDefinition(
            "SELECT id, number, title FROM aud_audits WHERE status IN ('reported', 'closed') AND reported_at >= @from AND reported_at < @to ORDER BY reported_at",
            new { from, to }, cancellationToken: ct))).ToList();
        var ids = audits.Select(a => a.Id).ToArray();
        var findings = ids.Length == 0 ? [] : (await connection.QueryAsync<(string Kind, string Status)>(new CommandDefinition(
            $"SELECT kind, status FROM aud_findings WHERE {database.Dialect.In("audit_id", "ids")}", new { ids }, cancellationToken: ct))).ToList();
        int Count(string kind) => findings.Count(f => f.Kind == kind);
        return new ReviewInputSection(text["Input.Audit.Summary", audits.Count, Count("major"), Count("minor"), Count("observation")],
            [
                new(text["Input.Audit.Count"], audits.Count), new(text["Finding.Kind.major"], Count("major")), new(text["Finding.Kind.minor"], Count("minor")),
                new(text["Finding.Kind.observation"], Count("observation")), new(text["Finding.Kind.conformity"], Count("conformity")),
                new(text["Input.Audit.OpenFindings"], findings.Count(f => f.Status == "open")),
            ],
            [.. audits.Select(a => new EvidenceRecord(a.Number, a.Title, $"/audits/{a.Id}"))]);
    }
}

/// <summary>What became of the actions of earlier management reviews (ISO/IEC 20000-1:2018 9.3 a).</summary>
public sealed class PreviousActionsInput(Database database, Texts<Strings> text) : IManagementReviewInput
{
    public string Key => ReviewInputKeys.PreviousActions;

    public int Order => 10;

    public string Title => text["Input.previous-actions"];

    public async Task<ReviewInputSection> CompileAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var actions = (await connection.QueryAsync<(Guid ReviewId, string Review, int Number, string Text, string Status)>(new CommandDefinition(
            """
            SELECT r.id, r.number, a.number, a.text, a.status FROM aud_review_actions a JOIN aud_reviews r ON r.id = a.review_id
            WHERE a.kind = 'action' AND r.held_at < @to AND (a.status = 'open' OR a.updated_at >= @from)
            ORDER BY r.number, a.number
            """, new { from, to }, cancellationToken: ct))).ToList();
        var open = actions.Count(a => a.Status == "open");
        return new ReviewInputSection(text["Input.Previous.Summary", actions.Count - open, open],
            [new(text["Input.Previous.Done"], actions.Count(a => a.Status == "done")), new(text["Input.Previous.Open"], open)],
            [.. actions.Where(a => a.Status == "open").Select(a => new EvidenceRecord($"{a.Review} #{a.Number}", a.Text, $"/management-reviews/{a.ReviewId}"))]);
    }
}
