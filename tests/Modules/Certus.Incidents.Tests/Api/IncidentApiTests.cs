using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Certus.Incidents.Tests.Api;

public abstract class IncidentApiTests(CertusFixture host)
{
    [Fact]
    public async Task Logging_returns_201_with_number_priority_and_status()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);

        var response = await agent.PostAsJsonAsync("/api/v1/incidents", new
        {
            title = "核心网络交换机故障", channel = "phone", organisationId = desk.Customer, callerName = "郑华", impact = "high", urgency = "medium",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var incident = await response.Content.ReadFromJsonAsync<JsonElement>();
        incident.GetProperty("number").GetString()!.ShouldMatch("^INC-\\d{6}$");
        incident.GetProperty("priority").GetInt32().ShouldBe(2);
        incident.GetProperty("status").GetString().ShouldBe("new");
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/incidents/{incident.GetProperty("id").GetGuid()}");
    }

    [Fact]
    public async Task Bad_input_is_refused_field_by_field_and_nothing_is_written()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var before = (await agent.GetFromJsonAsync<JsonElement>("/api/v1/incidents?queue=all")).GetProperty("total").GetInt64();

        var response = await agent.PostAsJsonAsync("/api/v1/incidents", new { title = "", channel = "fax", impact = "huge", organisationId = desk.Customer });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("title", out _).ShouldBeTrue();
        errors.TryGetProperty("channel", out _).ShouldBeTrue();
        errors.TryGetProperty("impact", out _).ShouldBeTrue();
        errors.TryGetProperty("callerName", out _).ShouldBeTrue();
        (await agent.GetFromJsonAsync<JsonElement>("/api/v1/incidents?queue=all")).GetProperty("total").GetInt64().ShouldBe(before);
    }

    [Fact]
    public async Task An_agent_assigns_starts_and_resolves_and_the_customer_confirms_it_closed()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        using var customer = await desk.Build.ClientAsync(desk.CustomerUser);
        var incident = await desk.LogForCustomerAsync(agent);

        (await IncidentDesk.MoveAsync(agent, incident, "assign", new { assignmentGroupId = desk.Group, assigneeId = desk.Agent.Id })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await IncidentDesk.MoveAsync(agent, incident, "start")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await IncidentDesk.MoveAsync(agent, incident, "pend", new { pendingReason = "awaiting-supplier", reason = "RMA opened" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await IncidentDesk.MoveAsync(agent, incident, "start")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var resolved = await IncidentDesk.MoveAsync(agent, incident, "resolve", new { resolutionCode = "hardware-replaced", resolutionNotes = "Replaced the line card." });
        resolved.StatusCode.ShouldBe(HttpStatusCode.OK);
        var confirmed = await IncidentDesk.MoveAsync(customer, incident, "confirm");

        confirmed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var closed = await confirmed.Content.ReadFromJsonAsync<JsonElement>();
        closed.GetProperty("status").GetString().ShouldBe("closed");
        closed.GetProperty("firstResponseAt").ValueKind.ShouldBe(JsonValueKind.String);
        closed.GetProperty("resolvedAt").ValueKind.ShouldBe(JsonValueKind.String);
        closed.GetProperty("closedAt").ValueKind.ShouldBe(JsonValueKind.String);
        var history = await desk.Build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=incident&recordId={incident.GetProperty("id").GetGuid()}");
        history.EnumerateArray().Select(e => e.GetProperty("action").GetString())
            .ShouldBe(["created", "assign", "start", "pend", "start", "resolve", "confirm"]);
    }

    [Fact]
    public async Task A_caller_rates_the_handling_when_confirming_and_the_rating_counts_in_customer_satisfaction()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        using var customer = await desk.Build.ClientAsync(desk.CustomerUser);
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        // No other test in this class rates, so the figures since a minute ago are this test's alone.
        (await SatisfactionAsync(from)).Responses.ShouldBe(0);
        var happy = await desk.LogForCustomerAsync(agent, "机柜电源告警");
        var unhappy = await desk.LogForCustomerAsync(agent, "带宽不足");
        foreach (var incident in new[] { happy, unhappy })
        {
            (await IncidentDesk.MoveAsync(agent, incident, "resolve", new { resolutionCode = "fixed", resolutionNotes = "已处理。" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // A rating out of range, or a comment without a rating, is refused and the incident stays resolved.
        var bad = await IncidentDesk.MoveAsync(customer, happy, "confirm", new { satisfaction = 6 });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["satisfaction"]);
        var commentOnly = await IncidentDesk.MoveAsync(customer, happy, "confirm", new { satisfactionComment = "还行" });
        commentOnly.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await customer.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{happy.GetProperty("id").GetGuid()}")).GetProperty("status").GetString().ShouldBe("resolved");

        var closed = await (await IncidentDesk.MoveAsync(customer, happy, "confirm", new { satisfaction = 5, satisfactionComment = "响应很快，谢谢" })).Content.ReadFromJsonAsync<JsonElement>();
        closed.GetProperty("status").GetString().ShouldBe("closed");
        closed.GetProperty("satisfaction").GetInt32().ShouldBe(5);
        closed.GetProperty("satisfactionComment").GetString().ShouldBe("响应很快，谢谢");
        (await IncidentDesk.MoveAsync(customer, unhappy, "confirm", new { satisfaction = 2, satisfactionComment = "等了两天" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var history = await desk.Build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=incident&recordId={happy.GetProperty("id").GetGuid()}");
        history.EnumerateArray().Last().GetProperty("changes").ToString().ShouldContain("satisfaction");

        var after = await SatisfactionAsync(from);
        after.Responses.ShouldBe(2);
        after.ByScore.ShouldBe([0, 1, 0, 0, 1]);
        after.SatisfiedPercent.ShouldBe(50m);
        after.Average.ShouldBe(3.5m);
        after.Dissatisfied.Single().Number.ShouldBe(unhappy.GetProperty("number").GetString());
        after.Dissatisfied.Single().Comment.ShouldBe("等了两天");
        await using var scope = host.Services.CreateAsyncScope();
        var measure = scope.ServiceProvider.GetServices<Certus.Kernel.Conformity.IObjectiveMeasure>().Single(m => m.Key == "incidents.customer-satisfaction");
        (await measure.MeasureAsync(from, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None)).Value.ShouldBe(50m);
    }

    private async Task<Contracts.SatisfactionFigures> SatisfactionAsync(DateTimeOffset from)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Contracts.ICustomerSatisfaction>().ForPeriodAsync(from, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
    }

    [Fact]
    public async Task An_illegal_move_gets_409_naming_the_moves_allowed()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var incident = await desk.LogForCustomerAsync(agent);

        var response = await IncidentDesk.MoveAsync(agent, incident, "start");

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()
            .ShouldBe("\"start\" is not possible while the incident is new. Possible now: assign, resolve, cancel.");
    }

    [Fact]
    public async Task Resolving_needs_a_code_and_notes_and_cancelling_a_reason()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var incident = await desk.LogForCustomerAsync(agent);

        var resolve = await IncidentDesk.MoveAsync(agent, incident, "resolve", new { resolutionCode = "magic" });
        var cancel = await IncidentDesk.MoveAsync(agent, incident, "cancel");

        resolve.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await resolve.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("resolutionCode", out _).ShouldBeTrue();
        errors.TryGetProperty("resolutionNotes", out _).ShouldBeTrue();
        cancel.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_rejected_resolution_reopens_the_incident()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        using var customer = await desk.Build.ClientAsync(desk.CustomerUser);
        var incident = await desk.LogForCustomerAsync(agent);
        await IncidentDesk.MoveAsync(agent, incident, "resolve", new { resolutionCode = "fixed", resolutionNotes = "Rebooted." });

        var rejected = await IncidentDesk.MoveAsync(customer, incident, "reject-resolution", new { reason = "Still down at 10:05" });

        rejected.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await rejected.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("status").GetString().ShouldBe("in-progress");
        body.GetProperty("resolutionCode").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Changing_impact_recomputes_the_priority_and_a_stale_write_gets_412()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var incident = await desk.LogForCustomerAsync(agent, impact: "low", urgency: "low");
        var id = incident.GetProperty("id").GetGuid();
        incident.GetProperty("priority").GetInt32().ShouldBe(5);

        var updated = await agent.PatchIfMatchAsync($"/api/v1/incidents/{id}", new { impact = "high", urgency = "high" }, 1);
        var stale = await agent.PatchIfMatchAsync($"/api/v1/incidents/{id}", new { title = "overwrite" }, 1);

        updated.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await updated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("priority").GetInt32().ShouldBe(1);
        stale.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}")).GetProperty("title").GetString().ShouldBe("Core switch down");
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_first_incident_never_a_duplicate()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var key = Guid.NewGuid().ToString();
        var body = new { title = "Monitoring: disk full on db01", channel = "monitoring", organisationId = desk.Customer, callerName = "Zabbix" };

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return agent.SendAsync(request);
        }));

        var ids = new List<Guid>();
        foreach (var response in responses)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Created);
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }
        ids.Distinct().Count().ShouldBe(1);
        var found = await agent.GetFromJsonAsync<JsonElement>("/api/v1/incidents?q=db01");
        found.GetProperty("total").GetInt64().ShouldBe(1);
    }

    [Theory]
    [InlineData("网络", "核心网络交换机故障")]
    [InlineData("交换机", "核心网络交换机故障")]
    [InlineData("switch", "Core switch down")]
    [InlineData("SWITCH down", "Core switch down")]
    public async Task Search_finds_incidents_in_chinese_and_english(string query, string title)
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var marker = Guid.NewGuid().ToString("N")[..8];
        await IncidentDesk.LogAsync(agent, new { title = $"{title} {marker}", organisationId = desk.Customer, callerName = "x" });
        await IncidentDesk.LogAsync(agent, new { title = $"打印机卡纸 printer jam {marker}", organisationId = desk.Customer, callerName = "x" });

        var found = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?q={Uri.EscapeDataString(query + " " + marker)}");

        found.GetProperty("total").GetInt64().ShouldBe(1);
        found.GetProperty("items")[0].GetProperty("title").GetString().ShouldBe($"{title} {marker}");
    }

    [Fact]
    public async Task Replies_are_searchable_and_work_notes_stay_internal()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        using var customer = await desk.Build.ClientAsync(desk.CustomerUser);
        var incident = await desk.LogForCustomerAsync(agent);
        var id = incident.GetProperty("id").GetGuid();
        var marker = Guid.NewGuid().ToString("N")[..8];

        (await agent.PostAsJsonAsync($"/api/v1/incidents/{id}/comments", new { body = $"Engineer on site {marker}", isPublic = true })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await agent.PostAsJsonAsync($"/api/v1/incidents/{id}/comments", new { body = "Vendor case 4711", isPublic = false, minutesSpent = 30 })).StatusCode.ShouldBe(HttpStatusCode.Created);

        (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?q={marker}")).GetProperty("total").GetInt64().ShouldBe(1);
        (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}/comments")).GetArrayLength().ShouldBe(2);
        var seen = await customer.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}/comments");
        seen.GetArrayLength().ShouldBe(1);
        seen[0].GetProperty("body").GetString().ShouldBe($"Engineer on site {marker}");
    }

    [Fact]
    public async Task Resolving_a_major_incident_resolves_its_children()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var parent = await IncidentDesk.LogAsync(agent, new { title = "Data centre power loss", organisationId = desk.Customer, callerName = "NOC", isMajor = true, impact = "high", urgency = "high" });
        var child = await desk.LogForCustomerAsync(agent, "Web shop unreachable");
        (await agent.PostAsJsonAsync($"/api/v1/incidents/{child.GetProperty("id").GetGuid()}/links",
            new { relatedId = parent.GetProperty("id").GetGuid(), kind = "child-of" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await IncidentDesk.MoveAsync(agent, parent, "resolve", new { resolutionCode = "fixed", resolutionNotes = "Utility power restored; UPS recharged." });

        var after = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{child.GetProperty("id").GetGuid()}");
        after.GetProperty("status").GetString().ShouldBe("resolved");
        after.GetProperty("resolutionNotes").GetString()!.ShouldContain(parent.GetProperty("number").GetString()!);
        var links = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{parent.GetProperty("id").GetGuid()}/links");
        links[0].GetProperty("kind").GetString().ShouldBe("child");
    }

    [Fact]
    public async Task Similar_resolved_incidents_come_with_their_resolution()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var marker = Guid.NewGuid().ToString("N")[..8];
        var old = await IncidentDesk.LogAsync(agent, new { title = $"VPN 隧道中断 {marker}", organisationId = desk.Customer, callerName = "x" });
        await IncidentDesk.MoveAsync(agent, old, "resolve", new { resolutionCode = "configuration-change", resolutionNotes = "Renewed the IPsec certificate." });
        var fresh = await IncidentDesk.LogAsync(agent, new { title = $"VPN 隧道又中断 {marker}", organisationId = desk.Customer, callerName = "y" });

        var similar = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{fresh.GetProperty("id").GetGuid()}/similar");

        similar[0].GetProperty("id").GetGuid().ShouldBe(old.GetProperty("id").GetGuid());
        similar[0].GetProperty("resolutionNotes").GetString().ShouldBe("Renewed the IPsec certificate.");
    }

    [Fact]
    public async Task Customers_log_and_see_only_their_own_organisations_incidents()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        var other = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        using var customer = await desk.Build.ClientAsync(desk.CustomerUser);
        using var stranger = await other.Build.ClientAsync(other.CustomerUser);

        var mine = await IncidentDesk.LogAsync(customer, new { title = "Cannot log in to the portal", organisationId = other.Customer, assigneeId = desk.Agent.Id });
        var theirs = await other.LogForCustomerAsync(agent);

        mine.GetProperty("organisationId").GetGuid().ShouldBe(desk.Customer);
        mine.GetProperty("assigneeId").ValueKind.ShouldBe(JsonValueKind.Null);
        mine.GetProperty("channel").GetString().ShouldBe("web");
        var list = await customer.GetFromJsonAsync<JsonElement>("/api/v1/incidents?queue=all&pageSize=200");
        list.GetProperty("items").EnumerateArray().ShouldAllBe(i => i.GetProperty("organisationId").GetGuid() == desk.Customer);
        var id = theirs.GetProperty("id").GetGuid();
        (await customer.GetAsync($"/api/v1/incidents/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await customer.GetAsync($"/api/v1/incidents/{id}/comments")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await customer.PostAsJsonAsync($"/api/v1/incidents/{id}/comments", new { body = "hello" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await customer.PostAsJsonAsync($"/api/v1/incidents/{id}/confirm", new { })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await customer.PostAsJsonAsync($"/api/v1/incidents/{mine.GetProperty("id").GetGuid()}/resolve", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stranger.GetAsync($"/api/v1/incidents/{mine.GetProperty("id").GetGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Queues_show_my_work_and_unassigned_incidents()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var incident = await desk.LogForCustomerAsync(agent, "Queue check " + Guid.NewGuid().ToString("N")[..6]);
        var id = incident.GetProperty("id").GetGuid();
        (await agent.GetFromJsonAsync<JsonElement>("/api/v1/incidents?queue=unassigned&pageSize=200")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("id").GetGuid()).ShouldContain(id);

        await IncidentDesk.MoveAsync(agent, incident, "assign", new { assignmentGroupId = desk.Group, assigneeId = desk.Agent.Id });

        var mine = await agent.GetFromJsonAsync<JsonElement>("/api/v1/incidents?queue=mine");
        mine.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ShouldBe([id]);
        var groups = await agent.GetFromJsonAsync<JsonElement>("/api/v1/incidents?queue=my-groups");
        groups.GetProperty("items")[0].GetProperty("assigneeName").GetString()!.ShouldStartWith("Test ");
    }

    [Fact]
    public async Task An_assignee_outside_the_group_is_refused()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var outsider = await desk.Build.UserAsync(await desk.Build.ProviderIdAsync(), "technician");
        var incident = await desk.LogForCustomerAsync(agent);

        var response = await IncidentDesk.MoveAsync(agent, incident, "assign", new { assignmentGroupId = desk.Group, assigneeId = outsider.Id });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("assigneeId")[0].GetString()
            .ShouldBe("The assignee is not a member of that group.");
    }

    [Fact]
    public async Task Only_those_who_work_incidents_may_edit_link_or_attach_and_finished_incidents_stay_as_they_are()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        using var customer = await desk.Build.ClientAsync(desk.CustomerUser);
        using var auditor = await desk.Build.ClientAsync(await desk.Build.UserAsync(await desk.Build.ProviderIdAsync(), "auditor"));
        var incident = await desk.LogForCustomerAsync(agent);
        var other = await desk.LogForCustomerAsync(agent, "Another");
        var id = incident.GetProperty("id").GetGuid();
        var file = new MultipartFormDataContent { { new ByteArrayContent("log"u8.ToArray()), "file", "a.log" } };

        (await customer.PostAsJsonAsync($"/api/v1/incidents/{id}/links", new { relatedId = other.GetProperty("id").GetGuid(), kind = "child-of" }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await auditor.PostAsync($"/api/v1/incidents/{id}/attachments", file)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await customer.PatchIfMatchAsync($"/api/v1/incidents/{id}", new { impact = "low" }, 1)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        await IncidentDesk.MoveAsync(agent, incident, "cancel", new { reason = "Logged twice" });
        var reply = await agent.PostAsJsonAsync($"/api/v1/incidents/{id}/comments", new { body = "too late" });
        reply.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldBe("The incident is Cancelled: it can no longer be changed.");
    }

    [Fact]
    public async Task Saved_filters_belong_to_the_person_who_saved_them()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        using var colleague = await desk.Build.ClientAsync(await desk.Build.UserAsync(await desk.Build.ProviderIdAsync(), "technician"));

        var saved = await agent.PostAsJsonAsync("/api/v1/incidents/saved-filters", new { name = "P1 网络", query = "queue=open&priority=1&q=网络&evil=<script>" });
        var twice = await agent.PostAsJsonAsync("/api/v1/incidents/saved-filters", new { name = "P1 网络", query = "queue=all" });

        saved.StatusCode.ShouldBe(HttpStatusCode.Created);
        var filter = await saved.Content.ReadFromJsonAsync<JsonElement>();
        filter.GetProperty("query").GetString().ShouldBe("queue=open&priority=1&q=%E7%BD%91%E7%BB%9C");
        twice.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await agent.GetFromJsonAsync<JsonElement>("/api/v1/incidents/saved-filters")).GetArrayLength().ShouldBe(1);
        (await colleague.GetFromJsonAsync<JsonElement>("/api/v1/incidents/saved-filters")).GetArrayLength().ShouldBe(0);
        var id = filter.GetProperty("id").GetGuid();
        (await colleague.DeleteAsync($"/api/v1/incidents/saved-filters/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await agent.DeleteAsync($"/api/v1/incidents/saved-filters/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Staff_who_may_only_log_cannot_assign_or_declare_a_major_incident()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var cab = await desk.Build.ClientAsync(await desk.Build.UserAsync(await desk.Build.ProviderIdAsync(), "cab-member"));

        var assigned = await cab.PostAsJsonAsync("/api/v1/incidents", new { title = "x", organisationId = desk.Customer, callerName = "x", assigneeId = desk.Agent.Id });
        var major = await cab.PostAsJsonAsync("/api/v1/incidents", new { title = "x", organisationId = desk.Customer, callerName = "x", isMajor = true });
        var plain = await cab.PostAsJsonAsync("/api/v1/incidents", new { title = "Change window overran", organisationId = desk.Customer, callerName = "CAB" });

        assigned.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        major.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        plain.StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_deactivated_colleague_cannot_be_assigned()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var leaver = await desk.Build.UserAsync(await desk.Build.ProviderIdAsync(), "technician");
        (await desk.Build.Admin.PatchIfMatchAsync($"/api/v1/users/{leaver.Id}", new { isActive = false }, 1)).EnsureSuccessStatusCode();
        var incident = await desk.LogForCustomerAsync(agent);

        var response = await IncidentDesk.MoveAsync(agent, incident, "assign", new { assigneeId = leaver.Id });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("assigneeId")[0].GetString()
            .ShouldBe("Choose an active member of the provider's staff.");
    }

    [Fact]
    public async Task The_priority_matrix_is_configurable()
    {
        var desk = await IncidentDesk.CreateAsync(host);
        var cells = (await desk.Build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/incident-settings/priority-matrix")).EnumerateArray()
            .Select(c => new { impact = c.GetProperty("impact").GetString(), urgency = c.GetProperty("urgency").GetString(), priority = c.GetProperty("priority").GetInt32() })
            .ToList();
        var changed = cells.Select(c => c.impact == "low" && c.urgency == "low" ? c with { priority = 4 } : c).ToList();
        try
        {
            (await desk.Build.Admin.PutAsJsonAsync("/api/v1/incident-settings/priority-matrix", changed)).StatusCode.ShouldBe(HttpStatusCode.OK);
            using var agent = await desk.Build.ClientAsync(desk.Agent);
            (await desk.LogForCustomerAsync(agent, impact: "low", urgency: "low")).GetProperty("priority").GetInt32().ShouldBe(4);
            (await desk.Build.Admin.PutAsJsonAsync("/api/v1/incident-settings/priority-matrix", changed.Take(8))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }
        finally
        {
            await desk.Build.Admin.PutAsJsonAsync("/api/v1/incident-settings/priority-matrix", cells);
        }
    }
}

public sealed class IncidentApiTestsOnSqlite(SqliteCertus host) : IncidentApiTests(host), IClassFixture<SqliteCertus>;

public sealed class IncidentApiTestsOnPostgres(PostgresCertus host) : IncidentApiTests(host), IClassFixture<PostgresCertus>;
