using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;
using static Certus.Problems.Tests.Api.ProblemWorld;

namespace Certus.Problems.Tests.Api;

/// <summary>Problems through the real host and API: the transition table, validation, permissions, links and the known-error database.</summary>
public abstract class ProblemFlowTests(CertusFixture host)
{
    [Fact]
    public async Task A_problem_moves_from_logged_to_closed_and_each_move_asks_for_what_it_needs()
    {
        var world = await ForAsync(host);
        using var manager = await world.StaffAsync("problem-manager");
        var (incident, _) = await world.IncidentAsync("Trading gateway unreachable");
        var problem = await CreateAsync(manager, new { title = "Gateway drops sessions", sourceKind = "incident", sourceRef = incident, priority = 2 });
        State(problem).ShouldBe("logged");
        Number(problem).ShouldMatch("^PRB-[0-9]{6}$");
        problem.GetProperty("incidents")[0].GetProperty("number").GetString().ShouldBe(incident);
        problem.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()).ShouldBe(["investigate", "cancel"]);

        // A move the table does not allow names the moves that are.
        var refused = await MoveAsync(manager, problem, "resolve", new { resolution = "x" }, HttpStatusCode.Conflict);
        refused.GetProperty("detail").GetString()!.ShouldContain("investigate, cancel");
        refused.GetProperty("errors").GetProperty("allowed").EnumerateArray().Select(a => a.GetString()).ShouldBe(["investigate", "cancel"]);

        var investigating = await MoveAsync(manager, problem, "investigate", new { reason = "Session logs requested" });
        State(investigating).ShouldBe("investigating");
        investigating.GetProperty("ownerName").GetString().ShouldNotBeNullOrEmpty();

        // A known error needs its root cause and its workaround; nothing is written without them.
        var incomplete = await MoveAsync(manager, problem, "known-error", new { rootCause = "TLS library mismatch" }, HttpStatusCode.BadRequest);
        Fields(incomplete).ShouldBe(["workaround"]);
        (await GetAsync(manager, problem)).GetProperty("rootCause").GetString().ShouldBe("");
        var known = await MoveAsync(manager, problem, "known-error", new { rootCause = "TLS library mismatch", workaround = "Restart the gateway", symptoms = "会话中断 sessions drop" });
        State(known).ShouldBe("known-error");
        known.GetProperty("knownErrorAt").ValueKind.ShouldBe(JsonValueKind.String);
        known.GetProperty("isKnownError").GetBoolean().ShouldBeTrue();

        // Waiting for a fix needs a change on its way.
        var noChange = await MoveAsync(manager, problem, "await-fix", expected: HttpStatusCode.BadRequest);
        Fields(noChange).ShouldBe(["changes"]);

