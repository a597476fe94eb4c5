using System.Data.Common;
using Certus.Data.Audit;
using Certus.ServiceLevels.Domain;
using Certus.ServiceLevels.Features;
using Dapper;

namespace Certus.ServiceLevels.Data;

/// <summary>The SQL every calendar use case shares: read a calendar whole, write its dates.</summary>
internal static class CalendarStore
{
    public const string Holiday = "holiday";
    public const string WorkingDay = "working-day";

    public static async Task<CalendarView?> LoadAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT id, name, time_zone, working_hours, version, created_at, updated_at FROM sla_calendars WHERE id = @id",
            new { id }, tx, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }
        var dates = (await connection.QueryAsync<DateRow>(new CommandDefinition(
            "SELECT date, kind, name FROM sla_calendar_dates WHERE calendar_id = @id ORDER BY date",
            new { id }, tx, cancellationToken: ct))).ToList();
        return new CalendarView(row.Id, row.Name, row.TimeZone,
            CalendarInputs.HoursView(CalendarInputs.HoursFromJson(row.WorkingHours)),
            [.. dates.Where(d => d.Kind == Holiday).Select(d => new DateView(d.Date, d.Name))],
            [.. dates.Where(d => d.Kind == WorkingDay).Select(d => new DateView(d.Date, d.Name))],
            row.Version, row.CreatedAt, row.UpdatedAt);
    }

    /// <summary>The arithmetic's view of a stored calendar.</summary>
    public static CalendarDefinition Definition(CalendarView calendar) => new(
        calendar.TimeZone,
        calendar.WorkingHours.ToDictionary(d => CalendarInputs.ParseDay(d.Day)!.Value,
            IReadOnlyList<TimeRange> (d) => [.. d.Ranges.Select(r => new TimeRange(CalendarInputs.ParseTime(r.Start, false)!.Value, CalendarInputs.ParseTime(r.End, true)!.Value))]),
        [.. calendar.Holidays.Select(d => new NamedDate(CalendarInputs.ParseDate(d.Date)!.Value, d.Name))],
        [.. calendar.WorkingDays.Select(d => new NamedDate(CalendarInputs.ParseDate(d.Date)!.Value, d.Name))]);

    public static async Task ReplaceDatesAsync(DbConnection connection, DbTransaction tx, Guid id, CalendarDefinition definition, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM sla_calendar_dates WHERE calendar_id = @id", new { id }, tx, cancellationToken: ct));
        var rows = definition.Holidays.Select(h => new { id, date = CalendarInputs.DateText(h.Date), kind = Holiday, name = h.Name })
            .Concat(definition.WorkingDays.Select(w => new { id, date = CalendarInputs.DateText(w.Date), kind = WorkingDay, name = w.Name }))
            .ToList();
        if (rows.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO sla_calendar_dates (calendar_id, date, kind, name) VALUES (@id, @date, @kind, @name)",
                rows, tx, cancellationToken: ct));
        }
    }

    /// <summary>What the audit trail records of a calendar: name, zone, hours, and one line per holiday or working day.</summary>
    public static Dictionary<string, object?> AuditFields(string name, CalendarDefinition definition)
    {
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = name,
            ["timeZone"] = definition.TimeZone,
            ["workingHours"] = string.Join("; ", CalendarInputs.HoursView(definition.WorkingHours)
                .Select(d => $"{d.Day} {string.Join(",", d.Ranges.Select(r => $"{r.Start}-{r.End}"))}")),
        };
        foreach (var h in definition.Holidays.OrderBy(h => h.Date))
        {
            fields[$"holidays[{CalendarInputs.DateText(h.Date)}]"] = h.Name;
        }
        foreach (var w in definition.WorkingDays.OrderBy(h => h.Date))
        {
            fields[$"workingDays[{CalendarInputs.DateText(w.Date)}]"] = w.Name;
        }
        return fields;
    }

    /// <summary>Changes between two snapshots, including dates that were removed (<see cref="AuditTrail.Diff"/> sees only the new keys).</summary>
    public static IReadOnlyList<AuditChange> Diff(Dictionary<string, object?> before, Dictionary<string, object?> after)
    {
        var complete = new Dictionary<string, object?>(after, StringComparer.Ordinal);
        foreach (var key in before.Keys.Where(k => !after.ContainsKey(k)))
        {
            complete[key] = null;
        }
        return AuditTrail.Diff(before, complete);
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string TimeZone { get; init; } = "";
        public string WorkingHours { get; init; } = "[]";
        public int Version { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
    }

    private sealed class DateRow
    {
        public string Date { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Name { get; init; } = "";
    }
}
