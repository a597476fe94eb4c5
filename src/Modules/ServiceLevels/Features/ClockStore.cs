using System.Data.Common;
using Certus.ServiceLevels.Domain;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>A stored SLA clock with the agreement terms it runs under.</summary>
public sealed class ClockRow
{
    public Guid IncidentId { get; init; }
    public Guid AgreementId { get; init; }
    public string Metric { get; init; } = "";
    public Guid VersionId { get; init; }
    public Guid? CalendarId { get; init; }
    public Guid OrganisationId { get; init; }
    public Guid? ServiceId { get; init; }
    public int Priority { get; init; }
    public int TargetMinutes { get; init; }
    public string State { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? RunningSince { get; init; }
    public double ElapsedMinutes { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? WarnAt { get; init; }
    public DateTimeOffset? StoppedAt { get; init; }
    public DateTimeOffset? WarnedAt { get; init; }
    public DateTimeOffset? BreachedAt { get; init; }

    // From the agreement version, joined in.
    public string Kind { get; init; } = "";
    public int WarningPercent { get; init; }
    public string PauseStatuses { get; init; } = "";
    public string OnReopen { get; init; } = "";

    public SlaClock ToClock() => SlaClock.Restore(
        ServiceLevelNames.ParseMetric(Metric)!.Value, Priority, TargetMinutes, ServiceLevelNames.ParseState(State)!.Value, StartedAt, RunningSince,
        ElapsedMinutes, DueAt, WarnAt, StoppedAt, WarnedAt, BreachedAt);

    internal const string Select = """
        SELECT c.incident_id, c.agreement_id, c.metric, c.version_id, NULLIF(c.calendar_id, @noCalendar) AS calendar_id, c.organisation_id, c.service_id,
            c.priority, c.target_minutes, c.state, c.started_at, c.running_since, c.elapsed_minutes, c.due_at, c.warn_at, c.stopped_at, c.warned_at,
            c.breached_at, a.kind, v.warning_percent, v.pause_statuses, v.on_reopen
        FROM sla_clocks c
        JOIN sla_agreements a ON a.id = c.agreement_id
        JOIN sla_agreement_versions v ON v.id = c.version_id
        """;
}

/// <summary>Reads and writes clock rows. A clock without a calendar (24×7) is stored with the empty id.</summary>
internal static class ClockStore
{
    public static readonly Guid NoCalendar = Guid.Empty;

    public static async Task<List<ClockRow>> ForIncidentAsync(DbConnection connection, DbTransaction? tx, Guid incidentId, CancellationToken ct) =>
        (await connection.QueryAsync<ClockRow>(new CommandDefinition(
            ClockRow.Select + " WHERE c.incident_id = @incidentId ORDER BY a.kind, c.metric DESC",
            new { incidentId, noCalendar = NoCalendar }, tx, cancellationToken: ct))).ToList();

    /// <summary>Writes the clock; with <c>isNew</c> (no clock yet for this incident, agreement and metric) a plain insert does.</summary>
    public static Task SaveAsync(
        DbConnection connection, DbTransaction tx, Guid incidentId, Guid agreementId, Guid versionId, Guid? calendarId, Guid organisationId, Guid? serviceId,
        SlaClock clock, bool isNew, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            isNew ? Insert : InsertOrUpdate,
            new
            {
                incidentId, agreementId, metric = clock.Metric.Key(), versionId, calendarId = calendarId ?? NoCalendar, organisationId, serviceId,
                clock.Priority, clock.TargetMinutes, state = clock.State.Key(), clock.StartedAt, clock.RunningSince, clock.ElapsedMinutes, clock.DueAt,
                clock.WarnAt, clock.StoppedAt, clock.WarnedAt, clock.BreachedAt,
            }, tx, cancellationToken: ct));

    private const string Insert = """
        INSERT INTO sla_clocks (incident_id, agreement_id, metric, version_id, calendar_id, organisation_id, service_id, priority, target_minutes, state,
            started_at, running_since, elapsed_minutes, due_at, warn_at, stopped_at, warned_at, breached_at)
        VALUES (@incidentId, @agreementId, @metric, @versionId, @calendarId, @organisationId, @serviceId, @Priority, @TargetMinutes, @state,
            @StartedAt, @RunningSince, @ElapsedMinutes, @DueAt, @WarnAt, @StoppedAt, @WarnedAt, @BreachedAt)
        """;

    private const string InsertOrUpdate = Insert + Upsert;

    private const string Upsert = """

        ON CONFLICT (incident_id, agreement_id, metric) DO UPDATE SET
            organisation_id = excluded.organisation_id, service_id = excluded.service_id, priority = excluded.priority,
            target_minutes = excluded.target_minutes, state = excluded.state, started_at = excluded.started_at, running_since = excluded.running_since,
            elapsed_minutes = excluded.elapsed_minutes, due_at = excluded.due_at, warn_at = excluded.warn_at, stopped_at = excluded.stopped_at,
            warned_at = excluded.warned_at, breached_at = excluded.breached_at
        """;
}
