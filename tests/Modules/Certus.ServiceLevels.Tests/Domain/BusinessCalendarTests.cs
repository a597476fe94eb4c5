using Certus.ServiceLevels.Domain;
using Shouldly;
using Xunit;

namespace Certus.ServiceLevels.Tests.Domain;

public sealed class BusinessCalendarTests
{
    private static readonly TimeRange[] OfficeDay = [new(new TimeOnly(9, 0), new TimeOnly(12, 0)), new(new TimeOnly(13, 0), new TimeOnly(18, 0))];

    /// <summary>Shanghai office hours with the 2026 National Day week: 1-7 October off, Sunday 27 September and Saturday 10 October worked.</summary>
    private static CalendarDefinition Shanghai() => new(
        "Asia/Shanghai",
        Weekdays(OfficeDay),
        [.. Enumerable.Range(1, 7).Select(d => new NamedDate(new DateOnly(2026, 10, d), "国庆节"))],
        [new NamedDate(new DateOnly(2026, 9, 27), "国庆节调休"), new NamedDate(new DateOnly(2026, 10, 10), "国庆节调休")]);

    /// <summary>Berlin, every day, around the clock: daylight saving is the only thing that changes the length of a day.</summary>
    private static CalendarDefinition BerlinAroundTheClock() => new(
        "Europe/Berlin",
        Enum.GetValues<DayOfWeek>().ToDictionary(d => d, IReadOnlyList<TimeRange> (_) => [new(TimeOnly.MinValue, TimeOnly.MinValue)]),
        [], []);

    private static CalendarDefinition BerlinOffice() => new("Europe/Berlin", Weekdays([new(new TimeOnly(8, 0), new TimeOnly(17, 0))]), [], []);

