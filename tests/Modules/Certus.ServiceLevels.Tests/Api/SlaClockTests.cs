using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.ServiceLevels.Tests.Api;

public abstract class SlaClockTests(CertusFixture host)
{
    private static DateTimeOffset At(JsonElement e, string property) => e.GetProperty(property).GetDateTimeOffset();

    [Fact]
    public async Task Logging_starts_both_clocks_and_the_sla_block_says_which_agreement_target_and_calendar()
    {
        var desk = await SlaDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);

        var incident = await desk.LogAsync(agent, "high", "medium");
        var id = incident.GetProperty("id").GetGuid();
        var created = At(incident, "createdAt");

        var response = await SlaDesk.ClockAsync(agent, id, "response");
        var resolution = await SlaDesk.ClockAsync(agent, id, "resolution");
        response.GetProperty("state").GetString().ShouldBe("running");
        response.GetProperty("targetMinutes").GetInt32().ShouldBe(30);
        At(response, "dueAt").ShouldBe(created.AddMinutes(30), TimeSpan.FromMilliseconds(5));
        At(resolution, "dueAt").ShouldBe(created.AddMinutes(480), TimeSpan.FromMilliseconds(5));
        At(resolution, "warnAt").ShouldBe(created.AddMinutes(360), TimeSpan.FromMilliseconds(5));
        resolution.GetProperty("agreement").GetProperty("number").GetString()!.ShouldStartWith("SLA-");
        resolution.GetProperty("agreement").GetProperty("version").GetInt32().ShouldBe(1);
        resolution.GetProperty("calendar").GetProperty("name").GetString().ShouldBe("24×7");
        resolution.GetProperty("explanation").GetString()!.ShouldContain("P2 resolution, target in business minutes: 480, on the calendar");
        resolution.GetProperty("remainingMinutes").GetDouble().ShouldBeInRange(479, 480);
    }

    [Fact]
    public async Task Pending_pauses_the_clocks_and_resuming_moves_the_due_time_by_the_pause()
    {
        var desk = await SlaDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var id = (await desk.LogAsync(agent)).GetProperty("id").GetGuid();
        await SlaDesk.MoveAsync(agent, id, "assign", new { assignmentGroupId = desk.Group, assigneeId = desk.Agent.Id });
        await SlaDesk.MoveAsync(agent, id, "start");
        var dueBefore = At(await SlaDesk.ClockAsync(agent, id, "resolution"), "dueAt");

        await SlaDesk.MoveAsync(agent, id, "pend", new { pendingReason = "awaiting-customer" });
        var paused = await SlaDesk.ClockAsync(agent, id, "resolution");
        paused.GetProperty("state").GetString().ShouldBe("paused");
        paused.TryGetProperty("dueAt", out var due).ShouldBeTrue();
        due.ValueKind.ShouldBe(JsonValueKind.Null);
        await Task.Delay(1500);
        await SlaDesk.MoveAsync(agent, id, "start");

        var resumed = await SlaDesk.ClockAsync(agent, id, "resolution");
        resumed.GetProperty("state").GetString().ShouldBe("running");
        var pause = resumed.GetProperty("pauses").EnumerateArray().Single();
        pause.GetProperty("status").GetString().ShouldBe("pending");
        var pausedFor = At(pause, "resumedAt") - At(pause, "pausedAt");
        pausedFor.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1400));
        (At(resumed, "dueAt") - dueBefore).ShouldBe(pausedFor, TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public async Task The_first_response_stops_the_response_clock_and_resolving_stops_the_resolution_clock_in_time()
    {
        var desk = await SlaDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var id = (await desk.LogAsync(agent)).GetProperty("id").GetGuid();

        await SlaDesk.MoveAsync(agent, id, "assign", new { assignmentGroupId = desk.Group, assigneeId = desk.Agent.Id });
        var response = await SlaDesk.ClockAsync(agent, id, "response");
        response.GetProperty("state").GetString().ShouldBe("stopped");
        response.GetProperty("breached").GetBoolean().ShouldBeFalse();

        await SlaDesk.MoveAsync(agent, id, "start");
        await SlaDesk.MoveAsync(agent, id, "resolve", new { resolutionCode = "fixed", resolutionNotes = "Replaced the line card" });
        var resolution = await SlaDesk.ClockAsync(agent, id, "resolution");
        resolution.GetProperty("state").GetString().ShouldBe("stopped");
        resolution.GetProperty("breached").GetBoolean().ShouldBeFalse();
        resolution.GetProperty("elapsedMinutes").GetDouble().ShouldBeLessThan(1);
    }

    [Fact]
    public async Task A_change_of_priority_recomputes_the_due_times()
    {
        var desk = await SlaDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var incident = await desk.LogAsync(agent, "low", "low");
        var id = incident.GetProperty("id").GetGuid();
        var created = At(incident, "createdAt");
        At(await SlaDesk.ClockAsync(agent, id, "resolution"), "dueAt").ShouldBe(created.AddMinutes(2880), TimeSpan.FromMilliseconds(5));

        (await agent.PatchIfMatchAsync($"/api/v1/incidents/{id}", new { impact = "high", urgency = "high" }, 1)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var resolution = await SlaDesk.ClockAsync(agent, id, "resolution");
        resolution.GetProperty("priority").GetInt32().ShouldBe(1);
        resolution.GetProperty("targetMinutes").GetInt32().ShouldBe(240);
        At(resolution, "dueAt").ShouldBe(created.AddMinutes(240), TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public async Task A_calendar_edit_replans_the_running_clocks_on_that_calendar_and_leaves_stopped_ones()
    {
        // Every day around the clock in UTC, so the due times are plain sums until the edit.
        string[] days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        var hours = days.Select(day => new { day, ranges = new[] { new { start = "00:00", end = "24:00" } } }).ToArray();
        var name = Builders.Unique("Always UTC");
        var admin = await host.AdminAsync();
        var calendarId = await SlaDesk.CreatedIdAsync(await admin.PostAsJsonAsync("/api/v1/calendars",
            new { name, timeZone = "UTC", workingHours = hours, holidays = Array.Empty<object>(), workingDays = Array.Empty<object>() }));
        var desk = await SlaDesk.CreateAsync(host, calendarId: calendarId);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var running = await desk.LogAsync(agent);
        var runningId = running.GetProperty("id").GetGuid();
        var created = At(running, "createdAt");
        var resolved = (await desk.LogAsync(agent)).GetProperty("id").GetGuid();
        await SlaDesk.MoveAsync(agent, resolved, "resolve", new { resolutionCode = "fixed", resolutionNotes = "Replaced the line card" });
        var resolvedBefore = await SlaDesk.ClockAsync(agent, resolved, "resolution");
        At(await SlaDesk.ClockAsync(agent, runningId, "resolution"), "dueAt").ShouldBe(created.AddMinutes(240), TimeSpan.FromMilliseconds(5));

        // P1: response 15 minutes, resolution 240, warning at 75%. The day the incident was logged and the next become holidays: counting starts the day after.
        var today = DateOnly.FromDateTime(created.UtcDateTime);
        var holidays = new[] { today, today.AddDays(1) }.Select(d => new { date = d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), name = "Closed" });
        (await admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/calendars/{calendarId}",
            new { name, timeZone = "UTC", workingHours = hours, holidays, workingDays = Array.Empty<object>() }, 1)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await EvaluateAsync(desk, DateTimeOffset.UtcNow);

        var restart = new DateTimeOffset(today.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var resolution = await SlaDesk.ClockAsync(agent, runningId, "resolution");
        At(resolution, "dueAt").ShouldBe(restart.AddMinutes(240), TimeSpan.FromMilliseconds(5));
        At(resolution, "warnAt").ShouldBe(restart.AddMinutes(180), TimeSpan.FromMilliseconds(5));
        At(await SlaDesk.ClockAsync(agent, runningId, "response"), "dueAt").ShouldBe(restart.AddMinutes(15), TimeSpan.FromMilliseconds(5));
        var resolvedAfter = await SlaDesk.ClockAsync(agent, resolved, "resolution");
        resolvedAfter.GetProperty("state").GetString().ShouldBe("stopped");
        resolvedAfter.GetProperty("stoppedAt").GetString().ShouldBe(resolvedBefore.GetProperty("stoppedAt").GetString());

        // A second evaluation finds nothing left to plan, and the times stay where they are.
        await EvaluateAsync(desk, DateTimeOffset.UtcNow);
        At(await SlaDesk.ClockAsync(agent, runningId, "resolution"), "dueAt").ShouldBe(restart.AddMinutes(240), TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public async Task A_rejected_resolution_resumes_the_clock_where_it_stopped()
    {
        var desk = await SlaDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        using var customer = await desk.Build.ClientAsync(desk.CustomerUser);
        var id = (await desk.LogAsync(agent)).GetProperty("id").GetGuid();
        await SlaDesk.MoveAsync(agent, id, "assign", new { assignmentGroupId = desk.Group, assigneeId = desk.Agent.Id });
        await SlaDesk.MoveAsync(agent, id, "start");
        await SlaDesk.MoveAsync(agent, id, "resolve", new { resolutionCode = "fixed", resolutionNotes = "Rebooted" });
        var stopped = await SlaDesk.ClockAsync(agent, id, "resolution");

        await SlaDesk.MoveAsync(customer, id, "reject-resolution", new { reason = "Still down" });

        var resumed = await SlaDesk.ClockAsync(agent, id, "resolution");
        resumed.GetProperty("state").GetString().ShouldBe("running");
        At(resumed, "startedAt").ShouldBe(At(stopped, "startedAt"));
        resumed.GetProperty("elapsedMinutes").GetDouble().ShouldBeGreaterThanOrEqualTo(stopped.GetProperty("elapsedMinutes").GetDouble());
    }

    [Fact]
    public async Task With_the_restart_policy_a_reopened_incident_starts_its_resolution_clock_again()
    {
        var desk = await SlaDesk.CreateAsync(host, onReopen: "restart");
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        using var customer = await desk.Build.ClientAsync(desk.CustomerUser);
        var id = (await desk.LogAsync(agent)).GetProperty("id").GetGuid();
        await SlaDesk.MoveAsync(agent, id, "assign", new { assignmentGroupId = desk.Group, assigneeId = desk.Agent.Id });
        await SlaDesk.MoveAsync(agent, id, "start");
        await SlaDesk.MoveAsync(agent, id, "resolve", new { resolutionCode = "fixed", resolutionNotes = "Rebooted" });
        var stopped = await SlaDesk.ClockAsync(agent, id, "resolution");

        await SlaDesk.MoveAsync(customer, id, "reject-resolution", new { reason = "Still down" });

        var restarted = await SlaDesk.ClockAsync(agent, id, "resolution");
        At(restarted, "startedAt").ShouldBeGreaterThan(At(stopped, "startedAt"));
        At(restarted, "dueAt").ShouldBe(At(restarted, "startedAt").AddMinutes(240), TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public async Task A_cancelled_incident_takes_its_clocks_out_of_the_figures()
    {
        var desk = await SlaDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var id = (await desk.LogAsync(agent)).GetProperty("id").GetGuid();

        await SlaDesk.MoveAsync(agent, id, "cancel", new { reason = "Logged twice" });

        (await SlaDesk.ClockAsync(agent, id, "resolution")).GetProperty("state").GetString().ShouldBe("cancelled");
        (await SlaDesk.ClockAsync(agent, id, "response")).GetProperty("state").GetString().ShouldBe("cancelled");
    }

    [Fact]
    public async Task An_incident_for_a_service_without_an_agreement_has_no_sla_block()
    {
        var desk = await SlaDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var id = (await desk.LogAsync(agent, serviceRef: "NO-SUCH-SERVICE")).GetProperty("id").GetGuid();

        // The customer's SLA names one service; an incident on another service is not timed by it.
        var view = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        view.GetProperty("sla").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task A_breach_is_recorded_once_and_the_escalation_rule_fires_once()
    {
        var desk = await SlaDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var rule = await SlaDesk.CreatedIdAsync(await desk.Build.Admin.PostAsJsonAsync("/api/v1/escalation-rules", new
        {
            name = Builders.Unique("Raise on breach"), agreementId = desk.Agreement, metric = "resolution", level = "breach", raisePriority = true,
        }));
        var incident = await desk.LogAsync(agent, "low", "medium");
        var id = incident.GetProperty("id").GetGuid();
        var created = At(incident, "createdAt");

        var warning = await EvaluateAsync(desk, created.AddMinutes(1441));
        warning.GetProperty("warnings").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        (await agent.GetFromJsonAsync<JsonElement>("/api/v1/incidents?queue=breaching-soon&pageSize=100")).GetProperty("items").EnumerateArray()
            .ShouldContain(i => i.GetProperty("id").GetGuid() == id);

        var first = await EvaluateAsync(desk, created.AddMinutes(1921));
        first.GetProperty("breaches").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        var again = await EvaluateAsync(desk, created.AddMinutes(1925));

        var view = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        view.GetProperty("priority").GetInt32().ShouldBe(3, "P4 raised one step, once");
        var breaches = await desk.Build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/sla-breaches");
        breaches.EnumerateArray().Count(b => b.GetProperty("incidentId").GetGuid() == id && b.GetProperty("metric").GetString() == "resolution").ShouldBe(1);
        var history = await desk.Build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=incident&recordId={id}");
        var actions = history.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        actions.Count(a => a == "sla-breached").ShouldBe(2, "the response and the resolution target both passed, each recorded once");
        actions.Count(a => a == "sla-escalated").ShouldBe(1);
        _ = rule;
        _ = again;
    }

    [Fact]
    public async Task Attainment_counts_met_and_breached_resolutions_by_service()
    {
        var desk = await SlaDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        for (var i = 0; i < 3; i++)
        {
            var id = (await desk.LogAsync(agent)).GetProperty("id").GetGuid();
            await SlaDesk.MoveAsync(agent, id, "assign", new { assignmentGroupId = desk.Group, assigneeId = desk.Agent.Id });
            await SlaDesk.MoveAsync(agent, id, "resolve", new { resolutionCode = "fixed", resolutionNotes = "Done" });
        }

        using var customer = await desk.Build.ClientAsync(desk.CustomerUser);
        var report = await customer.GetFromJsonAsync<JsonElement>(
            $"/api/v1/reports/sla-attainment?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}&groupBy=service");

        var row = report.GetProperty("rows").EnumerateArray().Single();
        row.GetProperty("label").GetString()!.ShouldStartWith(desk.ServiceCode);
        row.GetProperty("met").GetInt32().ShouldBe(3);
        row.GetProperty("breached").GetInt32().ShouldBe(0);
        row.GetProperty("attainmentPercent").GetDouble().ShouldBe(100);
        row.GetProperty("p90Minutes").GetDouble().ShouldBeLessThan(1);
    }

    [Fact]
    public async Task A_bad_report_period_is_refused_with_problem_details()
    {
        using var admin = await host.AdminAsync();
        var response = await admin.GetAsync("/api/v1/reports/sla-attainment?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z&groupBy=colour");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("to", out _).ShouldBeTrue();
        errors.TryGetProperty("groupBy", out _).ShouldBeTrue();
    }

    private static async Task<JsonElement> EvaluateAsync(SlaDesk desk, DateTimeOffset asOf)
    {
        var response = await desk.Build.Admin.PostAsync($"/api/v1/sla/evaluate?asOf={Uri.EscapeDataString(asOf.ToString("O"))}", null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

public sealed class SlaClockTestsOnSqlite(SqliteCertus host) : SlaClockTests(host), IClassFixture<SqliteCertus>;

public sealed class SlaClockTestsOnPostgres(PostgresCertus host) : SlaClockTests(host), IClassFixture<PostgresCertus>;