        // Resolved without a change: the fix needed none (a supplier's patch).
        (await MoveAsync(manager, problem, "resolve", expected: HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("resolution").GetArrayLength().ShouldBe(1);
        var resolved = await MoveAsync(manager, problem, "resolve", new { resolution = "Vendor patch 3.2.2 installed by the supplier" });
        State(resolved).ShouldBe("resolved");
        resolved.GetProperty("resolvedAt").ValueKind.ShouldBe(JsonValueKind.String);

        // Recurrence reopens it; the reason is required.
        (await MoveAsync(manager, problem, "reopen", expected: HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("reason").GetArrayLength().ShouldBe(1);
        var reopened = await MoveAsync(manager, problem, "reopen", new { reason = "Sessions dropped again on 3.2.2" });
        State(reopened).ShouldBe("investigating");
        reopened.GetProperty("reopened").GetInt32().ShouldBe(1);
        reopened.GetProperty("resolution").GetString().ShouldBe("");
        reopened.GetProperty("resolvedAt").ValueKind.ShouldBe(JsonValueKind.Null);

        await MoveAsync(manager, problem, "resolve", new { resolution = "Gateway moved to the vendor's LTS build" });
        (await MoveAsync(manager, problem, "close", expected: HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("closureNote").GetArrayLength().ShouldBe(1);
        var closed = await MoveAsync(manager, problem, "close", new { closureNote = "No dropped session in 30 days" });
        State(closed).ShouldBe("closed");
        closed.GetProperty("allowedActions").GetArrayLength().ShouldBe(0);
        var again = await MoveAsync(manager, problem, "reopen", new { reason = "x" }, HttpStatusCode.Conflict);
        again.GetProperty("errors").GetProperty("allowed").GetArrayLength().ShouldBe(0);
        (await manager.PatchIfMatchAsync($"/api/v1/problems/{Id(problem)}", new { title = "late edit" }, Version(closed))).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // Every move is in the audit trail with its reason.
        var history = await world.HistoryAsync(problem);
        history.Select(e => e.GetProperty("action").GetString()).ShouldBe(
            ["created", "investigate", "known-error", "resolve", "reopen", "resolve", "close"]);
        history.Single(e => e.GetProperty("action").GetString() == "reopen").GetProperty("reason").GetString().ShouldBe("Sessions dropped again on 3.2.2");
        history.Single(e => e.GetProperty("action").GetString() == "investigate").GetProperty("reason").GetString().ShouldBe("Session logs requested");
    }

    [Fact]
    public async Task A_stale_version_is_refused_with_412_and_an_edit_without_one_with_428()
    {
        var world = await ForAsync(host);
        using var manager = await world.StaffAsync("problem-manager");
        var problem = await CreateAsync(manager, new { title = "Disk latency on the SAN" });
        var url = $"/api/v1/problems/{Id(problem)}";

        var edited = await ReadAsync(await manager.PatchIfMatchAsync(url, new { priority = 1, symptoms = "await > 200 ms" }, Version(problem)), HttpStatusCode.OK);
        edited.GetProperty("priority").GetInt32().ShouldBe(1);
        edited.GetProperty("title").GetString().ShouldBe("Disk latency on the SAN");
        (await manager.PatchIfMatchAsync(url, new { priority = 2 }, Version(problem))).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await manager.PatchAsJsonAsync(url, new { priority = 2 })).StatusCode.ShouldBe((HttpStatusCode)428);
        (await manager.SendIfMatchAsync(HttpMethod.Post, $"{url}/investigate", new { }, Version(problem))).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await manager.SendIfMatchAsync(HttpMethod.Post, $"{url}/investigate", new { }, Version(edited))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_problem_with_wrong_fields_is_refused_field_by_field_and_nothing_is_recorded()
    {
        var world = await ForAsync(host);
        using var manager = await world.StaffAsync("problem-manager");
        var before = (await manager.GetFromJsonAsync<JsonElement>("/api/v1/problems")).GetProperty("total").GetInt64();

        var refused = await ReadAsync(await manager.PostAsJsonAsync("/api/v1/problems", new
        {
            title = "", priority = 7, category = "weather", service = "NO-SUCH", cis = new[] { "NET-999999" }, sourceKind = "rumour",
            incidents = new[] { "INC-999999", "not-a-number" }, ownerId = Guid.NewGuid(),
        }), HttpStatusCode.BadRequest);
        Fields(refused).ShouldBe(["title", "priority", "category", "service", "cis", "ownerId", "sourceKind", "incidents"], ignoreOrder: true);
        var major = await ReadAsync(await manager.PostAsJsonAsync("/api/v1/problems", new
        {
            title = "Not major", sourceKind = "major-incident", sourceRef = (await world.IncidentAsync("An ordinary incident")).Number,
        }), HttpStatusCode.BadRequest);
        Fields(major).ShouldBe(["sourceRef"]);
        (await ReadAsync(await manager.PostAsJsonAsync("/api/v1/problems", new { title = "From a release", sourceKind = "release" }), HttpStatusCode.BadRequest))
            .GetProperty("errors").GetProperty("sourceRef").GetArrayLength().ShouldBe(1);

        (await manager.GetFromJsonAsync<JsonElement>("/api/v1/problems")).GetProperty("total").GetInt64().ShouldBe(before);
    }

    [Fact]
    public async Task The_desk_raises_problems_and_links_incidents_but_only_problem_managers_move_them_and_customers_see_nothing()
    {
        var world = await ForAsync(host);
        using var agent = await world.StaffAsync("service-desk-agent");
        using var auditor = await world.StaffAsync("auditor");
        var customerOrg = await world.Build.OrganisationAsync();
        using var customer = await world.Build.ClientAsync(await world.Build.UserAsync(customerOrg, "customer-user"));
        var (incident, _) = await world.IncidentAsync("Portal login fails");

        var problem = await CreateAsync(agent, new { title = "Portal sign-in fails after password reset", incidents = new[] { incident } });
        var (other, _) = await world.IncidentAsync("Portal login fails again");
        var linked = await ReadAsync(await agent.PostAsJsonAsync($"/api/v1/problems/{Id(problem)}/incidents", new { incident = other }), HttpStatusCode.OK);
        linked.GetProperty("incidents").GetArrayLength().ShouldBe(2);
        (await agent.PostAsJsonAsync($"/api/v1/problems/{Id(problem)}/investigate", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.PatchIfMatchAsync($"/api/v1/problems/{Id(problem)}", new { priority = 1 }, Version(linked))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.DeleteAsync($"/api/v1/problems/{Id(problem)}/incidents/{other}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.PostAsJsonAsync($"/api/v1/problems/{Id(problem)}/changes", new { change = "CHG-000001" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The auditor reads problems but raises none.
        (await auditor.GetAsync($"/api/v1/problems/{Id(problem)}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await auditor.PostAsJsonAsync("/api/v1/problems", new { title = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        foreach (var url in new[] { "/api/v1/problems", $"/api/v1/problems/{Id(problem)}", "/api/v1/known-errors", "/api/v1/problems/trends" })
        {
            (await customer.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, url);
        }
        (await customer.PostAsJsonAsync("/api/v1/problems", new { title = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.GetAsync($"/api/v1/problems/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await world.Admin.PostAsJsonAsync($"/api/v1/problems/{Guid.NewGuid()}/investigate", new { })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Unlinking is the problem manager's, and audited on the problem.
        using var manager = await world.StaffAsync("problem-manager");
        var unlinked = await ReadAsync(await manager.DeleteAsync($"/api/v1/problems/{Id(problem)}/incidents/{other}?reason=Different%20cause"), HttpStatusCode.OK);
        unlinked.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("number").GetString()).ShouldBe([incident]);
        var history = await world.HistoryAsync(problem);
        history.Select(e => e.GetProperty("action").GetString()).ShouldBe(["created", "incident-linked", "incident-unlinked"]);
        history[2].GetProperty("reason").GetString().ShouldBe("Different cause");
    }

    [Fact]
    public async Task Idempotency_key_makes_a_retried_create_record_one_problem()
    {
        var world = await ForAsync(host);
        using var manager = await world.StaffAsync("problem-manager");
        var key = Guid.NewGuid().ToString();
        async Task<JsonElement> Post()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/problems") { Content = JsonContent.Create(new { title = "Retried problem " + key }) };
            request.Headers.Add("Idempotency-Key", key);
            return await ReadAsync(await manager.SendAsync(request), HttpStatusCode.Created);
        }

        var first = await Post();
        var second = await Post();

        Id(second).ShouldBe(Id(first));
        (await manager.GetFromJsonAsync<JsonElement>($"/api/v1/problems?q={Uri.EscapeDataString("Retried problem " + key)}")).GetProperty("total").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task A_change_raised_from_a_problem_carries_it_as_its_source_and_the_problem_waits_for_it()
    {
        var world = await ForAsync(host);
        using var manager = await world.StaffAsync("problem-manager");
        var ci = await world.CiAsync();
        var problem = await KnownErrorAsync(manager, "Optics degrade on the core switch", [ci.Identifier]);

        var refused = await ReadAsync(await manager.PostAsJsonAsync($"/api/v1/problems/{Id(problem)}/changes", new { type = "normal", title = "" }), HttpStatusCode.BadRequest);
        Fields(refused).ShouldBe(["title", "reason"], ignoreOrder: true);
        var waiting = await ReadAsync(await manager.PostAsJsonAsync($"/api/v1/problems/{Id(problem)}/changes", new
        {
            type = "normal", title = "Replace the optics", reason = "Removes the cause of the flapping",
        }), HttpStatusCode.OK);

        State(waiting).ShouldBe("fix-pending");
        var change = waiting.GetProperty("changes").EnumerateArray().Single();
        change.GetProperty("how").GetString().ShouldBe("raised");
        change.GetProperty("state").GetString().ShouldBe("draft");
        var number = change.GetProperty("number").GetString()!;
        var raised = (await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/changes?q={number}")).GetProperty("items")[0];
        var full = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/changes/{raised.GetProperty("id").GetGuid()}");
        full.GetProperty("sourceKind").GetString().ShouldBe("problem");
        full.GetProperty("sourceRef").GetString().ShouldBe(Number(problem));
        full.GetProperty("cis").EnumerateArray().Select(c => c.GetProperty("identifier").GetString()).ShouldBe([ci.Identifier]);

        // An existing change is linked by its number; a second link of the same change is refused.
        var existing = await ChangeBuilder.AuthorisedAsync(world.Admin, "Monitor optical power");
        var linked = await ReadAsync(await manager.PostAsJsonAsync($"/api/v1/problems/{Id(problem)}/changes", new { change = existing }), HttpStatusCode.OK);
        linked.GetProperty("changes").EnumerateArray().Select(c => (c.GetProperty("number").GetString(), c.GetProperty("how").GetString()))
            .ShouldContain((existing, "linked"));
        (await manager.PostAsJsonAsync($"/api/v1/problems/{Id(problem)}/changes", new { change = existing })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await manager.PostAsJsonAsync($"/api/v1/problems/{Id(problem)}/changes", new { change = "CHG-999999" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await world.HistoryAsync(problem)).Select(e => e.GetProperty("action").GetString())
            .ShouldBe(["created", "investigate", "known-error", "change-raised", "await-fix", "change-linked"]);
    }

    [Fact]
    public async Task When_its_change_is_implemented_the_problem_is_resolved_by_Certus_and_its_known_error_marked_fixed()
    {
        var world = await ForAsync(host);
        using var manager = await world.StaffAsync("problem-manager");
        var problem = await KnownErrorAsync(manager, "Flapping uplink", [(await world.CiAsync()).Identifier]);
        var change = await ChangeBuilder.AuthorisedAsync(world.Admin, "Replace the uplink optics");
        var waiting = await ReadAsync(await manager.PostAsJsonAsync($"/api/v1/problems/{Id(problem)}/changes", new { change }), HttpStatusCode.OK);
        State(waiting).ShouldBe("fix-pending");

        await world.MoveChangeAsync(change, "implement");
        State(await GetAsync(manager, problem)).ShouldBe("fix-pending");
        await world.MoveChangeAsync(change, "complete");

        var resolved = await GetAsync(manager, problem);
        State(resolved).ShouldBe("resolved");
        resolved.GetProperty("fixedByChange").GetString().ShouldBe(change);
        resolved.GetProperty("resolution").GetString()!.ShouldContain(change);
        resolved.GetProperty("changes")[0].GetProperty("state").GetString().ShouldBe("implemented");
        var entry = (await world.HistoryAsync(problem)).Last();
        entry.GetProperty("action").GetString().ShouldBe("resolve");
        entry.GetProperty("actorName").GetString().ShouldBe("system");
        entry.GetProperty("actorId").ValueKind.ShouldBe(JsonValueKind.Null);
        entry.GetProperty("reason").GetString()!.ShouldContain(change);

        // The known-error database keeps it, marked fixed by the change.
        var fixedErrors = await manager.GetFromJsonAsync<JsonElement>("/api/v1/known-errors?status=fixed&q=" + Uri.EscapeDataString(Number(problem)));
        var known = fixedErrors.EnumerateArray().Single();
        known.GetProperty("status").GetString().ShouldBe("fixed");
        known.GetProperty("fixedByChange").GetString().ShouldBe(change);
        (await manager.GetFromJsonAsync<JsonElement>("/api/v1/known-errors?q=" + Uri.EscapeDataString(Number(problem)))).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_failed_change_is_noted_on_the_problem_which_keeps_waiting()
    {
        var world = await ForAsync(host);
        using var manager = await world.StaffAsync("problem-manager");
        var problem = await KnownErrorAsync(manager, "Memory leak in the portal", [(await world.CiAsync()).Identifier]);
        var change = await ChangeBuilder.AuthorisedAsync(world.Admin, "Patch the portal");
        await ReadAsync(await manager.PostAsJsonAsync($"/api/v1/problems/{Id(problem)}/changes", new { change }), HttpStatusCode.OK);

        await world.MoveChangeAsync(change, "implement");
        await world.MoveChangeAsync(change, "fail", new { reason = "Patch would not install" });

        var still = await GetAsync(manager, problem);
        State(still).ShouldBe("fix-pending");
        still.GetProperty("changes")[0].GetProperty("state").GetString().ShouldBe("failed");
        var note = (await world.HistoryAsync(problem)).Last();
        note.GetProperty("action").GetString().ShouldBe("change-failed");
        note.GetProperty("actorName").GetString().ShouldBe("system");
        // With no fix on its way, the problem goes back to known error with the reason.
        (await MoveAsync(manager, still, "known-error", expected: HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("reason").GetArrayLength().ShouldBe(1);
        State(await MoveAsync(manager, still, "known-error", new { reason = "Vendor withdrew the patch" })).ShouldBe("known-error");
        (await MoveAsync(manager, still, "await-fix", expected: HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("changes").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task The_known_error_database_finds_errors_by_symptom_cause_or_workaround_by_service_and_by_ci()
    {
        var world = await ForAsync(host);
        using var manager = await world.StaffAsync("problem-manager");
        using var agent = await world.StaffAsync("service-desk-agent");
        var service = await world.ServiceAsync();
        var ci = await world.CiAsync();
        var marker = Guid.NewGuid().ToString("N")[..8];
        var problem = await KnownErrorAsync(manager, $"交换机光模块老化 {marker}", [ci.Identifier], service, workaround: $"关闭抖动端口 shut the port {marker}");
        await CreateAsync(manager, new { title = $"Not a known error {marker}", cis = new[] { ci.Identifier } });

        async Task<IEnumerable<string?>> Find(string query) =>
            (await agent.GetFromJsonAsync<JsonElement>("/api/v1/known-errors?" + query)).EnumerateArray().Select(k => k.GetProperty("number").GetString());

        (await Find($"q={marker}")).ShouldBe([Number(problem)]);
        (await Find($"q={Uri.EscapeDataString("抖动 " + marker)}")).ShouldBe([Number(problem)]);
        (await Find($"q={Uri.EscapeDataString("ageing optics " + marker)}")).ShouldBe([Number(problem)]);
        (await Find($"q={Uri.EscapeDataString("FLAP")}&ci={ci.Name}")).ShouldBe([Number(problem)]);
        (await Find($"ci={ci.Identifier}")).ShouldBe([Number(problem)]);
        (await Find($"service={service.ToLowerInvariant()}")).ShouldBe([Number(problem)]);
        (await Find($"q={marker}&status=fixed")).ShouldBeEmpty();
        (await Find($"q={marker}+nowhere")).ShouldBeEmpty();
        var found = (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/known-errors?q={marker}"))[0];
        found.GetProperty("workaround").GetString()!.ShouldContain("关闭抖动端口");
        found.GetProperty("cis")[0].GetProperty("identifier").GetString().ShouldBe(ci.Identifier);
    }

    [Fact]
    public async Task Three_incidents_on_one_ci_make_a_trend_until_an_open_problem_explains_them()
    {
        var world = await ForAsync(host);
        using var manager = await world.StaffAsync("problem-manager");
        var ci = "fw-trend-" + Guid.NewGuid().ToString("N")[..6];
        var incidents = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            incidents.Add((await world.IncidentAsync($"Firewall drops packets {i}", ci: ci)).Number);
        }
        await world.IncidentAsync("Lonely incident", ci: "fw-lonely-" + Guid.NewGuid().ToString("N")[..6]);

        async Task<JsonElement?> Trend(int min = 3) =>
            (await manager.GetFromJsonAsync<JsonElement>($"/api/v1/problems/trends?days=30&min={min}")).EnumerateArray()
                .Cast<JsonElement?>().FirstOrDefault(t => t!.Value.GetProperty("reference").GetString() == ci);

        var trend = (await Trend())!.Value;
        trend.GetProperty("kind").GetString().ShouldBe("ci");
        trend.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("number").GetString()).ShouldBe(incidents, ignoreOrder: true);
        (await Trend(4)).ShouldBeNull();

        // A problem explaining two of them leaves one: below the threshold, the trend is covered.
        await CreateAsync(manager, new { title = "Firewall drops packets", sourceKind = "trend", sourceRef = ci, incidents = incidents.Take(2).ToArray() });
        (await Trend()).ShouldBeNull();
        (await Trend(2)).ShouldBeNull();
    }

    [Fact]
    public async Task A_release_that_deploys_the_fix_resolves_the_problem_and_marks_its_known_error_fixed()
    {
        var world = await ForAsync(host);
        using var changeManager = await world.StaffAsync("change-manager");
        using var manager = await world.StaffAsync("problem-manager");
        var (release, problem) = await world.ReleaseFixingAsync(changeManager, manager, "Gateway drops sessions under load");
        State(problem).ShouldBe("fix-pending");

        await Releasing.MoveAsync(changeManager, release.Id, "deploy");
        State(await GetAsync(manager, problem)).ShouldBe("fix-pending");
        await Releasing.MoveAsync(changeManager, release.Id, "complete");

        // Manual §9.1.7: after a successful release the problem knowledge base is brought up to date.
        var resolved = await GetAsync(manager, problem);
        State(resolved).ShouldBe("resolved");
        resolved.GetProperty("fixedByChange").GetString().ShouldBe(release.Change);
        var known = (await manager.GetFromJsonAsync<JsonElement>("/api/v1/known-errors?status=fixed&q=" + Uri.EscapeDataString(Number(problem)))).EnumerateArray().Single();
        known.GetProperty("fixedByChange").GetString().ShouldBe(release.Change);
    }

    [Fact]
    public async Task A_failed_release_with_a_latent_cause_opens_a_problem_in_the_same_write()
    {
        var world = await ForAsync(host);
        using var changeManager = await world.StaffAsync("change-manager");
        var releasing = new Releasing(world.Admin);
        var release = await releasing.PrepareAsync(changeManager, until: "deploying");

        var failed = await Releasing.MoveAsync(changeManager, release.Id, "fail",
            new { reason = "Gateway did not start", latentCause = "TLS library differs between staging and production" });
        var number = failed.GetProperty("number").GetString()!;

        using var manager = await world.StaffAsync("problem-manager");
        var page = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/problems?q={Uri.EscapeDataString(failed.GetProperty("identifier").GetString()!)}");
        var row = page.GetProperty("items").EnumerateArray().Single();
        var problem = await ReadAsync(await manager.GetAsync($"/api/v1/problems/{row.GetProperty("id").GetGuid()}"), HttpStatusCode.OK);
        State(problem).ShouldBe("logged");
        problem.GetProperty("sourceKind").GetString().ShouldBe("release");
        problem.GetProperty("sourceRef").GetString().ShouldBe(number);
        problem.GetProperty("serviceCode").GetString().ShouldBe(release.ServiceCode);
        problem.GetProperty("cis").EnumerateArray().Select(c => c.GetProperty("identifier").GetString()).ShouldBe([release.CiIdentifier]);
        problem.GetProperty("description").GetString()!.ShouldContain("TLS library differs between staging and production");
        problem.GetProperty("description").GetString()!.ShouldContain(release.Change);
        var created = (await world.HistoryAsync(problem)).Single();
        created.GetProperty("action").GetString().ShouldBe("created");
        created.GetProperty("reason").GetString()!.ShouldContain(number);

        // A further cause on the back-out joins the same problem rather than opening another.
        await Releasing.MoveAsync(changeManager, release.Id, "back-out", new { backOutResult = "3.2.1 reinstalled", latentCause = "Certificate chain incomplete" });
        var again = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/problems?q={Uri.EscapeDataString(failed.GetProperty("identifier").GetString()!)}");
        again.GetProperty("total").GetInt64().ShouldBe(1);
        (await GetAsync(manager, problem)).GetProperty("description").GetString()!.ShouldContain("Certificate chain incomplete");
    }
}

public sealed class ProblemFlowTestsOnSqlite(SqliteCertus host) : ProblemFlowTests(host), IClassFixture<SqliteCertus>;

public sealed class ProblemFlowTestsOnPostgres(PostgresCertus host) : ProblemFlowTests(host), IClassFixture<PostgresCertus>;
