using Certus.Data;
using Certus.Kernel.Http;
using Certus.ServiceLevels.Data;
using Dapper;

namespace Certus.ServiceLevels.Features;

public sealed record RangeView(string Start, string End);

public sealed record WorkingDayView(string Day, IReadOnlyList<RangeView> Ranges);

public sealed record DateView(string Date, string Name);

/// <summary>A business calendar as the API and pages show it.</summary>
public sealed record CalendarView(
    Guid Id,
    string Name,
    string TimeZone,
    IReadOnlyList<WorkingDayView> WorkingHours,
    IReadOnlyList<DateView> Holidays,
    IReadOnlyList<DateView> WorkingDays,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt) : IVersioned;

/// <summary>One line of the calendar list.</summary>
public sealed record CalendarSummary
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public int Holidays { get; init; }
    public int WorkingDays { get; init; }
    public int Version { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Reads calendars: the list and one calendar whole. Calendars belong to the provider; everyone who may read sees them all.</summary>
public sealed class CalendarQueries(Database database)
{
    public async Task<IReadOnlyList<CalendarSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<CalendarSummary>(new CommandDefinition(
            """
            SELECT c.id, c.name, c.time_zone,
                (SELECT count(*) FROM sla_calendar_dates d WHERE d.calendar_id = c.id AND d.kind = 'holiday') AS holidays,
                (SELECT count(*) FROM sla_calendar_dates d WHERE d.calendar_id = c.id AND d.kind = 'working-day') AS working_days,
                c.version, c.updated_at
            FROM sla_calendars c ORDER BY c.name
            """, cancellationToken: ct))];
    }

    public async Task<CalendarView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await CalendarStore.LoadAsync(connection, null, id, ct);
    }

    public async Task<bool> ExistsAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM sla_calendars WHERE id = @id", new { id }, cancellationToken: ct)) > 0;
    }
}
