using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Certus.Changes.Tests.Api;

public abstract class ChangeFlowTests(CertusFixture host)
{
    private static string Tag() => Guid.NewGuid().ToString("N")[..6];

    private async Task<(Builders Build, ChangeApi Api, HttpClient Cab1, HttpClient Cab2, Builders.TestUser Member1, Builders.TestUser Member2)> CabAsync(
        string mode = "all", int quorum = 0)
    {
        var build = await Builders.ForAsync(host);
        var provider = await build.ProviderIdAsync();
        var m1 = await build.UserAsync(provider, "cab-member");
        var m2 = await build.UserAsync(provider, "cab-member");
        var api = new ChangeApi(build.Admin);
        await api.BoardAsync("cab", mode, quorum, m1.Id, m2.Id);
        return (build, api, await build.ClientAsync(m1), await build.ClientAsync(m2), m1, m2);
    }

    [Fact]
    public async Task A_normal_change_goes_from_request_through_the_cab_to_review_and_its_cmdb_update_lands_only_when_implemented()
    {
        var (build, api, cab1, cab2, _, _) = await CabAsync();
        var setup = await ChangeBuilder.AuthorisedAsync(build.Admin);
        var sw = await ChangeApi.NewCiAsync(build.Admin, "network-device", $"sw-core-{Tag()}", "in-use", setup);
        var change = await api.NormalAsync("Core switch firmware", [sw], cmdbUpdates: new[] { new { ci = sw, versionLabel = "V200R022" } });
        ChangeApi.State(change).ShouldBe("draft");
        change.GetProperty("number").GetString()!.ShouldStartWith("CHG-");
        change.GetProperty("riskLevel").GetString().ShouldBe("low");

        ChangeApi.State(await api.MovedAsync(change, "submit")).ShouldBe("submitted");
        var illegal = await ChangeApi.ReadAsync(await api.MoveAsync(change, "schedule", new { plannedStart = DateTimeOffset.UtcNow.AddDays(3), plannedEnd = DateTimeOffset.UtcNow.AddDays(3).AddHours(2) }),
            HttpStatusCode.Conflict);
        illegal.GetProperty("detail").GetString()!.ShouldContain("assess");
        var assessed = await api.MovedAsync(change, "assess");
        ChangeApi.State(assessed).ShouldBe("assessed");
        assessed.GetProperty("impact").GetProperty("cis").ValueKind.ShouldBe(JsonValueKind.Array);
        assessed.GetProperty("riskAnswers").GetProperty("tested").GetString().ShouldBe("yes");
        assessed.GetProperty("approvals").GetArrayLength().ShouldBe(2);

        // The admin holds no CAB membership: approving is refused; the members decide, each with a reason.
        (await build.Admin.PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(change)}/authorise", new { reason = "ok" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var noReason = await ChangeApi.ReadAsync(await cab1.PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(change)}/authorise", new { }), HttpStatusCode.BadRequest);
        ChangeApi.Fields(noReason).ShouldBe(["reason"]);
        var half = await ChangeApi.ReadAsync(await cab1.PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(change)}/authorise", new { reason = "Plan is sound" }), HttpStatusCode.OK);
        ChangeApi.State(half).ShouldBe("assessed");
        (await cab1.PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(change)}/authorise", new { reason = "again" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var authorised = await ChangeApi.ReadAsync(await cab2.PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(change)}/authorise", new { reason = "Tested in the lab" }), HttpStatusCode.OK);
        ChangeApi.State(authorised).ShouldBe("authorised");
        authorised.GetProperty("authorised").GetBoolean().ShouldBeTrue();

        var start = DateTimeOffset.UtcNow.AddYears(3).AddDays(Random.Shared.Next(1, 300));
        ChangeApi.State(await api.MovedAsync(change, "schedule", new { plannedStart = start, plannedEnd = start.AddHours(2) })).ShouldBe("scheduled");
        ChangeApi.State(await api.MovedAsync(change, "implement")).ShouldBe("implementing");
        var before = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis?q={sw}");
        before.GetProperty("items")[0].GetProperty("versionLabel").GetString().ShouldBe("");
        var done = await api.MovedAsync(change, "complete");
        ChangeApi.State(done).ShouldBe("implemented");
        done.GetProperty("cmdbAppliedAt").ValueKind.ShouldBe(JsonValueKind.String);
        var after = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis?q={sw}");
        after.GetProperty("items")[0].GetProperty("versionLabel").GetString().ShouldBe("V200R022");

        (await api.MoveAsync(change, "close")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var badReview = await ChangeApi.ReadAsync(await api.MoveAsync(change, "review", new { result = "great", incidentsCaused = new[] { "42" } }), HttpStatusCode.BadRequest);
        ChangeApi.Fields(badReview).ShouldBe(["incidentsCaused", "lessons", "result"], ignoreOrder: true);
        var reviewed = await api.MovedAsync(change, "review", new { result = "successful", incidentsCaused = Array.Empty<string>(), lessons = "Announce the window a week earlier" });
        reviewed.GetProperty("review").GetProperty("lessons").GetString().ShouldBe("Announce the window a week earlier");
        ChangeApi.State(await api.MovedAsync(change, "close")).ShouldBe("closed");

        var trail = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=change&recordId={ChangeApi.Id(change)}");
        var actions = trail.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        actions.ShouldBe(["created", "submit", "assess", "approved", "approved", "authorise", "schedule", "implement", "complete", "review", "close"], ignoreOrder: true);
        trail.EnumerateArray().Where(e => e.GetProperty("action").GetString() == "approved")
            .Select(e => e.GetProperty("reason").GetString()).ShouldBe(["Plan is sound", "Tested in the lab"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_standard_change_is_pre_authorised_by_its_template_and_closes_without_a_board()
    {
        var build = await Builders.ForAsync(host);
        var api = new ChangeApi(build.Admin);
        var templates = await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/change-settings/templates?active=true");
        var template = templates[0];

        var missing = await ChangeApi.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/changes", new { type = "standard", title = "Patch", reason = "Monthly" }),
            HttpStatusCode.BadRequest);
        ChangeApi.Fields(missing).ShouldBe(["templateId"]);
        var change = await api.CreateAsync(new { type = "standard", title = "Patch the test hosts", reason = "Monthly", templateId = template.GetProperty("id").GetGuid() });
        change.GetProperty("implementationPlan").GetString().ShouldBe(template.GetProperty("implementationPlan").GetString());
        change.GetProperty("riskLevel").GetString().ShouldBe("low");

        var submitted = await api.MovedAsync(change, "submit");
        ChangeApi.State(submitted).ShouldBe("authorised");
        submitted.GetProperty("approvals").GetArrayLength().ShouldBe(0);
        ChangeApi.State(await api.MovedAsync(change, "implement")).ShouldBe("implementing");
        ChangeApi.State(await api.MovedAsync(change, "complete")).ShouldBe("implemented");
        ChangeApi.State(await api.MovedAsync(change, "close")).ShouldBe("closed");
        var illegal = await ChangeApi.ReadAsync(await api.MoveAsync(change, "cancel", new { reason = "late" }), HttpStatusCode.Conflict);
        illegal.GetProperty("detail").GetString()!.ShouldContain("none");

        var trail = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=change&recordId={ChangeApi.Id(change)}");
        trail.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "submit")
            .GetProperty("reason").GetString()!.ShouldContain(template.GetProperty("name").GetString()!);
    }

    [Fact]
    public async Task An_emergency_change_is_authorised_by_the_emergency_board_and_a_failed_one_is_backed_out_and_reviewed_before_it_closes()
    {
        // Tests in a class run one after another, so the changes carried out since now are this test's alone.
        var started = DateTimeOffset.UtcNow;
        var build = await Builders.ForAsync(host);
        var api = new ChangeApi(build.Admin);
        var manager = await build.UserAsync(await build.ProviderIdAsync(), "change-manager");
        var other = await build.UserAsync(await build.ProviderIdAsync(), "change-manager");
        await api.BoardAsync("ecab", "any", 0, manager.Id, other.Id);
        using var ecab = await build.ClientAsync(manager);

        var change = await api.CreateAsync(new
        {
            type = "emergency", title = "Replace the failed PSU", reason = "PSU2 failed", services = Array.Empty<string>(),
            cis = new[] { await ChangeApi.NewCiAsync(build.Admin, "server", $"db-{Tag()}") },
            implementationPlan = "Hot-swap PSU2", riskAnswers = ChangeApi.LowRisk,
        });
        var incomplete = await ChangeApi.ReadAsync(await api.MoveAsync(change, "submit"), HttpStatusCode.BadRequest);
        ChangeApi.Fields(incomplete).ShouldBe(["backoutPlan"]);
        await ChangeApi.ReadAsync(await build.Admin.PatchIfMatchAsync($"/api/v1/changes/{ChangeApi.Id(change)}", new
        {
            title = "Replace the failed PSU", reason = "PSU2 failed", implementationPlan = "Hot-swap PSU2", backoutPlan = "Put the old PSU back",
            cis = change.GetProperty("cis").EnumerateArray().Select(c => c.GetProperty("identifier").GetString()).ToArray(),
        }, 1), HttpStatusCode.OK);
        var submitted = await api.MovedAsync(change, "submit");
        ChangeApi.State(submitted).ShouldBe("submitted");
        submitted.GetProperty("boardName").GetString()!.ShouldContain("Emergency");

        ChangeApi.State(await ChangeApi.ReadAsync(await ecab.PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(change)}/authorise", new { reason = "Single supply is too risky" }),
            HttpStatusCode.OK)).ShouldBe("authorised");
        ChangeApi.State(await api.MovedAsync(change, "implement")).ShouldBe("implementing");
        var noReason = await ChangeApi.ReadAsync(await api.MoveAsync(change, "fail"), HttpStatusCode.BadRequest);
        ChangeApi.Fields(noReason).ShouldBe(["reason"]);
        ChangeApi.State(await api.MovedAsync(change, "fail", new { reason = "Spare PSU was the wrong model" })).ShouldBe("failed");
        ChangeApi.State(await api.MovedAsync(change, "back-out", new { reason = "Old PSU reseated" })).ShouldBe("backed-out");
        (await api.MoveAsync(change, "close")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var successful = await ChangeApi.ReadAsync(await api.MoveAsync(change, "review", new { result = "successful", lessons = "x" }), HttpStatusCode.BadRequest);
        ChangeApi.Fields(successful).ShouldBe(["result"]);
        var reviewed = await api.MovedAsync(change, "review", new { result = "unsuccessful", incidentsCaused = new[] { "INC-000007" }, lessons = "Keep spares per model" });
        reviewed.GetProperty("review").GetProperty("incidentsCaused").EnumerateArray().Select(i => i.GetString()).ShouldBe(["INC-000007"]);
        ChangeApi.State(await api.MovedAsync(change, "close")).ShouldBe("closed");
        reviewed.GetProperty("outcomeReason").GetString().ShouldBe("Old PSU reseated");

        // Closed after its review, the backed-out change still counts as failed for the management review.
        await using var scope = host.Services.CreateAsyncScope();
        var input = scope.ServiceProvider.GetServices<Certus.Audits.Contracts.IManagementReviewInput>().Single(i => i.Key == "changes");
        var section = await input.CompileAsync(started, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        section.Figures.Single(f => f.Label == "Failed or backed out").Value.ShouldBe(1);
        section.Figures.Single(f => f.Label == "Success rate").Value.ShouldBe(0);
    }

    [Fact]
    public async Task A_quorum_authorises_with_enough_approvals_and_rejects_once_it_cannot_be_reached()
    {
        var build = await Builders.ForAsync(host);
        var provider = await build.ProviderIdAsync();
        var members = new[] { await build.UserAsync(provider, "cab-member"), await build.UserAsync(provider, "cab-member"), await build.UserAsync(provider, "cab-member") };
        var api = new ChangeApi(build.Admin);
        await api.BoardAsync("cab", "quorum", 2, members.Select(m => m.Id).ToArray());
        var clients = new List<HttpClient>();
        foreach (var m in members)
        {
            clients.Add(await build.ClientAsync(m));
        }

        async Task<JsonElement> Assessed(string title)
        {
            var c = await api.NormalAsync(title, [await ChangeApi.NewCiAsync(build.Admin, "server", $"q-{Tag()}")]);
            await api.MovedAsync(c, "submit");
            return await api.MovedAsync(c, "assess");
        }

        var first = await Assessed("Quorum yes");
        await ChangeApi.ReadAsync(await clients[0].PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(first)}/reject", new { reason = "Not now" }), HttpStatusCode.OK);
        await ChangeApi.ReadAsync(await clients[1].PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(first)}/authorise", new { reason = "Fine" }), HttpStatusCode.OK);
        var decided = await ChangeApi.ReadAsync(await clients[2].PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(first)}/authorise", new { reason = "Fine too" }), HttpStatusCode.OK);
        ChangeApi.State(decided).ShouldBe("authorised");

        var second = await Assessed("Quorum no");
        await ChangeApi.ReadAsync(await clients[0].PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(second)}/reject", new { reason = "Risky" }), HttpStatusCode.OK);
        var rejected = await ChangeApi.ReadAsync(await clients[1].PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(second)}/reject", new { reason = "No back-out test" }), HttpStatusCode.OK);
        ChangeApi.State(rejected).ShouldBe("rejected");
        rejected.GetProperty("approvals").EnumerateArray().Select(a => a.GetProperty("decision").GetString()).ShouldBe(["rejected", "rejected", "not-needed"], ignoreOrder: true);
        (await clients[2].PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(second)}/authorise", new { reason = "late" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // Someone outside the board, even with the right role, has no vote.
        var third = await Assessed("Outsider");
        using var outsider = await build.ClientAsync(await build.UserAsync(provider, "cab-member"));
        (await outsider.PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(third)}/authorise", new { reason = "me too" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var agent = await build.ClientAsync(await build.UserAsync(provider, "service-desk-agent"));
        (await agent.PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(third)}/authorise", new { reason = "me too" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task An_approver_decides_through_the_link_in_the_approval_mail_once_and_only_as_themselves()
    {
        var (build, api, cab1, cab2, member1, _) = await CabAsync("any");
        var change = await api.NormalAsync("Link approval", [await ChangeApi.NewCiAsync(build.Admin, "server", $"l-{Tag()}")]);
        await api.MovedAsync(change, "submit");
        await api.MovedAsync(change, "assess");
        var number = change.GetProperty("number").GetString()!;

        var inbox = await cab1.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications");
        var link = inbox.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("link").GetString()).First(l => l != null && l.StartsWith("/changes/approve/", StringComparison.Ordinal))!;
        var token = link["/changes/approve/".Length..];

        (await cab2.PostAsJsonAsync($"/api/v1/change-approvals/{token}/approve", new { reason = "not mine" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var shown = await cab1.GetFromJsonAsync<JsonElement>($"/api/v1/change-approvals/{token}");
        shown.GetProperty("number").GetString().ShouldBe(number);
        shown.GetProperty("usable").GetBoolean().ShouldBeTrue();
        var decided = await ChangeApi.ReadAsync(await cab1.PostAsJsonAsync($"/api/v1/change-approvals/{token}/approve", new { reason = "Approved from my phone" }), HttpStatusCode.OK);
        ChangeApi.State(decided).ShouldBe("authorised");
        decided.GetProperty("approvals").EnumerateArray().Single(a => a.GetProperty("approverId").GetGuid() == member1.Id).GetProperty("via").GetString().ShouldBe("email");
        (await cab1.PostAsJsonAsync($"/api/v1/change-approvals/{token}/approve", new { reason = "twice" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Scheduling_shows_clashes_and_freezes_and_needs_an_explicit_override_with_a_reason()
    {
        var (build, api, cab1, _, _, _) = await CabAsync("any");
        var ci = await ChangeApi.NewCiAsync(build.Admin, "server", $"s-{Tag()}");
        var start = new DateTimeOffset(2031, 1, 1, 2, 0, 0, TimeSpan.FromHours(8)).AddDays(Random.Shared.Next(0, 3000));

        async Task<JsonElement> Authorised(string title)
        {
            var c = await api.NormalAsync(title, [ci]);
            await api.MovedAsync(c, "submit");
            await api.MovedAsync(c, "assess");
            return await ChangeApi.ReadAsync(await cab1.PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(c)}/authorise", new { reason = "ok" }), HttpStatusCode.OK);
        }

        var first = await Authorised("First on the server");
        await api.MovedAsync(first, "schedule", new { plannedStart = start, plannedEnd = start.AddHours(3) });
        var second = await Authorised("Second on the server");
        var clash = await ChangeApi.ReadAsync(await api.MoveAsync(second, "schedule", new { plannedStart = start.AddHours(1), plannedEnd = start.AddHours(2) }), HttpStatusCode.Conflict);
        clash.GetProperty("errors").GetProperty("plannedStart")[0].GetString()!.ShouldContain(first.GetProperty("number").GetString()!);
        ChangeApi.State(await api.GetAsync(second)).ShouldBe("authorised");
        var preview = await build.Admin.GetFromJsonAsync<JsonElement>(
            $"/api/v1/changes/{ChangeApi.Id(second)}/conflicts?start={Uri.EscapeDataString(start.AddHours(1).ToString("O"))}&end={Uri.EscapeDataString(start.AddHours(2).ToString("O"))}");
        preview.EnumerateArray().Select(c => c.GetProperty("kind").GetString()).ShouldBe(["change"]);

        var freeze = await ChangeApi.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/change-settings/windows", new
        {
            kind = "freeze", name = $"Freeze {Tag()}", startsAt = start.AddDays(1), endsAt = start.AddDays(2),
        }), HttpStatusCode.Created);
        var frozen = await ChangeApi.ReadAsync(await api.MoveAsync(second, "schedule", new { plannedStart = start.AddDays(1).AddHours(1), plannedEnd = start.AddDays(1).AddHours(2) }),
            HttpStatusCode.Conflict);
        frozen.GetProperty("errors").GetProperty("plannedStart")[0].GetString()!.ShouldContain(freeze.GetProperty("name").GetString()!);

        var noReason = await ChangeApi.ReadAsync(await api.MoveAsync(second, "schedule", new { plannedStart = start.AddHours(1), plannedEnd = start.AddHours(2), @override = true }),
            HttpStatusCode.BadRequest);
        ChangeApi.Fields(noReason).ShouldBe(["reason"]);
        var overridden = await api.MovedAsync(second, "schedule", new { plannedStart = start.AddHours(1), plannedEnd = start.AddHours(2), @override = true, reason = "Same engineer does both" });
        ChangeApi.State(overridden).ShouldBe("scheduled");
        overridden.GetProperty("scheduleOverride").GetString()!.ShouldContain("Same engineer does both");

        var calendar = await build.Admin.GetFromJsonAsync<JsonElement>(
            $"/api/v1/changes/schedule?from={Uri.EscapeDataString(start.AddDays(-1).ToString("O"))}&to={Uri.EscapeDataString(start.AddDays(3).ToString("O"))}");
        calendar.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("number").GetString())
            .ShouldBe([first.GetProperty("number").GetString(), second.GetProperty("number").GetString()]);
        calendar.GetProperty("windows").EnumerateArray().Select(w => w.GetProperty("name").GetString()).ShouldContain(freeze.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_ci_in_use_changes_only_under_an_authorised_change_and_the_change_records_what_it_touched()
    {
        var (build, api, cab1, _, _, _) = await CabAsync("any");
        var setup = await ChangeBuilder.AuthorisedAsync(build.Admin);
        var name = $"live-{Tag()}";
        var ci = await ChangeApi.NewCiAsync(build.Admin, "server", name, "in-use", setup);
        var found = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis?q={ci}");
        var id = found.GetProperty("items")[0].GetProperty("id").GetGuid();

        async Task<HttpResponseMessage> Edit(string? changeRef, int version) =>
            await build.Admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/cis/{id}", new { name, classId = "server", location = $"Hall {Tag()}", changeRef }, version);

        var draft = await api.NormalAsync("Move the server", [ci]);
        var refused = await ChangeApi.ReadAsync(await Edit(draft.GetProperty("number").GetString(), 1), (HttpStatusCode)422);
        refused.GetProperty("errors").GetProperty("changeRef")[0].GetString()!.ShouldContain("draft");
        (await Edit("CHG-999999", 1)).StatusCode.ShouldBe((HttpStatusCode)422);
        (await Edit("PROJECT-7", 1)).StatusCode.ShouldBe((HttpStatusCode)422);

        await api.MovedAsync(draft, "submit");
        await api.MovedAsync(draft, "assess");
        await ChangeApi.ReadAsync(await cab1.PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(draft)}/authorise", new { reason = "ok" }), HttpStatusCode.OK);
        (await Edit(draft.GetProperty("number").GetString(), 1)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync(draft)).GetProperty("touchedCiIds").EnumerateArray().Select(t => t.GetGuid()).ShouldBe([id]);

        await api.MovedAsync(draft, "cancel", new { reason = "Done already" });
        (await Edit(draft.GetProperty("number").GetString(), 2)).StatusCode.ShouldBe((HttpStatusCode)422);
    }

    [Fact]
    public async Task Bad_requests_get_field_errors_and_customers_neither_raise_nor_see_other_organisations_changes()
    {
        var build = await Builders.ForAsync(host);
        var api = new ChangeApi(build.Admin);
        var invalid = await ChangeApi.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/changes", new
        {
            type = "sideways", title = "", cis = new[] { "NO-SUCH-CI" }, costEstimate = -5, supplierContract = "CT-1",
            riskAnswers = new Dictionary<string, string> { ["tested"] = "maybe" }, plannedStart = DateTimeOffset.UtcNow, plannedEnd = DateTimeOffset.UtcNow.AddHours(-1),
        }), HttpStatusCode.BadRequest);
        ChangeApi.Fields(invalid).ShouldBe(["type", "title", "reason", "cis", "costEstimate", "slaImpact", "riskAnswers.tested", "plannedEnd"], ignoreOrder: true);
        (await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/changes?q=sideways")).GetProperty("total").GetInt64().ShouldBe(0);

        var mine = await build.OrganisationAsync();
        var theirs = await build.OrganisationAsync();
        var forMine = await api.CreateAsync(new { type = "normal", title = "Firewall rule for us", reason = "Customer asked through sales", organisationId = mine });
        forMine.GetProperty("origin").GetString().ShouldBe("customer");
        var forTheirs = await api.CreateAsync(new { type = "normal", title = "Firewall rule for them", reason = "Customer asked", organisationId = theirs });
        using var customer = await build.ClientAsync(await build.UserAsync(mine, "customer-user"));
        (await customer.PostAsJsonAsync("/api/v1/changes", new { type = "normal", title = "x", reason = "y" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var list = await customer.GetFromJsonAsync<JsonElement>("/api/v1/changes");
        list.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ShouldBe([ChangeApi.Id(forMine)]);
        (await customer.GetAsync($"/api/v1/changes/{ChangeApi.Id(forTheirs)}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await customer.PostAsJsonAsync($"/api/v1/changes/{ChangeApi.Id(forMine)}/submit", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var boards = await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/change-settings/boards");
        var cab = boards.EnumerateArray().Single(b => b.GetProperty("key").GetString() == "cab");
        var outsider = await build.UserAsync(mine, "customer-user");
        var refused = await ChangeApi.ReadAsync(await build.Admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/change-settings/boards/{cab.GetProperty("id").GetGuid()}",
            new { approvalMode = "all", memberIds = new[] { outsider.Id } }, cab.GetProperty("version").GetInt32()), HttpStatusCode.BadRequest);
        ChangeApi.Fields(refused).ShouldBe(["memberIds"]);

        var stale = await build.Admin.PatchIfMatchAsync($"/api/v1/changes/{ChangeApi.Id(forMine)}", new { title = "Renamed", reason = "r", organisationId = mine }, 7);
        stale.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task A_change_raised_inside_another_processs_write_is_gone_when_that_write_fails_and_kept_when_it_commits()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var services = Certus.Kernel.Security.Callers.ActAsSystem(scope.ServiceProvider);
        var records = services.GetRequiredService<Contracts.IChangeRecords>();
        var database = services.GetRequiredService<Certus.Data.Database>();
        Contracts.RaiseChange Raise(string title) => new("normal", title, "Root cause known: firmware leak", null, [], "problem", "PRB-000042");

        // A problem's link (or a release's back-out) that fails after raising its change takes the change with it.
        Contracts.ChangeFacts? inside = null;
        await Should.ThrowAsync<InvalidOperationException>(() => database.WriteAsync<int>(async (connection, tx) =>
        {
            var raised = await records.RaiseAsync(Raise("Rolled back " + Tag()), connection, tx, CancellationToken.None);
            inside = raised.Value;
            throw new InvalidOperationException("the caller's own write failed after raising");
        }));
        inside.ShouldNotBeNull("the change was raised inside the write");
        (await records.FindAsync([inside.Number], CancellationToken.None)).ShouldBeEmpty();

        var title = "Kept " + Tag();
        var kept = await database.WriteAsync(async (connection, tx) => (await records.RaiseAsync(Raise(title), connection, tx, CancellationToken.None)).Value!);
        var found = (await records.FindAsync([kept.Number], CancellationToken.None)).ShouldHaveSingleItem();
        found.Title.ShouldBe(title);
        found.State.ShouldBe("draft");
    }
}

public sealed class ChangeFlowTestsOnSqlite(SqliteCertus host) : ChangeFlowTests(host), IClassFixture<SqliteCertus>;

public sealed class ChangeFlowTestsOnPostgres(PostgresCertus host) : ChangeFlowTests(host), IClassFixture<PostgresCertus>;
