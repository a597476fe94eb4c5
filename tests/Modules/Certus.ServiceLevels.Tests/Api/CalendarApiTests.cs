using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.ServiceLevels.Tests.Api;

public abstract class CalendarApiTests(CertusFixture host)
{
    private static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"];

    private static object Office(string? name = null, string timeZone = "Asia/Shanghai", object[]? holidays = null, object[]? workingDays = null) => new
    {
        name = name ?? Builders.Unique("Office"),
        timeZone,
        workingHours = Weekdays.Select(day => new { day, ranges = new[] { new { start = "09:00", end = "12:00" }, new { start = "13:00", end = "18:00" } } }),
        holidays = holidays ?? [],
        workingDays = workingDays ?? [],
    };

    private static async Task<JsonElement> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/calendars", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Office hours in Shanghai with China's official 2026 schedule imported.</summary>
    private static async Task<Guid> China2026Async(HttpClient admin)
    {
        var id = (await CreateAsync(admin, Office())).GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/v1/calendars/{id}/holidays/cn/2026", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        return id;
    }

    private static async Task<string?> DueAsync(HttpClient client, Guid id, string start, double minutes)
    {
        var response = await client.GetAsync($"/api/v1/calendars/{id}/due?start={Uri.EscapeDataString(start)}&minutes={minutes}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("due").GetString();
    }

    [Fact]
    public async Task Creating_returns_201_with_location_etag_and_the_calendar_as_stored()
    {
        var admin = await host.AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/calendars", Office(holidays: [new { date = "2026-02-16", name = "春节 / Spring Festival" }],
            workingDays: [new { date = "2026-02-14", name = "春节 / Spring Festival" }]));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var calendar = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = calendar.GetProperty("id").GetGuid();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/calendars/{id}");
        response.Headers.ETag!.Tag.ShouldBe("\"1\"");
        calendar.GetProperty("timeZone").GetString().ShouldBe("Asia/Shanghai");
        calendar.GetProperty("workingHours").GetArrayLength().ShouldBe(5);
        calendar.GetProperty("workingHours")[0].GetProperty("ranges")[1].GetProperty("end").GetString().ShouldBe("18:00");
        calendar.GetProperty("holidays")[0].GetProperty("date").GetString().ShouldBe("2026-02-16");
        calendar.GetProperty("workingDays")[0].GetProperty("name").GetString().ShouldBe("春节 / Spring Festival");
        var read = await admin.GetAsync($"/api/v1/calendars/{id}");
        read.Headers.ETag!.Tag.ShouldBe("\"1\"");
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/calendars")).EnumerateArray().ShouldContain(c => c.GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task The_two_standard_calendars_are_seeded_at_first_start()
    {
        var admin = await host.AdminAsync();

        var list = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/calendars")).EnumerateArray().ToList();

        var china = list.Single(c => c.GetProperty("name").GetString() == "China standard working week / 中国标准工作日");
        china.GetProperty("holidays").GetInt32().ShouldBeGreaterThan(500);
        china.GetProperty("workingDays").GetInt32().ShouldBeGreaterThan(100);
        list.ShouldContain(c => c.GetProperty("name").GetString() == "24×7 / 全天候");
        var chinaId = china.GetProperty("id").GetGuid();
        // 调休 Saturday 14 February 2026 is worked: 17:00 Friday + 2 h = 10:00 Saturday.
        (await DueAsync(admin, chinaId, "2026-02-13T17:00:00+08:00", 120)).ShouldBe("2026-02-14T10:00:00+08:00");
    }

    [Fact]
    public async Task Due_and_elapsed_honour_the_spring_festival_and_the_working_saturdays()
    {
        var admin = await host.AdminAsync();
        var id = await China2026Async(admin);

        // Friday 13 Feb, 17:00 + 2 h: one hour on Friday, then Saturday 14 Feb is a 调休 working day.
        (await DueAsync(admin, id, "2026-02-13T17:00:00+08:00", 120)).ShouldBe("2026-02-14T10:00:00+08:00");
        // Saturday 14 Feb, 17:00 + 2 h: 春节 runs 15-23 Feb, so the second hour falls on Tuesday 24 Feb.
        (await DueAsync(admin, id, "2026-02-14T17:00:00+08:00", 120)).ShouldBe("2026-02-24T10:00:00+08:00");
        // The same instant given in UTC; the answer comes in the calendar's offset.
        (await DueAsync(admin, id, "2026-02-14T09:00:00Z", 120)).ShouldBe("2026-02-24T10:00:00+08:00");
        // Lunch is not working time: 11:30 + 60 min = 13:30.
        (await DueAsync(admin, id, "2026-02-24T11:30:00+08:00", 60)).ShouldBe("2026-02-24T13:30:00+08:00");
        // Saturday 28 Feb is worked too; Sunday 1 March is not.
        (await DueAsync(admin, id, "2026-02-27T18:00:00+08:00", 480)).ShouldBe("2026-02-28T18:00:00+08:00");
        (await DueAsync(admin, id, "2026-02-28T18:00:00+08:00", 1)).ShouldBe("2026-03-02T09:01:00+08:00");

        var elapsed = await admin.GetFromJsonAsync<JsonElement>(
            $"/api/v1/calendars/{id}/elapsed?from={Uri.EscapeDataString("2026-02-13T09:00:00+08:00")}&to={Uri.EscapeDataString("2026-02-25T09:00:00+08:00")}");
        // Friday 13th and Saturday 14th (8 h each) and Tuesday 24th (8 h); 15-23 February are off.
        elapsed.GetProperty("minutes").GetDouble().ShouldBe(3 * 480);
    }

