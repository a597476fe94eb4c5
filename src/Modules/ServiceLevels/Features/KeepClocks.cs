using System.Data.Common;
using Certus.Incidents.Contracts;
using Certus.Kernel.Events;
using Certus.ServiceLevels.Domain;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>
/// Keeps an incident's SLA clocks in step with the incident, in the same transaction as the change (ISO 20000-1:2018
/// 8.3.3). The SLA for the incident's customer and service starts timing at logging; the OLA of the group that holds
/// the incident starts when the group takes it, and another group's OLA clock is taken out of the figures. Each
/// clock stays on the agreement version it started under.
/// </summary>
public sealed class KeepClocks(ClockCalendars calendars) : IDomainEventHandler<IncidentChanged>
{
    private static readonly string[] Finished = ["resolved", "closed", "cancelled"];

    public async Task HandleAsync(IncidentChanged domainEvent, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var (incident, at) = (domainEvent.Incident, domainEvent.At);
        var ct = cancellationToken;
        // A just-logged incident has no clocks yet: no need to look.
        var rows = domainEvent.PreviousStatus is null ? [] : await ClockStore.ForIncidentAsync(connection, transaction, incident.Id, ct);
        var service = await ServicePortfolio.FindByRefAsync(connection, transaction, incident.ServiceRef, ct);
        var wanted = new List<AgreementTerms>();
        if (await MatchAsync(connection, transaction, AgreementKind.Sla, incident.OrganisationId, service?.Id, incident.CreatedAt, ct) is { } sla)
        {
            wanted.Add(sla);
        }
        if (incident.AssignmentGroupId is { } group && await MatchAsync(connection, transaction, AgreementKind.Ola, group, service?.Id, at, ct) is { } ola)
        {
            wanted.Add(ola);
        }

        foreach (var row in rows.Where(r => r.State != "cancelled" && !wanted.Any(w => w.AgreementId == r.AgreementId)))
        {
            // The agreement no longer applies (another service or group): the clock leaves the figures.
            var calendar = await calendars.ForAsync(row.CalendarId, connection, transaction, ct);
            var clock = row.ToClock();
            clock.Cancel(at, calendar);
            await SaveAsync(connection, transaction, row.AgreementId, row.VersionId, row.CalendarId, incident, service?.Id, row, clock, at, ct);
        }

        foreach (var fresh in wanted)
        {
            var existingRows = rows.Where(r => r.AgreementId == fresh.AgreementId).ToList();
            // A clock keeps the version it started under; only new clocks take the version in force now.
            var terms = existingRows.Count > 0 ? await TermsOfVersionAsync(connection, transaction, existingRows[0], ct) : fresh;
            var calendar = await calendars.ForAsync(terms.CalendarId, connection, transaction, ct);
            foreach (var metric in new[] { SlaMetric.Response, SlaMetric.Resolution })
            {
                var existing = existingRows.FirstOrDefault(r => r.Metric == metric.Key());
                var target = terms.Target(metric, incident.Priority);
                SlaClock clock;
                if (existing is null)
                {
                    if (target is null)
                    {
                        continue;
                    }
                    var start = terms.Kind == AgreementKind.Sla ? incident.CreatedAt : at;
                    clock = SlaClock.Start(metric, incident.Priority, target.Value, start, calendar, terms.WarningPercent);
                }
                else
                {
                    clock = existing.ToClock();
                    if (existing.Priority != incident.Priority)
                    {
                        clock.Retarget(incident.Priority, target ?? existing.TargetMinutes, calendar, terms.WarningPercent);
                    }
                }
                Apply(clock, incident, at, calendar, terms);
                await SaveAsync(connection, transaction, terms.AgreementId, terms.VersionId, terms.CalendarId, incident, service?.Id, existing, clock, at, ct);
            }
        }
    }

    /// <summary>The clock rules: pause in the agreement's pause statuses, stop at response and resolution, and on reopen resume or restart.</summary>
    internal static void Apply(SlaClock clock, IncidentFacts incident, DateTimeOffset at, BusinessCalendar calendar, AgreementTerms terms)
    {
        var status = incident.Status;
        if (status == "cancelled")
        {
            if (clock.State is ClockState.Running or ClockState.Paused)
            {
                clock.Cancel(at, calendar);
            }
            return;
        }
        var finished = Finished.Contains(status, StringComparer.Ordinal);
        if (clock.Metric == SlaMetric.Response)
        {
            if (incident.FirstResponseAt is { } responded)
            {
                clock.Stop(responded, calendar);
                return;
            }
            if (finished)
            {
                clock.Stop(at, calendar);
                return;
            }
        }
        else if (finished)
        {
            clock.Stop(incident.ResolvedAt ?? at, calendar);
            return;
        }
        else if (clock.State is ClockState.Stopped or ClockState.Cancelled)
        {
            clock.Reopen(at, terms.OnReopen, calendar, terms.WarningPercent);
        }
        if (terms.PausesIn(status))
        {
            clock.Pause(at, calendar);
        }
        else
        {
            clock.Resume(at, calendar, terms.WarningPercent);
        }
    }

