using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Releases.Tests.Api;

/// <summary>What the release API refuses, and to whom: validation in both languages, stale writes, illegal moves, permissions.</summary>
public abstract class ReleaseApiTests(CertusFixture host)
{
    [Fact]
    public async Task A_release_names_each_missing_or_unusable_field_in_the_callers_language_and_writes_nothing()
    {
        var build = await Builders.ForAsync(host);
        var releasing = new Releasing(build.Admin);
        var (code, _) = await releasing.PolicyAsync();
        var before = (await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/releases?service={code}")).GetProperty("total").GetInt64();

        var empty = await Releasing.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/releases", new { }), HttpStatusCode.BadRequest);
        var bad = await Releasing.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/releases", new
        {
            serviceCode = code, type = "hotfix", title = "Bad plan", plannedStart = DateTimeOffset.UtcNow.AddDays(2), plannedEnd = DateTimeOffset.UtcNow.AddDays(1),
            changes = new[] { "CHG-999999" }, items = new[] { new { ci = "APP-999999", versionLabel = "1.0" }, new { ci = "", versionLabel = "" } },
        }), HttpStatusCode.BadRequest);
        using var chinese = await host.AdminAsync("zh-CN");
        var zh = await Releasing.ReadAsync(await chinese.PostAsJsonAsync("/api/v1/releases", new { serviceCode = "NOPE", type = "minor", title = "x" }), HttpStatusCode.BadRequest);

        Releasing.Fields(empty).ShouldBe(["serviceCode", "title", "type"], ignoreOrder: true);
        Releasing.Fields(bad).ShouldBe(["type", "plannedEnd", "changes[0]", "items[0].ci", "items[1].ci", "items[1].versionLabel"], ignoreOrder: true);
        bad.GetProperty("errors").GetProperty("type")[0].GetString()!.ShouldContain("major, minor, emergency");
        zh.GetProperty("errors").GetProperty("serviceCode")[0].GetString()!.ShouldContain("尚无发布策略");
        (await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/releases?service={code}")).GetProperty("total").GetInt64().ShouldBe(before);
    }

    [Fact]
    public async Task Only_authorised_changes_go_into_a_release_and_each_into_one_release_only()
    {
        var build = await Builders.ForAsync(host);
        var releasing = new Releasing(build.Admin);
        var (code, _) = await releasing.PolicyAsync();
        var ci = await releasing.ApplicationAsync("1.0");
        var change = await releasing.AuthorisedChangeAsync();
        var draft = await Releasing.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/changes", new { type = "normal", title = "Not yet assessed", reason = "Test" }),
            HttpStatusCode.Created);
        var item = new[] { new { ci = ci.Identifier, versionLabel = "1.1" } };