    [Fact]
    public async Task A_daylight_saving_calendar_in_Berlin_counts_real_minutes()
    {
        var admin = await host.AdminAsync();
        var id = (await CreateAsync(admin, new
        {
            name = Builders.Unique("Berlin 24x7"), timeZone = "Europe/Berlin",
            workingHours = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
                .Select(day => new { day, ranges = new[] { new { start = "00:00", end = "24:00" } } }),
        })).GetProperty("id").GetGuid();

        // Sunday 29 March 2026 has 23 hours in Berlin: a full day of work ends at 01:00 on the Monday.
        (await DueAsync(admin, id, "2026-03-29T00:00:00+01:00", 24 * 60)).ShouldBe("2026-03-30T01:00:00+02:00");
        var elapsed = await admin.GetFromJsonAsync<JsonElement>(
            $"/api/v1/calendars/{id}/elapsed?from={Uri.EscapeDataString("2026-10-25T00:00:00+02:00")}&to={Uri.EscapeDataString("2026-10-26T00:00:00+01:00")}");
        elapsed.GetProperty("minutes").GetDouble().ShouldBe(25 * 60);
    }

    [Theory]
    [InlineData("overlap", "workingHours[0]")]
    [InlineData("backwards", "workingHours[0]")]
    [InlineData("zone", "timeZone")]
    [InlineData("nothing", "workingHours")]
    [InlineData("both", "workingDays")]
    [InlineData("duplicate", "holidays")]
    [InlineData("bad-time", "workingHours[0].ranges[0].start")]
    [InlineData("no-name", "name")]
    public async Task Bad_calendars_are_refused_naming_the_field(string problem, string field)
    {
        var admin = await host.AdminAsync();
        var monday = (string start, string end) => new[] { new { day = "monday", ranges = new[] { new { start, end } } } };
        object body = problem switch
        {
            "overlap" => new { name = Builders.Unique("Bad"), timeZone = "Asia/Shanghai", workingHours = new[] { new { day = "monday", ranges = new[] { new { start = "09:00", end = "12:00" }, new { start = "11:00", end = "14:00" } } } } },
            "backwards" => new { name = Builders.Unique("Bad"), timeZone = "Asia/Shanghai", workingHours = monday("18:00", "09:00") },
            "zone" => new { name = Builders.Unique("Bad"), timeZone = "Mars/Olympus", workingHours = monday("09:00", "18:00") },
            "nothing" => new { name = Builders.Unique("Bad"), timeZone = "Asia/Shanghai", workingHours = Array.Empty<object>() },
            "both" => Office(holidays: [new { date = "2026-02-14", name = "x" }], workingDays: [new { date = "2026-02-14", name = "y" }]),
            "duplicate" => Office(holidays: [new { date = "2026-02-16", name = "x" }, new { date = "2026-02-16", name = "y" }]),
            "bad-time" => new { name = Builders.Unique("Bad"), timeZone = "Asia/Shanghai", workingHours = monday("9 am", "18:00") },
            _ => Office(name: " "),
        };
        var before = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/calendars")).GetArrayLength();

        var response = await admin.PostAsJsonAsync("/api/v1/calendars", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty(field, out var messages).ShouldBeTrue(errors.ToString());
        messages[0].GetString().ShouldNotBeNullOrWhiteSpace();
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/calendars")).GetArrayLength().ShouldBe(before);
    }

    [Fact]
    public async Task Problems_are_explained_in_Chinese_to_a_Chinese_caller()
    {
        var admin = await host.AdminAsync("zh-CN");

        var response = await admin.PostAsJsonAsync("/api/v1/calendars", new { name = Builders.Unique("Bad"), timeZone = "Asia/Shanghai", workingHours = Array.Empty<object>() });

        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("workingHours")[0].GetString().ShouldBe("该日历完全没有工作时间。");
    }

    [Fact]
    public async Task Arithmetic_questions_without_start_or_minutes_or_beyond_the_range_are_refused()
    {
        var admin = await host.AdminAsync();
        var id = (await CreateAsync(admin, Office())).GetProperty("id").GetGuid();

        var missing = await admin.GetAsync($"/api/v1/calendars/{id}/due");
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("start", out _).ShouldBeTrue();
        errors.TryGetProperty("minutes", out _).ShouldBeTrue();
        (await admin.GetAsync($"/api/v1/calendars/{id}/due?start=2026-02-13T09:00:00&minutes=5")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.GetAsync($"/api/v1/calendars/{id}/due?start=2026-02-13T09:00:00Z&minutes=-5")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var beyond = await admin.GetAsync($"/api/v1/calendars/{id}/due?start={Uri.EscapeDataString("2100-12-31T17:00:00+08:00")}&minutes=600");
        beyond.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await beyond.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!.ShouldContain("2100-12-31");
        (await admin.GetAsync($"/api/v1/calendars/{Guid.NewGuid()}/due?start=2026-02-13T09:00:00Z&minutes=5")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Replacing_needs_the_current_version_and_is_audited_with_the_import()
    {
        var admin = await host.AdminAsync();
        var id = await China2026Async(admin);
        var body = Office(name: Builders.Unique("Renamed"), timeZone: "Europe/Berlin");

        (await admin.PutAsJsonAsync($"/api/v1/calendars/{id}", body)).StatusCode.ShouldBe((HttpStatusCode)428);
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/calendars/{id}") { Content = JsonContent.Create(body) };
        stale.Headers.IfMatch.ParseAdd("\"1\"");
        (await admin.SendAsync(stale)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        var current = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/calendars/{id}") { Content = JsonContent.Create(body) };
        current.Headers.IfMatch.ParseAdd("\"2\"");
        var saved = await admin.SendAsync(current);

        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        saved.Headers.ETag!.Tag.ShouldBe("\"3\"");
        var calendar = await saved.Content.ReadFromJsonAsync<JsonElement>();
        calendar.GetProperty("timeZone").GetString().ShouldBe("Europe/Berlin");
        calendar.GetProperty("holidays").GetArrayLength().ShouldBe(0);
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=calendar&recordId={id}");
        history.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ShouldBe(["created", "holidays-imported", "updated"]);
        // The arithmetic follows the change at once: Berlin office hours, no holidays.
        (await DueAsync(admin, id, "2026-02-16T09:00:00+01:00", 60)).ShouldBe("2026-02-16T10:00:00+01:00");
    }

    [Fact]
    public async Task Importing_a_year_adds_its_official_dates_and_unknown_years_are_refused()
    {
        var admin = await host.AdminAsync();
        var id = (await CreateAsync(admin, Office(holidays: [new { date = "2025-12-31", name = "Company day" }, new { date = "2025-10-01", name = "x" }]))).GetProperty("id").GetGuid();

        var response = await admin.PostAsync($"/api/v1/calendars/{id}/holidays/cn/2025", null);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var calendar = await response.Content.ReadFromJsonAsync<JsonElement>();
        var holidays = calendar.GetProperty("holidays").EnumerateArray().ToDictionary(h => h.GetProperty("date").GetString()!, h => h.GetProperty("name").GetString());
        holidays["2025-01-29"].ShouldBe("春节 / Spring Festival");
        holidays["2025-10-01"].ShouldBe("国庆节 / National Day");
        holidays["2025-12-31"].ShouldBe("Company day");
        calendar.GetProperty("workingDays").EnumerateArray().Select(w => w.GetProperty("date").GetString()).ShouldContain("2025-01-26");
        (await admin.PostAsync($"/api/v1/calendars/{id}/holidays/cn/1999", null)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/calendars/{id}/holidays/cn/2026");
        stale.Headers.IfMatch.ParseAdd("\"1\"");
        (await admin.SendAsync(stale)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task The_calendar_pages_show_the_list_the_hours_the_dates_and_the_calculator()
    {
        var admin = await host.AdminAsync();
        var id = await China2026Async(admin);

        var list = await admin.GetStringAsync("/service-levels/calendars");
        var page = await admin.GetStringAsync($"/service-levels/calendars/{id}?year=2026&start=2026-02-13T17:00&minutes=120");

        list.ShouldContain($"/service-levels/calendars/{id}");
        page.ShouldContain("09:00-12:00, 13:00-18:00");
        page.ShouldContain("春节 / Spring Festival");
        // Razor encodes the plus sign of the offset.
        page.ShouldContain("2026-02-14T10:00:00&#x2B;08:00");
        (await admin.GetAsync("/service-levels/calendars/new")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Customers_may_read_calendars_but_not_change_them()
    {
        var build = await Builders.ForAsync(host);
        var customer = await build.UserAsync(await build.OrganisationAsync(), "customer-user");
        using var client = await build.ClientAsync(customer);
        var id = (await CreateAsync(build.Admin, Office())).GetProperty("id").GetGuid();

        (await client.PostAsJsonAsync("/api/v1/calendars", Office())).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/calendars/{id}") { Content = JsonContent.Create(Office()) };
        put.Headers.IfMatch.ParseAdd("\"1\"");
        (await client.SendAsync(put)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.PostAsync($"/api/v1/calendars/{id}/holidays/cn/2026", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync($"/api/v1/calendars/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class CalendarApiTestsOnSqlite(SqliteCertus host) : CalendarApiTests(host), IClassFixture<SqliteCertus>;

public sealed class CalendarApiTestsOnPostgres(PostgresCertus host) : CalendarApiTests(host), IClassFixture<PostgresCertus>;
