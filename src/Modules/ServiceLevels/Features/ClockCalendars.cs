using System.Data.Common;
using Certus.ServiceLevels.Domain;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>
/// The calendar an SLA clock counts on: an agreement's business calendar from <see cref="CalendarCache"/>, or,
/// for an agreement without one, every minute of every day (24×7).
/// </summary>
public sealed class ClockCalendars(CalendarCache cache)
{
    /// <summary>Every minute counts, 2000-2100, in UTC.</summary>
    public static readonly BusinessCalendar AlwaysOn = BusinessCalendar.Compile(
        new CalendarDefinition("UTC",
            Enum.GetValues<DayOfWeek>().ToDictionary(d => d, IReadOnlyList<TimeRange> (_) => [new TimeRange(TimeOnly.MinValue, TimeOnly.MinValue)]),
            [], []),
        CalendarCache.First, CalendarCache.Last);

    public async Task<bool> ExistsAsync(Guid calendarId, CancellationToken ct) => await cache.FindAsync(calendarId, ct) is not null;

    public async Task<BusinessCalendar> ForAsync(Guid? calendarId, DbConnection connection, DbTransaction? tx, CancellationToken ct) =>
        calendarId is { } id ? await cache.GetAsync(id, connection, tx, ct) : AlwaysOn;

    /// <summary>Name and time zone of the calendar, to explain a target.</summary>
    public static async Task<CalendarRef> DescribeAsync(Guid? calendarId, DbConnection connection, CancellationToken ct)
    {
        if (calendarId is not { } id)
        {
            return new CalendarRef(null, "24×7", "UTC");
        }
        var found = await connection.QuerySingleOrDefaultAsync<(string Name, string TimeZone)>(new CommandDefinition(
            "SELECT name, time_zone FROM sla_calendars WHERE id = @id", new { id }, cancellationToken: ct));
        return new CalendarRef(id, found.Name ?? id.ToString(), found.TimeZone ?? "");
    }
}

/// <summary>A calendar edit asks for the running clocks on it to be planned again (worked off by <see cref="EvaluateClocks"/>).</summary>
public sealed class ReplanOnCalendarChange(TimeProvider clock) : Kernel.Events.IDomainEventHandler<CalendarChanged>
{
    public Task HandleAsync(CalendarChanged domainEvent, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        ReplanClocks.RequestAsync(connection, transaction, domainEvent.CalendarId, clock.GetUtcNow(), cancellationToken);
}
