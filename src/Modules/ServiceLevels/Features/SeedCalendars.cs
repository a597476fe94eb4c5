using Certus.Data;
using Certus.ServiceLevels.Data;
using Certus.Kernel.Modules;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>
/// On first start, when there is no calendar at all, creates the two every provider needs: China's standard working
/// week with every shipped year's official schedule, and 24×7. The host runs it under its start-up lock.
/// </summary>
public sealed class SeedCalendars(Database database, CreateCalendar create) : IStartupSeed
{
    public const string ChinaStandardName = "China standard working week / 中国标准工作日";
    public const string AroundTheClockName = "24×7 / 全天候";

    private static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"];
    private static readonly string[] AllDays = [.. Weekdays, "saturday", "sunday"];

    public Task SeedAsync(CancellationToken ct) => HandleAsync(ct);

    /// <summary>Returns how many calendars it created (0 when any calendar exists).</summary>
    public async Task<int> HandleAsync(CancellationToken ct = default)
    {
        await using (var connection = await database.OpenAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM sla_calendars", cancellationToken: ct)) > 0)
            {
                return 0;
            }
        }
        var years = ChineseHolidays.Years.Select(y => ChineseHolidays.For(y)!).ToList();
        foreach (var input in new[] { ChinaStandard(years), AroundTheClock() })
        {
            var outcome = await create.HandleAsync(input, ct);
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException($"Seeding calendar {input.Name} failed: {outcome.Failure!.Message}");
            }
        }
        return 2;
    }

    internal static CalendarInput ChinaStandard(IEnumerable<ChineseHolidays.Schedule> years)
    {
        var schedules = years.ToList();
        return new CalendarInput(
            ChinaStandardName,
            "Asia/Shanghai",
            [.. Weekdays.Select(d => new DayHours(d, [new HoursRange("09:00", "12:00"), new HoursRange("13:00", "18:00")]))],
            [.. schedules.SelectMany(s => s.Holidays).Select(h => new DateEntry(CalendarInputs.DateText(h.Date), h.Name))],
            [.. schedules.SelectMany(s => s.WorkingDays).Select(h => new DateEntry(CalendarInputs.DateText(h.Date), h.Name))]);
    }

    internal static CalendarInput AroundTheClock() => new(
        AroundTheClockName,
        "Asia/Shanghai",
        [.. AllDays.Select(d => new DayHours(d, [new HoursRange("00:00", "24:00")]))],
        [],
        []);
}
