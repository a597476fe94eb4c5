using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Events;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Data;
using Certus.ServiceLevels.Domain;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>Replaces a calendar whole (PUT). A write based on a stale version changes nothing.</summary>
public sealed class UpdateCalendar(Database database, AuditTrail audit, DomainEvents events, ICurrentUser caller, Texts<Strings> text, TimeProvider clock)
{
    public async Task<Outcome<CalendarView>> HandleAsync(Guid id, int expectedVersion, CalendarInput input, string? reason = null, CancellationToken ct = default)
    {
        if (!caller.HasPermission(ServiceLevelPermissions.Manage))
        {
            return new Failure(FailureKind.Forbidden, text.Kernel["Problem.Forbidden"]);
        }
        var parsed = CalendarInputs.Parse(input, text);
        if (!parsed.Succeeded)
        {
            return parsed.Failure!;
        }
        var (name, definition) = parsed.Value!;
        return await database.WriteAsync<Outcome<CalendarView>>(
            async (connection, tx) =>
            {
                if (await CalendarStore.LoadAsync(connection, tx, id, ct) is not { } current)
                {
                    return text.NotFound();
                }
                if (current.Version != expectedVersion)
                {
                    return text.Stale();
                }
                if (await CreateCalendar.NameTakenAsync(connection, tx, name, id, ct))
                {
                    return text.Invalid(text.Errors().AddMessage("name", text["Calendar.Problem.name-taken"]));
                }
                return await SaveAsync(connection, tx, current, name, definition, "updated", reason, ct);
            }, ct);
    }

    /// <summary>Writes <paramref name="definition"/> over <paramref name="current"/> in the caller's transaction: row, dates, audit entry, event.</summary>
    internal async Task<Outcome<CalendarView>> SaveAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, CalendarView current, string name,
        CalendarDefinition definition, string action, string? reason, CancellationToken ct)
    {
        var changes = CalendarStore.Diff(CalendarStore.AuditFields(current.Name, CalendarStore.Definition(current)), CalendarStore.AuditFields(name, definition));
        if (changes.Count == 0)
        {
            return current;
        }
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE sla_calendars SET name = @name, time_zone = @zone, working_hours = @hours, version = version + 1, updated_at = @now
            WHERE id = @id AND version = @version
            """,
            new { id = current.Id, name, zone = definition.TimeZone, hours = CalendarInputs.HoursJson(definition.WorkingHours), now = clock.GetUtcNow(), version = current.Version },
            tx, cancellationToken: ct));
        if (updated == 0)
        {
            return text.Stale();
        }
        await CalendarStore.ReplaceDatesAsync(connection, tx, current.Id, definition, ct);
        await audit.WriteAsync(connection, tx, new AuditEvent(CalendarAudit.RecordType, current.Id.ToString("D"), action, null, changes, reason), ct);
        await events.PublishAsync(new CalendarChanged(current.Id), connection, tx, ct);
        return (await CalendarStore.LoadAsync(connection, tx, current.Id, ct))!;
    }
}