        var unauthorised = await Releasing.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/releases",
            Releasing.Plan(code, "Draft change", [draft.GetProperty("number").GetString()!], item)), HttpStatusCode.BadRequest);
        await releasing.CreateAsync(Releasing.Plan(code, "First", [change], item));
        var twice = await Releasing.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/releases", Releasing.Plan(code, "Second", [change], item)), HttpStatusCode.BadRequest);

        unauthorised.GetProperty("errors").GetProperty("changes[0]")[0].GetString()!.ShouldContain("not authorised");
        twice.GetProperty("errors").GetProperty("changes[0]")[0].GetString()!.ShouldContain("already in release REL-");
    }

    [Fact]
    public async Task A_retried_create_with_the_same_idempotency_key_plans_one_release()
    {
        var build = await Builders.ForAsync(host);
        var releasing = new Releasing(build.Admin);
        var (code, _) = await releasing.PolicyAsync();
        var ci = await releasing.ApplicationAsync("2.0");
        var plan = Releasing.Plan(code, "Retried", [await releasing.AuthorisedChangeAsync()], [new { ci = ci.Identifier, versionLabel = "2.1" }]);
        HttpRequestMessage Request()
        {
            var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/releases") { Content = JsonContent.Create(plan) };
            message.Headers.Add("Idempotency-Key", "rel-retry-" + code);
            return message;
        }

        var first = await Releasing.ReadAsync(await build.Admin.SendAsync(Request()), HttpStatusCode.Created);
        var second = await Releasing.ReadAsync(await build.Admin.SendAsync(Request()), HttpStatusCode.Created);

        second.GetProperty("id").GetGuid().ShouldBe(first.GetProperty("id").GetGuid());
        (await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/releases?service={code}")).GetProperty("total").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task Edits_need_the_version_read_stale_ones_are_refused_and_the_content_is_fixed_once_built()
    {
        var build = await Builders.ForAsync(host);
        var releasing = new Releasing(build.Admin);
        var release = await releasing.PrepareAsync(build.Admin);
        var url = $"/api/v1/releases/{release.Id}";
        var current = await build.Admin.GetAsync(url);
        var version = int.Parse(current.Headers.ETag!.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);

        (await build.Admin.PatchAsJsonAsync(url, new { title = "No If-Match" })).StatusCode.ShouldBe(HttpStatusCode.PreconditionRequired);
        var edited = await Releasing.ReadAsync(await build.Admin.PatchIfMatchAsync(url, new { risks = "Session loss; mitigated by draining", reason = "CAB asked" }, version), HttpStatusCode.OK);
        (await build.Admin.PatchIfMatchAsync(url, new { risks = "stale" }, version)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await build.Admin.SendIfMatchAsync(HttpMethod.Post, $"{url}/build", new { }, version)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        var built = await Releasing.ReadAsync(await build.Admin.SendIfMatchAsync(HttpMethod.Post, $"{url}/build", new { }, edited.GetProperty("version").GetInt32()), HttpStatusCode.OK);
        var fixedContent = await Releasing.ReadAsync(await build.Admin.PatchIfMatchAsync(url, new { changes = Array.Empty<string>() }, built.GetProperty("version").GetInt32()),
            HttpStatusCode.BadRequest);

        edited.GetProperty("risks").GetString().ShouldBe("Session loss; mitigated by draining");
        Releasing.Fields(fixedContent).ShouldBe(["changes"]);
        var audit = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=release&recordId={release.Id}");
        var update = audit.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "updated");
        update.GetProperty("reason").GetString().ShouldBe("CAB asked");
        update.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("field").GetString()).ShouldBe(["risks"]);
    }

    [Fact]
    public async Task An_illegal_move_is_409_with_the_moves_allowed_and_an_unknown_release_is_404()
    {
        var build = await Builders.ForAsync(host);
        var release = await new Releasing(build.Admin).PrepareAsync(build.Admin);

        var illegal = await Releasing.MoveAsync(build.Admin, release.Id, "complete", expected: HttpStatusCode.Conflict);

        illegal.GetProperty("detail").GetString()!.ShouldContain("Allowed now: build, cancel");
        illegal.GetProperty("errors").GetProperty("allowed").EnumerateArray().Select(a => a.GetString()).ShouldBe(["build", "cancel"]);
        (await build.Admin.PostAsJsonAsync($"/api/v1/releases/{Guid.NewGuid()}/build", new { })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await build.Admin.GetAsync($"/api/v1/releases/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var cancel = await Releasing.MoveAsync(build.Admin, release.Id, "cancel", expected: HttpStatusCode.BadRequest);
        Releasing.Fields(cancel).ShouldBe(["reason"]);
    }

    [Fact]
    public async Task Customers_see_no_release_staff_read_them_and_only_release_managers_plan_and_move_them()
    {
        var build = await Builders.ForAsync(host);
        var release = await new Releasing(build.Admin).PrepareAsync(build.Admin);
        var provider = await build.ProviderIdAsync();
        using var customer = await build.ClientAsync(await build.UserAsync(await build.OrganisationAsync(), "customer-user"));
        using var agent = await build.ClientAsync(await build.UserAsync(provider, "service-desk-agent"));

        foreach (var path in new[] { "/api/v1/releases", $"/api/v1/releases/{release.Id}", "/api/v1/release-policies", $"/api/v1/release-policies/{release.PolicyId}" })
        {
            (await customer.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
            (await agent.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }
        (await customer.PostAsJsonAsync($"/api/v1/releases/{release.Id}/build", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.PostAsJsonAsync("/api/v1/releases", Releasing.Plan(release.ServiceCode, "Agent's release", [], []))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.PostAsJsonAsync($"/api/v1/releases/{release.Id}/build", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.PostAsJsonAsync($"/api/v1/releases/{release.Id}/test", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.PostAsJsonAsync("/api/v1/release-policies", new { serviceCode = release.ServiceCode, name = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/releases/{release.Id}")).GetProperty("state").GetString().ShouldBe("planned");
    }

    [Fact]
    public async Task A_release_policy_is_one_per_service_with_a_usable_scheme_and_its_edits_are_versioned_and_audited()
    {
        var build = await Builders.ForAsync(host);
        var releasing = new Releasing(build.Admin);
        var (code, policyId) = await releasing.PolicyAsync(scheme: "{service}-{type}-{seq}");

        var duplicate = await Releasing.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/release-policies", new { serviceCode = code, name = "Again" }), HttpStatusCode.BadRequest);
        var invalid = await Releasing.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/release-policies", new
        {
            serviceCode = "NO-SUCH", name = "", identificationScheme = "{service}-{week}", authorisingRole = "customer-user",
            types = new[] { new { key = "Major!", frequency = "" }, new { key = "minor", frequency = "" }, new { key = "minor", frequency = "" } },
        }), HttpStatusCode.BadRequest);
        var policy = await build.Admin.GetAsync($"/api/v1/release-policies/{policyId}");
        var version = int.Parse(policy.Headers.ETag!.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
        var body = new { serviceCode = code, name = "Hosting releases", types = new[] { new { key = "minor", frequency = "fortnightly" } }, identificationScheme = "{service}-{seq}", authorisingRole = "cab-member" };
        var updated = await Releasing.ReadAsync(await build.Admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/release-policies/{policyId}", body, version), HttpStatusCode.OK);
        (await build.Admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/release-policies/{policyId}", body, version)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await build.Admin.PutAsJsonAsync($"/api/v1/release-policies/{policyId}", body)).StatusCode.ShouldBe(HttpStatusCode.PreconditionRequired);
        var release = await releasing.CreateAsync(new { serviceCode = code, type = "minor", title = "Numbered by the new scheme" });

        Releasing.Fields(duplicate).ShouldBe(["serviceCode"]);
        Releasing.Fields(invalid).ShouldBe(["serviceCode", "name", "identificationScheme", "authorisingRole", "types[0].key", "types[2].key"], ignoreOrder: true);
        updated.GetProperty("types").GetArrayLength().ShouldBe(1);
        updated.GetProperty("authorisingRole").GetString().ShouldBe("cab-member");
        release.GetProperty("identifier").GetString().ShouldBe($"{code}-1");
        var audit = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=release-policy&recordId={policyId}");
        audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ShouldBe(["created", "updated"], ignoreOrder: true);
    }
}

public sealed class ReleaseApiTestsOnSqlite(SqliteCertus host) : ReleaseApiTests(host), IClassFixture<SqliteCertus>;

public sealed class ReleaseApiTestsOnPostgres(PostgresCertus host) : ReleaseApiTests(host), IClassFixture<PostgresCertus>;
