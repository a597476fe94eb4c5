using Certus.Data;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Data;
using Certus.ServiceLevels.Domain;

namespace Certus.ServiceLevels.Features;

/// <summary>
/// Adds one shipped year of China's official schedule to a calendar: its holidays and its working days (调休).
/// An official date replaces whatever the calendar said for that date; the calendar's other dates stay.
/// </summary>
public sealed class ImportChineseHolidays(Database database, UpdateCalendar update, ICurrentUser caller, Texts<Strings> text)
{
    public async Task<Outcome<CalendarView>> HandleAsync(Guid id, int year, int? expectedVersion, CancellationToken ct = default)
    {
        if (!caller.HasPermission(ServiceLevelPermissions.Manage))
        {
            return new Failure(FailureKind.Forbidden, text.Kernel["Problem.Forbidden"]);
        }
        if (ChineseHolidays.For(year) is not { } schedule)
        {
            return text.Invalid(text.Errors().AddMessage("year",
                text["Calendar.Problem.year-not-shipped", string.Join(", ", ChineseHolidays.Years)]));
        }
        return await database.WriteAsync<Outcome<CalendarView>>(
            async (connection, tx) =>
            {
                if (await CalendarStore.LoadAsync(connection, tx, id, ct) is not { } current)
                {
                    return text.NotFound();
                }
                if (expectedVersion is { } v && v != current.Version)
                {
                    return text.Stale();
                }
                var definition = Merge(CalendarStore.Definition(current), schedule);
                return await update.SaveAsync(connection, tx, current, current.Name, definition, "holidays-imported",
                    $"China's official schedule {year} / 中国法定节假日安排 {year}", ct);
            }, ct);
    }

    internal static CalendarDefinition Merge(CalendarDefinition definition, ChineseHolidays.Schedule schedule)
    {
        var official = schedule.Holidays.Concat(schedule.WorkingDays).Select(d => d.Date).ToHashSet();
        return definition with
        {
            Holidays = [.. definition.Holidays.Where(h => !official.Contains(h.Date)).Concat(schedule.Holidays).OrderBy(h => h.Date)],
            WorkingDays = [.. definition.WorkingDays.Where(h => !official.Contains(h.Date)).Concat(schedule.WorkingDays).OrderBy(h => h.Date)],
        };
    }
}
