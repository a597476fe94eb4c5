using System.Data.Common;
using System.Globalization;
using Certus.Changes.Domain;
using Certus.Data;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Changes.Features;

/// <summary>
/// The change schedule (forward schedule of change): planned changes in a period with the freeze and maintenance
/// windows, and the conflicts a proposed slot would have (same CI or service at an overlapping time, inside a freeze,
/// outside the maintenance windows of its services).
/// </summary>
public sealed class ChangeSchedule(Database database, ICurrentUser caller, Texts<Strings> text)
{
    /// <summary>A change on the calendar.</summary>
    public sealed class Entry
    {
        public Guid Id { get; init; }
        public long NumberValue { get; init; }
        public string Number => new ChangeNumber(NumberValue).ToString();
        public string Title { get; init; } = "";
        public string Type { get; init; } = "";
        public string State { get; init; } = "";
        public string? RiskLevel { get; init; }
        public DateTimeOffset PlannedStart { get; init; }
        public DateTimeOffset PlannedEnd { get; init; }
        public string? ServiceCodes { get; init; }
        public string? ScheduleOverride { get; init; }
        public bool Overridden => ScheduleOverride is not null;
    }

    public sealed record Calendar(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<Entry> Changes, IReadOnlyList<ScheduleWindow> Windows);

    /// <summary>
    /// Changes planned in [from, to) that the caller may see, in start order, with the windows of the period.
    /// <paramref name="compact"/> leaves out titles and service codes (a year's overview counts changes per day).
    /// </summary>
    public async Task<Calendar> ReadAsync(DateTimeOffset from, DateTimeOffset to, string? service = null, bool compact = false, CancellationToken ct = default)
    {
        var args = new DynamicParameters(new { from = from.ToUniversalTime(), to = to.ToUniversalTime() });
        var filter = "";
        if (caller.VisibleOrganisationId is { } own)
        {
            filter += " AND c.organisation_id = @own";
            args.Add("own", own);
        }
        if (!string.IsNullOrWhiteSpace(service))
        {
            filter += " AND EXISTS (SELECT 1 FROM chg_change_services f WHERE f.change_id = c.id AND f.service_code = @service)";
            args.Add("service", service.Trim());
        }
        var details = compact ? "" : $"""
            , c.title, c.risk_level, c.schedule_override,
                   (SELECT {database.Dialect.StringAgg("s.service_code")} FROM chg_change_services s WHERE s.change_id = c.id) AS service_codes
            """;
        await using var connection = await database.OpenAsync(ct);
        var entries = await connection.QueryAsync<Entry>(new CommandDefinition(
            $"""
            SELECT c.id, c.number AS number_value, c.type, c.state, c.planned_start, c.planned_end{details}
            FROM chg_changes c
            WHERE c.planned_start < @to AND c.planned_end > @from AND c.state NOT IN ('cancelled', 'rejected', 'draft'){filter}
            ORDER BY c.planned_start, c.number
            """, args, cancellationToken: ct));
        var windows = await ChangeSettings.WindowsAsync(connection, null, from, to, ct);
        return new Calendar(from, to, entries.ToList(), windows);
    }

    /// <summary>What a change planned at [start, end) would clash with.</summary>
    public async Task<IReadOnlyList<Conflict>> ConflictsAsync(ChangeView change, DateTimeOffset start, DateTimeOffset end, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ConflictsAsync(connection, null, change, start, end, ct);
    }

    internal async Task<IReadOnlyList<Conflict>> ConflictsAsync(DbConnection connection, DbTransaction? tx, ChangeView change, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        var candidates = (await connection.QueryAsync<SlotRow>(new CommandDefinition(
            """
            SELECT id, number, title, planned_start, planned_end FROM chg_changes
            WHERE planned_start < @end AND planned_end > @start AND id <> @id AND state IN ('authorised', 'scheduled', 'implementing')
            """, new { start = start.ToUniversalTime(), end = end.ToUniversalTime(), id = change.Id }, tx, cancellationToken: ct))).ToList();
        var ids = candidates.Select(c => c.Id).ToArray();
        var cis = ids.Length == 0 ? [] : (await connection.QueryAsync<(Guid ChangeId, Guid CiId)>(new CommandDefinition(
            $"SELECT change_id, ci_id FROM chg_change_cis WHERE role = 'declared' AND {database.Dialect.In("change_id", "ids")}", new { ids }, tx, cancellationToken: ct))).ToList();
        var services = ids.Length == 0 ? [] : (await connection.QueryAsync<(Guid ChangeId, string Code)>(new CommandDefinition(
            $"SELECT change_id, service_code FROM chg_change_services WHERE {database.Dialect.In("change_id", "ids")}", new { ids }, tx, cancellationToken: ct))).ToList();
        var others = candidates.Select(c => new Slot(c.Id, new ChangeNumber(c.Number).ToString(), c.Title, c.PlannedStart, c.PlannedEnd,
            cis.Where(x => x.ChangeId == c.Id).Select(x => x.CiId).ToHashSet(),
            services.Where(x => x.ChangeId == c.Id).Select(x => x.Code).ToHashSet(StringComparer.Ordinal)));
        var windows = (await ChangeSettings.WindowsAsync(connection, tx, start, end, ct))
            .Select(w => new Window(w.Id, w.Kind, w.Name, w.StartsAt, w.EndsAt, w.ServiceCode));
        var proposed = new Slot(change.Id, change.Number, change.Title, start, end, change.Cis.Select(c => c.Id).ToHashSet(), change.Services.ToHashSet(StringComparer.Ordinal));
        return ScheduleConflicts.Find(proposed, others, windows, change.Cis.ToDictionary(c => c.Id, c => c.Identifier));
    }

    /// <summary>One conflict as a sentence in the caller's language.</summary>
    public string Describe(Conflict conflict)
    {
        var when = $"{Format(conflict.Start)} – {Format(conflict.End)}";
        return conflict.Kind switch
        {
            ScheduleConflicts.WithChange => text["Conflict.Change", conflict.Reference, conflict.Title, when, string.Join(", ", conflict.Shared)],
            ScheduleConflicts.InFreeze => text["Conflict.Freeze", conflict.Title, when],
            _ => text["Conflict.OutsideMaintenance", conflict.Title, when],
        };
    }

    private static string Format(DateTimeOffset value) => value.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private sealed class SlotRow
    {
        public Guid Id { get; init; }
        public long Number { get; init; }
        public string Title { get; init; } = "";
        public DateTimeOffset PlannedStart { get; init; }
        public DateTimeOffset PlannedEnd { get; init; }
    }
}
