using System.Data.Common;
using Certus.ServiceLevels.Domain;

namespace Certus.ServiceLevels.Features;

/// <summary>
/// The calendar an SLA clock counts on. An agreement without a calendar counts every minute of every day
/// (24×7), which needs no table.
/// </summary>
public sealed class ClockCalendars
{
    /// <summary>Every minute counts, 2000-2100, in UTC.</summary>
    public static readonly BusinessCalendar AlwaysOn = BusinessCalendar.Compile(
        new CalendarDefinition("UTC",
            Enum.GetValues<DayOfWeek>().ToDictionary(d => d, IReadOnlyList<TimeRange> (_) => [new TimeRange(TimeOnly.MinValue, TimeOnly.MinValue)]),
            [], []),
        new DateOnly(2000, 1, 1), new DateOnly(2100, 12, 31));

    private readonly Dictionary<Guid, BusinessCalendar> _pending = [];

    public Task<bool> ExistsAsync(Guid calendarId, CancellationToken ct) => Task.FromResult(_pending.ContainsKey(calendarId));

    public Task<BusinessCalendar> ForAsync(Guid? calendarId, DbConnection connection, DbTransaction? tx, CancellationToken ct) =>
        Task.FromResult(calendarId is { } id ? _pending[id] : AlwaysOn);

    /// <summary>Name and time zone of the calendar, to explain a target.</summary>
    public Task<CalendarRef> DescribeAsync(Guid? calendarId, DbConnection connection, CancellationToken ct) =>
        Task.FromResult(calendarId is { } id ? new CalendarRef(id, id.ToString(), _pending[id].Zone.Id) : new CalendarRef(null, "24×7", "UTC"));
}
