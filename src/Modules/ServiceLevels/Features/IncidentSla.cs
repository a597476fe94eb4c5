using System.Globalization;
using Certus.Data;
using Certus.Incidents.Contracts;
using Certus.ServiceLevels.Domain;
using Dapper;
using Microsoft.Extensions.Localization;

namespace Certus.ServiceLevels.Features;

/// <summary>One clock as the incident shows it: where it stands now, and why it has the target it has.</summary>
public sealed record ClockView(
    string Metric,
    string State,
    AgreementRef Agreement,
    int Priority,
    int TargetMinutes,
    CalendarRef Calendar,
    DateTimeOffset StartedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? WarnAt,
    DateTimeOffset? StoppedAt,
    double ElapsedMinutes,
    double RemainingMinutes,
    double PercentUsed,
    bool Breached,
    DateTimeOffset? BreachedAt,
    IReadOnlyList<PauseView> Pauses,
    string Explanation);

public sealed record AgreementRef(Guid Id, string Number, string Kind, string Title, int Version);

public sealed record CalendarRef(Guid? Id, string Name, string TimeZone);

public sealed record PauseView(DateTimeOffset PausedAt, DateTimeOffset? ResumedAt, string Status);

/// <summary>The <c>sla</c> block of an incident.</summary>
public sealed record IncidentSlaView(DateTimeOffset At, IReadOnlyList<ClockView> Clocks);

/// <summary>Tells incident management about an incident's clocks (its <c>sla</c> block, the breaching-soon queue, the page panel).</summary>
public sealed class IncidentSla(Database database, ClockCalendars calendars, IStringLocalizer<Strings> text, TimeProvider clock) : IIncidentSla
{
    public string AtRiskIncidentsSql => "SELECT incident_id FROM sla_clocks WHERE state = 'running' AND (warned_at IS NOT NULL OR warn_at <= @slaNow)";

    public string PanelComponent => "IncidentSla";

    public async Task<object?> DescribeAsync(Guid incidentId, CancellationToken ct) => await ViewAsync(incidentId, ct);

    public async Task<IncidentSlaView?> ViewAsync(Guid incidentId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await ClockStore.ForIncidentAsync(connection, null, incidentId, ct);
        if (rows.Count == 0)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var agreements = (await connection.QueryAsync<(Guid Id, long Number, string Kind, string Title)>(new CommandDefinition(
            $"SELECT id, number, kind, title FROM sla_agreements WHERE {database.Dialect.In("id", "ids")}",
            new { ids = rows.Select(r => r.AgreementId).Distinct().ToArray() }, cancellationToken: ct))).ToDictionary(a => a.Id);
        var versions = (await connection.QueryAsync<(Guid Id, int Number)>(new CommandDefinition(
            $"SELECT id, number FROM sla_agreement_versions WHERE {database.Dialect.In("id", "ids")}",
            new { ids = rows.Select(r => r.VersionId).Distinct().ToArray() }, cancellationToken: ct))).ToDictionary(v => v.Id, v => v.Number);
        var pauses = (await connection.QueryAsync<(Guid AgreementId, string Metric, DateTimeOffset PausedAt, DateTimeOffset? ResumedAt, string Status)>(new CommandDefinition(
            "SELECT agreement_id, metric, paused_at, resumed_at, status FROM sla_clock_pauses WHERE incident_id = @incidentId ORDER BY paused_at",
            new { incidentId }, cancellationToken: ct))).ToList();
        var clocks = new List<ClockView>();
        foreach (var row in rows)
        {
            var calendar = await calendars.ForAsync(row.CalendarId, connection, null, ct);
            var calendarRef = await ClockCalendars.DescribeAsync(row.CalendarId, connection, ct);
            var slaClock = row.ToClock();
            var elapsed = slaClock.ElapsedAt(now, calendar);
            var a = agreements[row.AgreementId];
            var agreement = new AgreementRef(a.Id, $"{a.Kind.ToUpperInvariant()}-{a.Number:D4}", a.Kind, a.Title, versions[row.VersionId]);
            var breached = slaClock.IsBreached || (slaClock.State == ClockState.Running && slaClock.DueAt <= now);
            clocks.Add(new ClockView(
                row.Metric, row.State, agreement, row.Priority, row.TargetMinutes, calendarRef, row.StartedAt, row.DueAt, row.WarnAt, row.StoppedAt,
                Math.Round(elapsed, 1), Math.Round(row.TargetMinutes - elapsed, 1), Math.Round(elapsed * 100 / row.TargetMinutes, 1), breached,
                slaClock.BreachedAt ?? (breached ? row.DueAt : null),
                [.. pauses.Where(p => p.AgreementId == row.AgreementId && p.Metric == row.Metric).Select(p => new PauseView(p.PausedAt, p.ResumedAt, p.Status))],
                text["Clock.Explanation", agreement.Number, agreement.Version, agreement.Title, row.Priority, text[$"Metric.{row.Metric}"],
                    row.TargetMinutes.ToString("N0", CultureInfo.CurrentCulture), calendarRef.Name, calendarRef.TimeZone, row.WarningPercent,
                    text[$"PauseStatuses"] + " " + row.PauseStatuses]));
        }
        return new IncidentSlaView(now, clocks);
    }
}