    private static Dictionary<DayOfWeek, IReadOnlyList<TimeRange>> Weekdays(IReadOnlyList<TimeRange> hours) =>
        new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }.ToDictionary(d => d, _ => hours);

    public static TheoryData<string> Calendars() => new() { "shanghai", "berlin-office", "berlin-24x7" };

    private static BusinessCalendar Compile(string name) => BusinessCalendar.Compile(name switch
    {
        "shanghai" => Shanghai(),
        "berlin-office" => BerlinOffice(),
        _ => BerlinAroundTheClock(),
    }, new DateOnly(2026, 1, 1), new DateOnly(2027, 12, 31));

    [Theory]
    [MemberData(nameof(Calendars))]
    public void Adding_business_time_then_measuring_it_gives_the_same_minutes(string name)
    {
        var calendar = Compile(name);
        var random = new Random(20261121);
        for (var i = 0; i < 2_000; i++)
        {
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 540 * 24 * 60));
            var minutes = random.Next(0, 20_000) + (random.Next(4) * 0.25);

            var due = calendar.Due(start, minutes);

            calendar.Elapsed(start, due).ShouldBe(minutes, 1e-6, $"{start:O} + {minutes} min");
            due.ShouldBeGreaterThanOrEqualTo(start);
        }
    }

    [Theory]
    [MemberData(nameof(Calendars))]
    public void A_due_instant_never_falls_outside_working_time_or_on_a_holiday(string name)
    {
        var calendar = Compile(name);
        var random = new Random(7);
        for (var i = 0; i < 2_000; i++)
        {
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 540 * 24 * 60));

            var due = calendar.Due(start, random.Next(1, 5_000));

            calendar.IsWorking(due).ShouldBeTrue($"{due:O}");
            calendar.IsHoliday(calendar.LocalDate(due)).ShouldBeFalse($"{due:O}");
        }
    }

    [Fact]
    public void Holidays_are_skipped_and_the_weekend_worked_instead_counts()
    {
        var calendar = Compile("shanghai");
        var lastDayBefore = new DateTimeOffset(2026, 9, 30, 17, 0, 0, TimeSpan.FromHours(8));

        // One hour left on 30 September, then the week off; Thursday 8 October is the next working day.
        calendar.Due(lastDayBefore, 120).ShouldBe(new DateTimeOffset(2026, 10, 8, 10, 0, 0, TimeSpan.FromHours(8)));
        // Sunday 27 September is worked: 8 hours; an ordinary Sunday is not.
        calendar.Elapsed(new DateTimeOffset(2026, 9, 27, 0, 0, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2026, 9, 28, 0, 0, 0, TimeSpan.FromHours(8))).ShouldBe(480);
        calendar.Elapsed(new DateTimeOffset(2026, 9, 20, 0, 0, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2026, 9, 21, 0, 0, 0, TimeSpan.FromHours(8))).ShouldBe(0);
        // The lunch break is not working time.
        calendar.Due(new DateTimeOffset(2026, 9, 28, 11, 30, 0, TimeSpan.FromHours(8)), 60).ShouldBe(new DateTimeOffset(2026, 9, 28, 13, 30, 0, TimeSpan.FromHours(8)));
    }

    [Fact]
    public void Daylight_saving_days_have_23_and_25_hours_in_Berlin_and_none_are_lost_in_Shanghai()
    {
        var berlin = Compile("berlin-24x7");

        berlin.Elapsed(new DateTimeOffset(2026, 3, 29, 0, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 3, 30, 0, 0, 0, TimeSpan.FromHours(2))).ShouldBe(23 * 60);
        berlin.Elapsed(new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2026, 10, 26, 0, 0, 0, TimeSpan.FromHours(1))).ShouldBe(25 * 60);
        // Office hours keep their wall-clock times across the change: 08:00 local is 07:00 UTC in winter, 06:00 in summer.
        var office = Compile("berlin-office");
        office.Due(new DateTimeOffset(2026, 3, 27, 16, 0, 0, TimeSpan.FromHours(1)), 120).ShouldBe(new DateTimeOffset(2026, 3, 30, 9, 0, 0, TimeSpan.FromHours(2)));
    }

    [Fact]
    public void Zero_minutes_is_due_at_once_in_working_time_and_at_the_next_opening_outside_it()
    {
        var calendar = Compile("shanghai");
        var working = new DateTimeOffset(2026, 9, 28, 10, 0, 0, TimeSpan.FromHours(8));
        var evening = new DateTimeOffset(2026, 9, 28, 20, 0, 0, TimeSpan.FromHours(8));

        calendar.Due(working, 0).ShouldBe(working);
        calendar.Due(evening, 0).ShouldBe(new DateTimeOffset(2026, 9, 29, 9, 0, 0, TimeSpan.FromHours(8)));
    }

    [Theory]
    [InlineData("Mars/Olympus", "timeZone", "unknown-time-zone")]
    [InlineData("Asia/Shanghai", "workingHours.Monday", "ranges-overlap")]
    public void Bad_calendars_are_refused_with_the_reason(string zone, string field, string problem)
    {
        var definition = new CalendarDefinition(zone,
            new Dictionary<DayOfWeek, IReadOnlyList<TimeRange>>
            {
                [DayOfWeek.Monday] = [new(new TimeOnly(9, 0), new TimeOnly(13, 0)), new(new TimeOnly(12, 0), new TimeOnly(18, 0))],
                [DayOfWeek.Tuesday] = [new(new TimeOnly(9, 0), new TimeOnly(18, 0))],
            }, [], []);
        var clean = definition with { WorkingHours = new Dictionary<DayOfWeek, IReadOnlyList<TimeRange>> { [DayOfWeek.Tuesday] = [new(new TimeOnly(9, 0), new TimeOnly(18, 0))] } };

        (zone == "Mars/Olympus" ? clean : definition).Problems().ShouldContain((field, problem));
        Should.Throw<ArgumentException>(() => BusinessCalendar.Compile(zone == "Mars/Olympus" ? clean : definition, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)));
    }

    [Fact]
    public void A_calendar_without_working_time_is_refused()
    {
        var empty = new CalendarDefinition("Asia/Shanghai", new Dictionary<DayOfWeek, IReadOnlyList<TimeRange>>(), [], []);

        empty.Problems().ShouldContain(("workingHours", "no-working-time"));
    }

    [Fact]
    public void Computing_a_due_time_allocates_nothing()
    {
        var holidays = Enumerable.Range(0, 10 * 365).Where(d => d % 30 == 0)
            .Select(d => new NamedDate(new DateOnly(2020, 1, 1).AddDays(d), "holiday")).ToList();
        var calendar = BusinessCalendar.Compile(Shanghai() with { Holidays = holidays, WorkingDays = [] }, new DateOnly(2020, 1, 1), new DateOnly(2029, 12, 31));
        var start = new DateTimeOffset(2025, 6, 3, 10, 0, 0, TimeSpan.FromHours(8));
        calendar.Due(start, 480);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            calendar.Due(start.AddMinutes(i), 480 + i);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }
}
