using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Certus.Releases.Tests.Api;

/// <summary>A release from plan to closure, and a failed one backed out, through the API on a real database.</summary>
public abstract class ReleaseFlowTests(CertusFixture host)
{
    private async Task<(Builders Build, Releasing Releasing, HttpClient Manager)> SetUpAsync()
    {
        var build = await Builders.ForAsync(host);
        var manager = await build.ClientAsync(await build.UserAsync(await build.ProviderIdAsync(), "change-manager"));
        return (build, new Releasing(build.Admin), manager);
    }

    private static async Task<List<string>> AuditActionsAsync(HttpClient admin, Guid id, string recordType = "release")
    {
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType={recordType}&recordId={id}");
        return [.. audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()!)];
    }

    private static async Task<JsonElement> ChangeAsync(HttpClient admin, string number) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/changes?q={number}")).GetProperty("items").EnumerateArray()
            .Single(c => c.GetProperty("number").GetString() == number);

    [Fact]
    public async Task A_release_goes_from_plan_to_production_puts_the_released_versions_in_the_cmdb_takes_a_baseline_and_publishes_its_notes()
    {
        var (build, releasing, manager) = await SetUpAsync();
        var (code, _) = await releasing.PolicyAsync();
        var ci = await releasing.ApplicationAsync("3.2.1");
        var change = await releasing.AuthorisedChangeAsync();

        var created = await releasing.CreateAsync(Releasing.Plan(code, "Trading gateway 3.3", [change], [new { ci = ci.Identifier, versionLabel = "3.3.0" }]));
        var id = created.GetProperty("id").GetGuid();
        created.GetProperty("number").GetString()!.ShouldMatch("^REL-[0-9]{6}$");
        created.GetProperty("identifier").GetString().ShouldBe($"{code}-{DateTimeOffset.UtcNow.Year}.1");
        created.GetProperty("state").GetString().ShouldBe("planned");
        created.GetProperty("changes")[0].GetProperty("changeNumber").GetString().ShouldBe(change);
        created.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()).ShouldBe(["build", "cancel"]);

        (await Releasing.MoveAsync(manager, id, "build")).GetProperty("state").GetString().ShouldBe("building");
        var tested = await Releasing.MoveAsync(manager, id, "test", new { kind = "integration", environment = "staging", result = "failed", summary = "Orders time out" });
        tested.GetProperty("state").GetString().ShouldBe("testing");
        await Releasing.MoveAsync(manager, id, "test", new { kind = "integration", environment = "staging", result = "passed", summary = "Order flow end to end" });
        await Releasing.MoveAsync(manager, id, "test", new { kind = "acceptance", environment = "pre-production", result = "passed", summary = "Customer signed off" });
        var accepted = await Releasing.MoveAsync(manager, id, "accept", new { reason = "Criteria met" });
        accepted.GetProperty("state").GetString().ShouldBe("accepted");
        accepted.GetProperty("tests").GetArrayLength().ShouldBe(3);
        (await Releasing.MoveAsync(manager, id, "deploy")).GetProperty("changes")[0].GetProperty("authorisedAtDeploy").GetBoolean().ShouldBeTrue();
        (await ChangeAsync(build.Admin, change)).GetProperty("state").GetString().ShouldBe("implementing");

        var deployed = await Releasing.MoveAsync(manager, id, "complete");

        var implemented = await ChangeAsync(build.Admin, change);
        implemented.GetProperty("state").GetString().ShouldBe("implemented");
        (await AuditActionsAsync(build.Admin, implemented.GetProperty("id").GetGuid(), "change")).ShouldBe(["created", "submit", "implement", "complete"], ignoreOrder: true);
        var changeAudit = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=change&recordId={implemented.GetProperty("id").GetGuid()}");
        changeAudit.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "complete").GetProperty("reason").GetString()!
            .ShouldContain(created.GetProperty("number").GetString()!);

        deployed.GetProperty("state").GetString().ShouldBe("deployed");
        deployed.GetProperty("items")[0].GetProperty("previousVersion").GetString().ShouldBe("3.2.1");
        (await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{ci.Id}")).GetProperty("versionLabel").GetString().ShouldBe("3.3.0");
        var baselineId = deployed.GetProperty("baselineId").GetGuid();
        var baseline = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/baselines/{baselineId}");
        baseline.GetProperty("items").EnumerateArray().ShouldContain(i => i.GetProperty("ciId").GetGuid() == ci.Id);

        var refused = await Releasing.MoveAsync(manager, id, "close", expected: HttpStatusCode.Conflict);
        refused.GetProperty("detail").GetString()!.ShouldContain("release notes");
        var noted = await Releasing.ReadAsync(await manager.PatchIfMatchAsync($"/api/v1/releases/{id}",
            new { notes = "## 3.3.0\n\n**Faster orders.** <script>alert(1)</script>" }, deployed.GetProperty("version").GetInt32()), HttpStatusCode.OK);
        noted.GetProperty("notesPublishedAt").ValueKind.ShouldBe(JsonValueKind.Null);
        var published = await Releasing.ReadAsync(await manager.PostAsJsonAsync($"/api/v1/releases/{id}/notes/publish", new { }), HttpStatusCode.OK);
        published.GetProperty("notesPublishedAt").ValueKind.ShouldBe(JsonValueKind.String);
        (await Releasing.MoveAsync(manager, id, "close")).GetProperty("state").GetString().ShouldBe("closed");

        (await AuditActionsAsync(build.Admin, id)).ShouldBe(
            ["created", "build", "test", "test", "test", "accept", "deploy", "complete", "baseline-taken", "updated", "notes-published", "close"], ignoreOrder: true);
        var cmdbHistory = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{ci.Id}/versions");
        cmdbHistory[0].GetProperty("changeRef").GetString().ShouldBe(change);
    }

    [Fact]
    public async Task A_failed_deployment_is_backed_out_its_re_attempt_goes_back_to_change_management_and_its_latent_cause_is_kept()
    {
        var (build, releasing, manager) = await SetUpAsync();
        var release = await releasing.PrepareAsync(manager, until: "deploying");

        var failed = await Releasing.MoveAsync(manager, release.Id, "fail", new { reason = "Gateway did not start: TLS handshake errors", latentCause = "TLS library mismatch between staging and production" });
        failed.GetProperty("state").GetString().ShouldBe("failed");
        (await ChangeAsync(build.Admin, release.Change)).GetProperty("state").GetString().ShouldBe("failed");
        failed.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()).ShouldBe(["back-out"]);
        var missing = await Releasing.MoveAsync(manager, release.Id, "back-out", new { reattempt = true }, HttpStatusCode.BadRequest);
        Releasing.Fields(missing).ShouldBe(["backOutResult"]);

        var backedOut = await Releasing.MoveAsync(manager, release.Id, "back-out",
            new { backOutResult = "3.2.1 reinstalled from the repository; orders flowing again at 03:10.", reattempt = true });

        backedOut.GetProperty("state").GetString().ShouldBe("backed-out");
        (await ChangeAsync(build.Admin, release.Change)).GetProperty("state").GetString().ShouldBe("backed-out");
        backedOut.GetProperty("latentCause").GetString().ShouldBe("TLS library mismatch between staging and production");
        var reattempt = backedOut.GetProperty("reattemptChange").GetString()!;
        reattempt.ShouldMatch("^CHG-[0-9]{6}$");
        reattempt.ShouldNotBe(release.Change);
        var changes = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/changes?q={reattempt}");
        changes.GetProperty("items").EnumerateArray().ShouldContain(c => c.GetProperty("number").GetString() == reattempt);
        (await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{release.CiId}")).GetProperty("versionLabel").GetString().ShouldBe("3.2.1");
        var again = await Releasing.MoveAsync(manager, release.Id, "deploy", expected: HttpStatusCode.Conflict);
        again.GetProperty("errors").GetProperty("allowed").EnumerateArray().Select(a => a.GetString()).ShouldBe(["close"]);
        (await Releasing.MoveAsync(manager, release.Id, "close")).GetProperty("state").GetString().ShouldBe("closed");
        var audit = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=release&recordId={release.Id}");
        var fail = audit.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "fail");
        fail.GetProperty("reason").GetString().ShouldBe("Gateway did not start: TLS handshake errors");
        fail.GetProperty("changes").EnumerateArray().ShouldContain(c => c.GetProperty("field").GetString() == "latentCause");
    }

    [Fact]
    public async Task A_normal_change_in_a_release_is_scheduled_in_the_release_window_and_implemented_with_it_and_rolls_back_with_the_release()
    {
        var (build, releasing, manager) = await SetUpAsync();
        var member = await build.UserAsync(await build.ProviderIdAsync(), "cab-member");
        using var cab = await build.ClientAsync(member);
        var board = (await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/change-settings/boards")).EnumerateArray().Single(b => b.GetProperty("key").GetString() == "cab");
        await Releasing.ReadAsync(await build.Admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/change-settings/boards/{board.GetProperty("id").GetGuid()}",
            new { approvalMode = "any", quorum = 0, memberRole = (string?)null, memberIds = new[] { member.Id } }, board.GetProperty("version").GetInt32()), HttpStatusCode.OK);
        var (code, _) = await releasing.PolicyAsync();
        var ci = await releasing.ApplicationAsync("3.2.1");
        var change = await Releasing.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/changes", new
        {
            type = "normal", title = "Gateway 3.3 for the release", reason = "Order latency", cis = new[] { ci.Identifier },
            riskAnswers = new Dictionary<string, string>(StringComparer.Ordinal) { ["services"] = "one", ["customers"] = "no", ["experience"] = "often", ["backout"] = "easy", ["tested"] = "yes" },
            implementationPlan = "Deploy by the release plan", backoutPlan = "Reinstall 3.2.1", testPlan = "Staging run",
        }), HttpStatusCode.Created);
        var changeId = change.GetProperty("id").GetGuid();
        var number = change.GetProperty("number").GetString()!;
        foreach (var move in new[] { "submit", "assess" })
        {
            await Releasing.ReadAsync(await build.Admin.PostAsJsonAsync($"/api/v1/changes/{changeId}/{move}", new { }), HttpStatusCode.OK);
        }
        (await Releasing.ReadAsync(await cab.PostAsJsonAsync($"/api/v1/changes/{changeId}/authorise", new { reason = "Plan is sound" }), HttpStatusCode.OK))
            .GetProperty("state").GetString().ShouldBe("authorised");
        var plan = await releasing.CreateAsync(Releasing.Plan(code, "Gateway 3.3", [number], [new { ci = ci.Identifier, versionLabel = "3.3.0" }]));
        var id = plan.GetProperty("id").GetGuid();
        await Releasing.MoveAsync(manager, id, "build");
        await Releasing.MoveAsync(manager, id, "test", new { kind = "integration", environment = "staging", result = "passed", summary = "Order flow end to end" });
        await Releasing.MoveAsync(manager, id, "accept", new { reason = "Criteria met" });

        await Releasing.MoveAsync(manager, id, "deploy");

        var implementing = await ChangeAsync(build.Admin, number);
        implementing.GetProperty("state").GetString().ShouldBe("implementing");
        implementing.GetProperty("plannedStart").GetDateTimeOffset().ShouldBe(plan.GetProperty("plannedStart").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        implementing.GetProperty("plannedEnd").GetDateTimeOffset().ShouldBe(plan.GetProperty("plannedEnd").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        // Its change cannot be cancelled or moved by hand past the release: implementing allows only its outcomes.
        (await build.Admin.PostAsJsonAsync($"/api/v1/changes/{changeId}/cancel", new { reason = "Too late" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        await Releasing.MoveAsync(manager, id, "fail", new { reason = "Health check failed after the switch" });
        await Releasing.MoveAsync(manager, id, "back-out", new { backOutResult = "3.2.1 reinstalled; orders flowing." });

        var backedOut = await ChangeAsync(build.Admin, number);
        backedOut.GetProperty("state").GetString().ShouldBe("backed-out");
        (await AuditActionsAsync(build.Admin, changeId, "change")).ShouldBe(
            ["created", "submit", "assess", "approved", "authorise", "schedule", "implement", "fail", "back-out"], ignoreOrder: true);
        (await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{ci.Id}")).GetProperty("versionLabel").GetString().ShouldBe("3.2.1");
        // The change owes its review as any failed change does; the manager may run it now.
        (await Releasing.ReadAsync(await build.Admin.PostAsJsonAsync($"/api/v1/changes/{changeId}/review",
            new { result = "unsuccessful", lessons = "Run the health check in staging with production TLS settings." }), HttpStatusCode.OK))
            .GetProperty("state").GetString().ShouldBe("reviewed");
    }

    [Fact]
    public async Task Acceptance_needs_a_passing_latest_run_of_every_test_and_the_role_the_policy_names()
    {
        var (build, releasing, manager) = await SetUpAsync();
        var provider = await build.ProviderIdAsync();
        using var technician = await build.ClientAsync(await build.UserAsync(provider, "technician"));
        using var cab = await build.ClientAsync(await build.UserAsync(provider, "cab-member"));
        var release = await releasing.PrepareAsync(manager, until: "building");

        await Releasing.MoveAsync(technician, release.Id, "test", new { kind = "performance", environment = "staging", result = "failed", summary = "p95 180 ms" });
        var failing = await Releasing.MoveAsync(manager, release.Id, "accept", expected: HttpStatusCode.Conflict);
        failing.GetProperty("detail").GetString()!.ShouldContain("Performance");
        (await technician.PostAsJsonAsync($"/api/v1/releases/{release.Id}/accept", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await Releasing.MoveAsync(technician, release.Id, "test", new { kind = "performance", environment = "staging", result = "passed", summary = "p95 41 ms after tuning" });
        var notTheRole = await Releasing.MoveAsync(cab, release.Id, "accept", expected: HttpStatusCode.Forbidden);
        notTheRole.GetProperty("detail").GetString()!.ShouldContain("Change manager");

        var accepted = await Releasing.MoveAsync(manager, release.Id, "accept");

        accepted.GetProperty("state").GetString().ShouldBe("accepted");
        accepted.GetProperty("acceptedAt").ValueKind.ShouldBe(JsonValueKind.String);
        (await technician.PostAsJsonAsync($"/api/v1/releases/{release.Id}/deploy", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_rebuild_after_failed_tests_needs_new_tests_and_a_new_acceptance()
    {
        var (_, releasing, manager) = await SetUpAsync();
        var release = await releasing.PrepareAsync(manager, until: "testing");

        var rebuilt = await Releasing.MoveAsync(manager, release.Id, "build", new { reason = "Fix for the order time-outs" });

        rebuilt.GetProperty("state").GetString().ShouldBe("building");
        (await Releasing.MoveAsync(manager, release.Id, "accept", expected: HttpStatusCode.Conflict))
            .GetProperty("errors").GetProperty("allowed").EnumerateArray().Select(a => a.GetString()).ShouldBe(["test", "cancel"]);
    }

    [Fact]
    public async Task A_release_does_not_go_out_once_one_of_its_changes_was_cancelled()
    {
        var (build, releasing, manager) = await SetUpAsync();
        var release = await releasing.PrepareAsync(manager, until: "accepted");
        var change = (await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/changes?q={release.Change}")).GetProperty("items")[0];
        await Releasing.ReadAsync(await build.Admin.PostAsJsonAsync($"/api/v1/changes/{change.GetProperty("id").GetGuid()}/cancel",
            new { reason = "Customer withdrew the request" }), HttpStatusCode.OK);

        var refused = await Releasing.MoveAsync(manager, release.Id, "deploy", expected: HttpStatusCode.Conflict);

        refused.GetProperty("detail").GetString()!.ShouldContain($"{release.Change} cannot go out");
        var current = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/releases/{release.Id}");
        current.GetProperty("state").GetString().ShouldBe("accepted");
        current.GetProperty("changes")[0].GetProperty("state").GetString().ShouldBe("cancelled");
        (await Releasing.MoveAsync(manager, release.Id, "cancel", new { reason = "Its change was withdrawn" })).GetProperty("state").GetString().ShouldBe("cancelled");
    }

    [Fact]
    public async Task Nothing_is_built_before_the_plan_names_changes_cis_dates_back_out_and_acceptance()
    {
        var (_, releasing, manager) = await SetUpAsync();
        var (code, _) = await releasing.PolicyAsync();
        var bare = await releasing.CreateAsync(new { serviceCode = code, type = "major", title = "Bare plan" });

        var refused = await Releasing.MoveAsync(manager, bare.GetProperty("id").GetGuid(), "build", expected: HttpStatusCode.BadRequest);

        Releasing.Fields(refused).ShouldBe(["changes", "items", "plannedStart", "plannedEnd", "backOutPlan", "acceptanceCriteria"], ignoreOrder: true);
    }

    [Fact]
    public async Task The_conformity_check_counts_deployed_releases_and_finds_none_unverified()
    {
        var (_, releasing, manager) = await SetUpAsync();
        var release = await releasing.PrepareAsync(manager, until: "deploying");
        await Releasing.MoveAsync(manager, release.Id, "complete");

        await using var scope = host.Services.CreateAsyncScope();
        var check = scope.ServiceProvider.GetServices<Certus.Kernel.Conformity.IConformityCheck>().Single(c => c.Key == "releases.deployed-unverified");
        var result = await check.RunAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);

        check.Clauses.Select(c => c.ToString()).ShouldBe(["2018:8.5.3", "2005:10.1"]);
        result.Verdict.ShouldBe(Certus.Kernel.Conformity.CheckVerdict.Conforming);
        result.Figures[0].Value.ShouldBeGreaterThanOrEqualTo(1m);
    }
}

public sealed class ReleaseFlowTestsOnSqlite(SqliteCertus host) : ReleaseFlowTests(host), IClassFixture<SqliteCertus>;

public sealed class ReleaseFlowTestsOnPostgres(PostgresCertus host) : ReleaseFlowTests(host), IClassFixture<PostgresCertus>;
