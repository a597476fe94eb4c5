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

/// <summary>Creates a business calendar: time zone, working hours per weekday, holidays and working days.</summary>
public sealed class CreateCalendar(Database database, AuditTrail audit, DomainEvents events, ICurrentUser caller, Texts<Strings> text, TimeProvider clock)
{
    public async Task<Outcome<CalendarView>> HandleAsync(CalendarInput input, CancellationToken ct = default)
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
                if (await NameTakenAsync(connection, tx, name, null, ct))
                {
                    return text.Invalid(text.Errors().AddMessage("name", text["Calendar.Problem.name-taken"]));
                }
                var id = Guid.CreateVersion7();
                var now = clock.GetUtcNow();
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO sla_calendars (id, name, time_zone, working_hours, version, created_at, updated_at)
                    VALUES (@id, @name, @zone, @hours, 1, @now, @now)
                    """,
                    new { id, name, zone = definition.TimeZone, hours = CalendarInputs.HoursJson(definition.WorkingHours), now }, tx, cancellationToken: ct));
                await CalendarStore.ReplaceDatesAsync(connection, tx, id, definition, ct);
                await audit.WriteAsync(connection, tx, new AuditEvent(CalendarAudit.RecordType, id.ToString("D"), "created", null,
                    AuditTrail.Created(CalendarStore.AuditFields(name, definition))), ct);
                await events.PublishAsync(new CalendarChanged(id), connection, tx, ct);
                return (await CalendarStore.LoadAsync(connection, tx, id, ct))!;
            }, ct);
    }

    internal static async Task<bool> NameTakenAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, string name, Guid? except, CancellationToken ct)
    {
        var ids = await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM sla_calendars WHERE lower(name) = lower(@name)", new { name }, tx, cancellationToken: ct));
        return ids.Any(i => i != except);
    }
}
