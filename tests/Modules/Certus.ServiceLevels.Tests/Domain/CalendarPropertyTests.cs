using Certus.ServiceLevels.Data;
using Certus.ServiceLevels.Domain;
using FsCheck;
using FsCheck.Fluent;
using Shouldly;
using Xunit;

namespace Certus.ServiceLevels.Tests.Domain;

/// <summary>
/// The calendar arithmetic's laws, checked by FsCheck on random instants and amounts, over China's real 2025 and
/// 2026 schedules, in a zone without daylight saving (Asia/Shanghai) and one with it (Europe/Berlin).
/// </summary>
public sealed class CalendarPropertyTests
{
    private static readonly DateOnly First = new(2025, 1, 1);
    private static readonly DateOnly Last = new(2027, 12, 31);
    private static readonly TimeRange[] OfficeDay = [new(new TimeOnly(9, 0), new TimeOnly(12, 0)), new(new TimeOnly(13, 0), new TimeOnly(18, 0))];
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(1_000);

    public static TheoryData<string> Zones() => new() { "Asia/Shanghai", "Europe/Berlin" };

    /// <summary>Office hours Monday to Friday with China's official 2025 and 2026 holidays and working days.</summary>
    private static CalendarDefinition China(string zone)
    {
        var years = new[] { ChineseHolidays.For(2025)!, ChineseHolidays.For(2026)! };
        return new CalendarDefinition(
            zone,
            new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
                .ToDictionary(d => d, IReadOnlyList<TimeRange> (_) => OfficeDay),
            [.. years.SelectMany(y => y.Holidays)],
            [.. years.SelectMany(y => y.WorkingDays)]);
    }

    private static Arbitrary<DateTimeOffset> Instants() =>
        Gen.Choose(0, 2 * 365 * 24 * 60).Select(m => new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(m)).ToArbitrary();

    /// <summary>Up to about six weeks of office time, in quarter minutes.</summary>
    private static Arbitrary<double> Amounts() => Gen.Choose(0, 80_000).Select(q => q / 4.0).ToArbitrary();

    /// <summary>The working ranges of a local date, read from the definition rather than the compiled calendar.</summary>
    private static IReadOnlyList<TimeRange> Expected(CalendarDefinition definition, DateOnly date)
    {
        if (definition.Holidays.Any(h => h.Date == date))
        {
            return [];
        }
        if (definition.WorkingDays.Any(w => w.Date == date))
        {
            return definition.WorkingHours[DayOfWeek.Monday];
        }
        return definition.WorkingHours.TryGetValue(date.DayOfWeek, out var ranges) ? ranges : [];
    }

    private static DateTimeOffset LocalMidnight(TimeZoneInfo zone, DateOnly date) =>
        new(date.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(date.ToDateTime(TimeOnly.MinValue)));

    [Theory]
    [MemberData(nameof(Zones))]
    public void Adding_business_time_then_measuring_it_back_gives_the_same_minutes(string zone)
    {
        var calendar = BusinessCalendar.Compile(China(zone), First, Last);

        var law = Prop.ForAll(Instants(), Amounts(), (start, minutes) =>
        {
            var due = calendar.Due(start, minutes);
            return Math.Abs(calendar.Elapsed(start, due) - minutes) < 1e-6 && due >= start;
        });

        Check.One(Quick, law);
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public void A_due_instant_never_falls_outside_working_time(string zone)
    {
        var definition = China(zone);
        var calendar = BusinessCalendar.Compile(definition, First, Last);
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);

        var law = Prop.ForAll(Instants(), Gen.Choose(1, 80_000).Select(q => q / 4.0).ToArbitrary(), (start, minutes) =>
        {
            var local = TimeZoneInfo.ConvertTime(calendar.Due(start, minutes), tz);
            var time = TimeOnly.FromDateTime(local.DateTime);
            // Inside a range of its own local date, its end included (work finishing at 18:00 is due at 18:00).
            return Expected(definition, DateOnly.FromDateTime(local.DateTime)).Any(r => r.Start <= time && time <= r.End);
        });

        Check.One(Quick, law);
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public void Holidays_and_working_day_overrides_are_honoured(string zone)
    {
        var definition = China(zone);
        var calendar = BusinessCalendar.Compile(definition, First, Last);
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var days = definition.Holidays.Select(h => (h.Date, Minutes: 0.0))
            .Concat(definition.WorkingDays.Select(w => (w.Date, Minutes: 480.0)))
            .ToArray();

        var law = Prop.ForAll(Gen.Elements(days).ToArbitrary(), day =>
            calendar.Elapsed(LocalMidnight(tz, day.Date), LocalMidnight(tz, day.Date.AddDays(1))) == day.Minutes);

        Check.One(Quick, law);
        // 调休: Saturday 14 February 2026 is worked, Sunday 15 February (春节) is not.
        days.ShouldContain((new DateOnly(2026, 2, 14), 480.0));
        days.ShouldContain((new DateOnly(2026, 2, 15), 0.0));
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public void Every_local_day_holds_exactly_its_working_hours_daylight_saving_or_not(string zone)
    {
        var definition = China(zone);
        var office = BusinessCalendar.Compile(definition, First, Last);
        var always = BusinessCalendar.Compile(definition with
        {
            WorkingHours = Enum.GetValues<DayOfWeek>().ToDictionary(d => d, IReadOnlyList<TimeRange> (_) => [new(TimeOnly.MinValue, TimeOnly.MinValue)]),
            Holidays = [],
            WorkingDays = [],
        }, First, Last);
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);

        var law = Prop.ForAll(Gen.Choose(0, 2 * 365).Select(d => First.AddDays(d)).ToArbitrary(), date =>
        {
            var from = LocalMidnight(tz, date);
            var to = LocalMidnight(tz, date.AddDays(1));
            var expected = Expected(definition, date).Sum(r => (r.End - r.Start).TotalMinutes);
            // Around the clock, a day lasts as long as the clock says: 23 or 25 hours when Berlin changes its clocks.
            return office.Elapsed(from, to) == expected && always.Elapsed(from, to) == (to - from).TotalMinutes;
        });

        Check.One(Quick, law);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        (LocalMidnight(berlin, new DateOnly(2026, 3, 30)) - LocalMidnight(berlin, new DateOnly(2026, 3, 29))).TotalHours.ShouldBe(23);
    }
}
