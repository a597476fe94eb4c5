using System.Globalization;
using Certus.Data;
using Certus.Incidents.Contracts;
using Certus.Kernel.Conformity;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Localization;

namespace Certus.ServiceLevels.Features;

/// <summary>
/// Every live service has a service level agreement in force (ISO/IEC 20000-1:2018 8.3.3, 8.2.4; 2005 6.1): an SLA
/// for the service with an approved version whose effective period covers today.
/// </summary>
public sealed class LiveServicesHaveAgreementCheck(Database database, IStringLocalizer<Strings> text) : IConformityCheck
{
    public string Key => "service-levels.live-services-have-agreement";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("8.3.3"), ClauseRef.Of2018("8.2.4"), ClauseRef.Of2005("6.1")];

    public string Title => text["Check.LiveServices"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var services = (await connection.QueryAsync<(Guid Id, string Code, string NameEn, string NameZh, long Agreements)>(new CommandDefinition(
            """
            SELECT s.id, s.code, s.name_en, s.name_zh,
                (SELECT count(*) FROM sla_agreements a WHERE a.kind = 'sla' AND a.service_id = s.id
                   AND EXISTS (SELECT 1 FROM sla_agreement_versions v WHERE v.agreement_id = a.id AND v.status = 'approved'
                               AND v.effective_from <= @now AND (v.effective_to IS NULL OR v.effective_to > @now))) AS agreements
            FROM sla_services s WHERE s.lifecycle = 'live' ORDER BY s.code
            """, new { now }, cancellationToken: ct))).ToList();
        var without = services.Where(s => s.Agreements == 0).ToList();
        var zh = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        var figures = new List<CheckFigure> { new(text["Check.LiveServices.Live"], services.Count), new(text["Check.LiveServices.Without"], without.Count) };
        if (services.Count == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.LiveServices.None"], figures, []);
        }
        return without.Count == 0
            ? new CheckResult(CheckVerdict.Conforming, text["Check.LiveServices.Ok", services.Count], figures, [])
            : new CheckResult(CheckVerdict.Gap, text["Check.LiveServices.Gap", without.Count], figures,
                [.. without.Take(50).Select(s => new EvidenceRecord(s.Code, zh ? s.NameZh : s.NameEn, $"/services/{s.Id:D}"))]);
    }
}

/// <summary>
/// SLA attainment this quarter (ISO/IEC 20000-1:2018 8.3.3, 9.1; 2005 6.1, 4.3): the resolution clocks of customer SLAs
/// that stopped this calendar quarter, met or breached; a gap when attainment falls below
/// <c>Certus:ServiceLevels:AttainmentTarget</c> (percent, default 95). The breaches are the records behind it.
/// </summary>
public sealed class SlaAttainmentCheck(Database database, IEnumerable<IIncidentEscalation> incidents, IConfiguration configuration, IStringLocalizer<Strings> text)
    : IConformityCheck
{
    public string Key => "service-levels.attainment-this-quarter";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("8.3.3"), ClauseRef.Of2018("9.1"), ClauseRef.Of2005("6.1"), ClauseRef.Of2005("4.3")];

    public string Title => text["Check.Attainment"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var target = configuration.GetValue("Certus:ServiceLevels:AttainmentTarget", 95m);
        var local = now.ToLocalTime();
        var quarterStart = new DateTimeOffset(local.Year, ((local.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, local.Offset);
        await using var connection = await database.OpenAsync(ct);
        var clocks = (await connection.QueryAsync<(Guid IncidentId, DateTimeOffset? BreachedAt)>(new CommandDefinition(
            """
            SELECT c.incident_id, c.breached_at FROM sla_clocks c JOIN sla_agreements a ON a.id = c.agreement_id
            WHERE a.kind = 'sla' AND c.metric = 'resolution' AND c.state = 'stopped' AND c.stopped_at >= @from AND c.stopped_at < @to
            """, new { from = quarterStart, to = quarterStart.AddMonths(3) }, cancellationToken: ct))).ToList();
        var breached = clocks.Where(c => c.BreachedAt is not null).ToList();
        var figures = new List<CheckFigure> { new(text["Check.Attainment.Met"], clocks.Count - breached.Count), new(text["Check.Attainment.Breached"], breached.Count) };
        if (clocks.Count == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.Attainment.None"], figures, []);
        }
        var percent = Math.Round(100m * (clocks.Count - breached.Count) / clocks.Count, 1);
        figures.Add(new CheckFigure(text["Check.Attainment.Percent"], percent, "%"));
        figures.Add(new CheckFigure(text["Check.Attainment.Target"], target, "%"));
        var records = await RecordsAsync(breached.Select(b => b.IncidentId).Distinct().Take(50).ToList(), ct);
        return percent >= target
            ? new CheckResult(CheckVerdict.Conforming, text["Check.Attainment.Ok", percent, target], figures, records)
            : new CheckResult(CheckVerdict.Gap, text["Check.Attainment.Gap", percent, target], figures, records);
    }

    private async Task<List<EvidenceRecord>> RecordsAsync(List<Guid> ids, CancellationToken ct)
    {
        var records = new List<EvidenceRecord>();
        if (ids.Count == 0 || incidents.FirstOrDefault() is not { } lookup)
        {
            return records;
        }
        // A read transaction: the lookup wants one, and a plain BEGIN on SQLite would take the write lock and wait
        // behind every writer (a check must not write, nor hold writers up).
        return await database.ReadAsync(async (connection, tx) =>
        {
            foreach (var id in ids)
            {
                if (await lookup.FindAsync(id, connection, tx, ct) is { } facts)
                {
                    records.Add(new EvidenceRecord($"INC-{facts.Number.ToString("D6", CultureInfo.InvariantCulture)}", text["Check.Attainment.BreachRecord"],
                        $"/incidents/{facts.Number.ToString(CultureInfo.InvariantCulture)}"));
                }
            }
            return records;
        }, ct);
    }
}
