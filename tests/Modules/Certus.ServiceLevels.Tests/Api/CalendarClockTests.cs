using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.ServiceLevels.Tests.Api;

public abstract class CalendarClockTests(CertusFixture host)
{
    private static object[] Hours(string start, string end, params string[] days) =>
        [.. days.Select(d => (object)new { day = d, ranges = new[] { new { start, end } } })];

    [Fact]
    public async Task Clocks_count_business_time_on_the_agreements_calendar_and_follow_a_calendar_edit()
    {
        var build = await Builders.ForAsync(host);
        var name = Builders.Unique("One hour a day");
        var calendar = await SlaDesk.CreatedIdAsync(await build.Admin.PostAsJsonAsync("/api/v1/calendars", new
        {
            name, timeZone = "Asia/Shanghai", workingHours = Hours("09:00", "10:00", "monday", "tuesday", "wednesday", "thursday", "friday"),
            holidays = Array.Empty<object>(), workingDays = Array.Empty<object>(),
        }));
        var targets = new object[] { new { priority = 1, responseMinutes = 30, resolutionMinutes = 240 } };
        var desk = await SlaDesk.CreateAsync(host, targets, calendarId: calendar);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var incident = await desk.LogAsync(agent);
        var id = incident.GetProperty("id").GetGuid();
        var created = incident.GetProperty("createdAt").GetDateTimeOffset();

        var clock = await SlaDesk.ClockAsync(agent, id, "resolution");
        var expected = await DueAsync(build.Admin, calendar, created, 240);
        clock.GetProperty("dueAt").GetDateTimeOffset().ShouldBe(expected, TimeSpan.FromMilliseconds(5));
        clock.GetProperty("calendar").GetProperty("name").GetString().ShouldBe(name);
        (clock.GetProperty("dueAt").GetDateTimeOffset() - created).ShouldBeGreaterThan(TimeSpan.FromDays(3), "four working hours at one hour a day");

        // The calendar becomes round the clock: the running clock's due time is planned again.
        var current = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/calendars/{calendar}");
        (await build.Admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/calendars/{calendar}", new
        {
            name, timeZone = "Asia/Shanghai",
            workingHours = Hours("00:00", "00:00", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
            holidays = Array.Empty<object>(), workingDays = Array.Empty<object>(),
        }, current.GetProperty("version").GetInt32())).StatusCode.ShouldBe(HttpStatusCode.OK);
        var evaluated = await build.Admin.PostAsync("/api/v1/sla/evaluate", null);
        (await evaluated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replanned").GetInt64().ShouldBeGreaterThanOrEqualTo(2);

        var replanned = await SlaDesk.ClockAsync(agent, id, "resolution");
        replanned.GetProperty("dueAt").GetDateTimeOffset().ShouldBe(created.AddMinutes(240), TimeSpan.FromMinutes(1));
    }

    private static async Task<DateTimeOffset> DueAsync(HttpClient client, Guid calendar, DateTimeOffset start, int minutes)
    {
        var due = await client.GetFromJsonAsync<JsonElement>($"/api/v1/calendars/{calendar}/due?start={Uri.EscapeDataString(start.ToString("O"))}&minutes={minutes}");
        return DateTimeOffset.Parse(due.GetProperty("due").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class CalendarClockTestsOnSqlite(SqliteCertus host) : CalendarClockTests(host), IClassFixture<SqliteCertus>;

public sealed class CalendarClockTestsOnPostgres(PostgresCertus host) : CalendarClockTests(host), IClassFixture<PostgresCertus>;
