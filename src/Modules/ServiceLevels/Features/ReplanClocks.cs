using System.Data.Common;
using System.Diagnostics;
using Certus.Data;
using Certus.ServiceLevels.Domain;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>
/// Works out due and warning times again for every running clock on a calendar after the calendar changed. The
/// edit only records the request (<c>sla_replans</c>, in the edit's transaction); the evaluation job works it off in
/// batches, so an edit never holds the database while a million clocks are recomputed.
/// </summary>
public sealed class ReplanClocks(Database database, ClockCalendars calendars)
{
    private const int Batch = 5_000;

    /// <summary>
    /// What a replan did and how long its parts took: clocks planned again, of which <paramref name="Moved"/> got a new
    /// due or warning time (only those are written).
    /// </summary>
    public sealed record Result(long Clocks, long Moved, TimeSpan Computing, TimeSpan Total);

    /// <summary>Records, in the caller's transaction, that the calendar's running clocks need new due times.</summary>
    public static Task RequestAsync(DbConnection connection, DbTransaction tx, Guid calendarId, DateTimeOffset at, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sla_replans (calendar_id, requested_at) VALUES (@calendarId, @at)
            ON CONFLICT (calendar_id) DO UPDATE SET requested_at = excluded.requested_at
            """, new { calendarId, at }, tx, cancellationToken: ct));

    /// <summary>Works off every pending request.</summary>
    public async Task<long> RunPendingAsync(CancellationToken ct)
    {
        List<(Guid CalendarId, DateTimeOffset RequestedAt)> pending;
        await using (var connection = await database.OpenAsync(ct))
        {
            pending = (await connection.QueryAsync<(Guid, DateTimeOffset)>(new CommandDefinition(
                "SELECT calendar_id, requested_at FROM sla_replans", cancellationToken: ct))).ToList();
        }
        long clocks = 0;
        foreach (var (calendarId, requestedAt) in pending)
        {
            clocks += (await ReplanAsync(calendarId, ct)).Clocks;
            await database.WriteAsync(async (connection, tx) => await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM sla_replans WHERE calendar_id = @calendarId AND requested_at <= @requestedAt",
                new { calendarId, requestedAt }, tx, cancellationToken: ct)), ct);
        }
        return clocks;
    }

    /// <summary>New due and warning times for every running clock on the calendar, batch by batch.</summary>
    public async Task<Result> ReplanAsync(Guid? calendarId, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var computing = TimeSpan.Zero;
        BusinessCalendar calendar;
        await using (var connection = await database.OpenAsync(ct))
        {
            calendar = await calendars.ForAsync(calendarId, connection, null, ct);
        }
        var stored = calendarId ?? ClockStore.NoCalendar;
        long count = 0;
        long moved = 0;
        var after = (Incident: Guid.Empty, Agreement: Guid.Empty, Metric: "");
        while (true)
        {
            List<PlanRow> rows;
            // The row-value comparison is what both databases turn into a range on the primary key; the same condition
            // spelled out with OR is only a filter, and every batch would scan the key from the start again.
            await using (var connection = await database.OpenAsync(ct))
            {
                rows = (await connection.QueryAsync<PlanRow>(new CommandDefinition(
                    """
                    SELECT c.incident_id, c.agreement_id, c.metric, c.priority, c.target_minutes, c.started_at, c.running_since, c.elapsed_minutes, c.due_at, c.warn_at,
                        v.warning_percent
                    FROM sla_clocks c JOIN sla_agreement_versions v ON v.id = c.version_id
                    WHERE c.calendar_id = @stored AND c.state = 'running'
                      AND (c.incident_id, c.agreement_id, c.metric) > (@incident, @agreement, @metric)
                    ORDER BY c.incident_id, c.agreement_id, c.metric
                    LIMIT @batch
                    """, new { stored, incident = after.Incident, agreement = after.Agreement, metric = after.Metric, batch = Batch }, cancellationToken: ct))).ToList();
            }
            if (rows.Count == 0)
            {
                break;
            }
            var started = Stopwatch.GetTimestamp();
            var planned = new List<Planned>(rows.Count);
            foreach (var row in rows)
            {
                var clock = SlaClock.Restore(ServiceLevelNames.ParseMetric(row.Metric)!.Value, row.Priority, row.TargetMinutes, ClockState.Running,
                    row.StartedAt, row.RunningSince, row.ElapsedMinutes, null, null, null, null, null);
                clock.Plan(calendar, row.WarningPercent);
                // Stored times are kept to the microsecond: compare what would be stored. An edit usually moves only the
                // clocks whose remaining time crosses the changed dates, and a row written unchanged still costs its index updates.
                var due = DapperSetup.Normalise(clock.DueAt!.Value);
                var warn = DapperSetup.Normalise(clock.WarnAt!.Value);
                if (due != row.DueAt || warn != row.WarnAt)
                {
                    planned.Add(new Planned(row.IncidentId, row.AgreementId, row.Metric, due, warn));
                }
            }
            computing += Stopwatch.GetElapsedTime(started);
            count += rows.Count;
            var last = rows[^1];
            after = (last.IncidentId, last.AgreementId, last.Metric);
            if (planned.Count == 0)
            {
                continue;
            }
            moved += planned.Count;
            await database.WriteAsync(async (connection, tx) =>
            {
                if (database.Provider == DatabaseProvider.Postgres)
                {
                    // One statement per batch: a round trip per clock would dominate on a network database.
                    await connection.ExecuteAsync(new CommandDefinition(
                        """
                        UPDATE sla_clocks c SET due_at = u.due, warn_at = u.warn
                        FROM unnest(@incidents, @agreements, @metrics, @dues, @warns) AS u(incident_id, agreement_id, metric, due, warn)
                        WHERE c.incident_id = u.incident_id AND c.agreement_id = u.agreement_id AND c.metric = u.metric AND c.state = 'running'
                        """,
                        new
                        {
                            incidents = planned.Select(p => p.IncidentId).ToArray(), agreements = planned.Select(p => p.AgreementId).ToArray(),
                            metrics = planned.Select(p => p.Metric).ToArray(), dues = planned.Select(p => p.DueAt).ToArray(),
                            warns = planned.Select(p => p.WarnAt).ToArray(),
                        }, tx, cancellationToken: ct));
                }
                else
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        """
                        UPDATE sla_clocks SET due_at = @DueAt, warn_at = @WarnAt
                        WHERE incident_id = @IncidentId AND agreement_id = @AgreementId AND metric = @Metric AND state = 'running'
                        """, planned, tx, cancellationToken: ct));
                }
                return true;
            }, ct);
        }
        return new Result(count, moved, computing, total.Elapsed);
    }

    private sealed class PlanRow
    {
        public Guid IncidentId { get; init; }
        public Guid AgreementId { get; init; }
        public string Metric { get; init; } = "";
        public int Priority { get; init; }
        public int TargetMinutes { get; init; }
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset? RunningSince { get; init; }
        public double ElapsedMinutes { get; init; }
        public DateTimeOffset? DueAt { get; init; }
        public DateTimeOffset? WarnAt { get; init; }
        public int WarningPercent { get; init; }
    }

    private sealed record Planned(Guid IncidentId, Guid AgreementId, string Metric, DateTimeOffset DueAt, DateTimeOffset WarnAt);
}
