using System.Collections.Concurrent;
using System.Data.Common;
using Certus.Data;
using Certus.ServiceLevels.Data;
using Certus.ServiceLevels.Domain;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>
/// Compiled calendars by id, each compiled once per version over <see cref="First"/> to <see cref="Last"/>. Every
/// call reads the calendar's version (one small query), so a change made by another instance is seen at once;
/// nothing here is state another instance would need.
/// </summary>
public sealed class CalendarCache(Database database)
{
    /// <summary>First local date every compiled calendar covers.</summary>
    public static readonly DateOnly First = new(2000, 1, 1);

    /// <summary>Last local date every compiled calendar covers.</summary>
    public static readonly DateOnly Last = new(2100, 12, 31);

    private readonly ConcurrentDictionary<Guid, Entry> _compiled = new();

    /// <summary>The calendar compiled; <see cref="KeyNotFoundException"/> when there is no such calendar.</summary>
    public async Task<BusinessCalendar> GetAsync(Guid calendarId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindCoreAsync(calendarId, connection, null, cancellationToken) ?? throw NotFound(calendarId);
    }

    /// <summary>
    /// The calendar as <paramref name="transaction"/> sees it, changes not yet committed included (for a
    /// <see cref="CalendarChanged"/> handler). A calendar read inside a transaction is compiled but not kept, as the
    /// transaction may still roll back; <see cref="KeyNotFoundException"/> when there is no such calendar.
    /// </summary>
    public async Task<BusinessCalendar> GetAsync(Guid calendarId, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        await FindCoreAsync(calendarId, connection, transaction, cancellationToken) ?? throw NotFound(calendarId);

    /// <summary>The calendar compiled, or <c>null</c> when there is no such calendar.</summary>
    public async Task<BusinessCalendar?> FindAsync(Guid calendarId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindCoreAsync(calendarId, connection, null, cancellationToken);
    }

    private async Task<BusinessCalendar?> FindCoreAsync(Guid id, DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        var version = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT version FROM sla_calendars WHERE id = @id", new { id }, tx, cancellationToken: ct));
        if (version is null)
        {
            _compiled.TryRemove(id, out _);
            return null;
        }
        if (_compiled.TryGetValue(id, out var cached) && cached.Version == version)
        {
            return cached.Calendar;
        }
        var calendar = await CalendarStore.LoadAsync(connection, tx, id, ct);
        if (calendar is null)
        {
            return null;
        }
        var compiled = BusinessCalendar.Compile(CalendarStore.Definition(calendar), First, Last);
        // Only what a committed read saw is kept, and never over a newer version.
        if (tx is null)
        {
            _compiled.AddOrUpdate(id, new Entry(calendar.Version, compiled), (_, old) => old.Version > calendar.Version ? old : new Entry(calendar.Version, compiled));
        }
        return compiled;
    }

    private static KeyNotFoundException NotFound(Guid id) => new($"There is no business calendar {id}.");

    private sealed record Entry(int Version, BusinessCalendar Calendar);
}