    private static async Task SaveAsync(
        DbConnection connection, DbTransaction tx, Guid agreementId, Guid versionId, Guid? calendarId, IncidentFacts incident, Guid? serviceId,
        ClockRow? before, SlaClock clock, DateTimeOffset at, CancellationToken ct)
    {
        await ClockStore.SaveAsync(connection, tx, incident.Id, agreementId, versionId, calendarId, incident.OrganisationId, serviceId, clock, isNew: before is null, ct);
        var metric = clock.Metric.Key();
        var wasPaused = before?.State == "paused";
        if (!wasPaused && clock.State == ClockState.Paused)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO sla_clock_pauses (incident_id, agreement_id, metric, paused_at, status) VALUES (@id, @agreementId, @metric, @at, @status)
                ON CONFLICT DO NOTHING
                """,
                new { id = incident.Id, agreementId, metric, at, status = incident.Status }, tx, cancellationToken: ct));
        }
        else if (wasPaused && clock.State != ClockState.Paused)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE sla_clock_pauses SET resumed_at = @at WHERE incident_id = @id AND agreement_id = @agreementId AND metric = @metric AND resumed_at IS NULL",
                new { id = incident.Id, agreementId, metric, at }, tx, cancellationToken: ct));
        }
        if (clock.BreachedAt is { } breached && before?.BreachedAt is null && clock.State != ClockState.Cancelled)
        {
            await Breaches.RecordAsync(connection, tx, incident.Id, agreementId, clock.Metric, incident.OrganisationId, serviceId, clock.Priority,
                breached, breached, ct);
        }
    }

    private static async Task<AgreementTerms?> MatchAsync(
        DbConnection connection, DbTransaction tx, AgreementKind kind, Guid party, Guid? serviceId, DateTimeOffset at, CancellationToken ct)
    {
        var partyColumn = kind == AgreementKind.Sla ? "a.organisation_id" : "a.group_id";
        var serviceCondition = serviceId is null ? "a.service_id IS NULL" : "(a.service_id = @serviceId OR a.service_id IS NULL)";
        // A service-specific agreement wins over one covering every service of the customer or group. The version's
        // targets come in the same query, one row per priority, the best match's rows first.
        var rows = (await connection.QueryAsync<MatchRow>(new CommandDefinition(
            $"""
            SELECT a.id AS agreement_id, a.kind AS kind_key, v.id AS version_id, v.calendar_id, v.warning_percent, v.pause_statuses, v.on_reopen AS on_reopen_key,
                t.priority, t.response_minutes, t.resolution_minutes
            FROM sla_agreements a JOIN sla_agreement_versions v ON v.agreement_id = a.id
                LEFT JOIN sla_targets t ON t.version_id = v.id
            WHERE a.kind = @kind AND {partyColumn} = @party AND {serviceCondition}
                AND v.status = 'approved' AND v.effective_from <= @at AND (v.effective_to IS NULL OR v.effective_to > @at)
            ORDER BY CASE WHEN a.service_id IS NULL THEN 1 ELSE 0 END, v.effective_from DESC, v.id, t.priority
            """,
            new { kind = kind.Key(), party, serviceId, at }, tx, cancellationToken: ct))).AsList();
        if (rows.Count == 0)
        {
            return null;
        }
        var best = rows[0];
        return new AgreementTerms
        {
            AgreementId = best.AgreementId, KindKey = best.KindKey, VersionId = best.VersionId, CalendarId = best.CalendarId,
            WarningPercent = best.WarningPercent, PauseStatuses = best.PauseStatuses, OnReopenKey = best.OnReopenKey,
            Targets = [.. rows.TakeWhile(r => r.VersionId == best.VersionId).Where(r => r.Priority is not null)
                .Select(r => new TargetView(r.Priority!.Value, r.ResponseMinutes, r.ResolutionMinutes))],
        };
    }

    private static async Task<AgreementTerms> TermsOfVersionAsync(DbConnection connection, DbTransaction tx, ClockRow row, CancellationToken ct)
    {
        var terms = new AgreementTerms
        {
            AgreementId = row.AgreementId, KindKey = row.Kind, VersionId = row.VersionId, CalendarId = row.CalendarId, WarningPercent = row.WarningPercent,
            PauseStatuses = row.PauseStatuses, OnReopenKey = row.OnReopen,
        };
        await LoadTargetsAsync(connection, tx, terms, ct);
        return terms;
    }

    private static async Task LoadTargetsAsync(DbConnection connection, DbTransaction tx, AgreementTerms terms, CancellationToken ct) =>
        terms.Targets = [.. (await TargetView.LoadAsync(connection, tx, "version_id = @versionId", new { versionId = terms.VersionId }, ct)).Select(t => t.Target)];
}

/// <summary>An agreement version that matches, with one of its targets.</summary>
internal sealed class MatchRow
{
    public Guid AgreementId { get; init; }
    public string KindKey { get; init; } = "";
    public Guid VersionId { get; init; }
    public Guid? CalendarId { get; init; }
    public int WarningPercent { get; init; }
    public string PauseStatuses { get; init; } = "";
    public string OnReopenKey { get; init; } = "";
    public int? Priority { get; init; }
    public int? ResponseMinutes { get; init; }
    public int? ResolutionMinutes { get; init; }
}

/// <summary>The terms of one agreement version that a clock needs.</summary>
public sealed class AgreementTerms
{
    public Guid AgreementId { get; init; }
    public string KindKey { get; init; } = "";
    public AgreementKind Kind => ServiceLevelNames.ParseKind(KindKey)!.Value;
    public Guid VersionId { get; init; }
    public Guid? CalendarId { get; init; }
    public int WarningPercent { get; init; }
    public string PauseStatuses { get; init; } = "";
    public string OnReopenKey { get; init; } = "";
    public ReopenPolicy OnReopen => ServiceLevelNames.ParseReopen(OnReopenKey) ?? ReopenPolicy.Resume;
    public IReadOnlyList<TargetView> Targets { get; set; } = [];

    public bool PausesIn(string status) => PauseStatuses.Split(',').Contains(status, StringComparer.Ordinal);

    public int? Target(SlaMetric metric, int priority) =>
        Targets.FirstOrDefault(t => t.Priority == priority) is { } t ? metric == SlaMetric.Response ? t.ResponseMinutes : t.ResolutionMinutes : null;
}
