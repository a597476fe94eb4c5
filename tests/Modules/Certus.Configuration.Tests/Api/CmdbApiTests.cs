using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Configuration.Tests.Api;

public abstract class CmdbApiTests(CertusFixture host)
{
    private static IEnumerable<string> Field(JsonElement problem) => problem.GetProperty("errors").EnumerateObject().Select(e => e.Name);

    private static HashSet<Guid> Ids(JsonElement list) => [.. list.EnumerateArray().Select(i => i.GetProperty("id").GetGuid())];

    [Fact]
    public async Task The_shipped_class_model_is_seeded_with_inherited_attributes_and_relationship_rules()
    {
        var admin = await host.AdminAsync();

        var classes = await admin.GetFromJsonAsync<JsonElement>("/api/v1/ci-classes");
        var types = await admin.GetFromJsonAsync<JsonElement>("/api/v1/ci-relationship-types");

        var keys = classes.EnumerateArray().Select(c => c.GetProperty("key").GetString()).ToList();
        keys.ShouldBe(["application", "business-service", "contract", "data-centre", "database", "document", "facility", "hardware", "licence",
            "network-device", "rack", "server", "storage", "virtual-machine"], ignoreOrder: true);
        var server = classes.EnumerateArray().Single(c => c.GetProperty("key").GetString() == "server");
        server.GetProperty("identifierPrefix").GetString().ShouldBe("SRV");
        var attributes = server.GetProperty("allAttributes").EnumerateArray().Select(a => a.GetProperty("key").GetString()).ToList();
        attributes.ShouldContain("serialNumber");
        attributes.ShouldContain("cpuCores");
        var runsOn = types.EnumerateArray().Single(t => t.GetProperty("key").GetString() == "runs-on");
        runsOn.GetProperty("impact").GetString().ShouldBe("source");
        runsOn.GetProperty("acyclic").GetBoolean().ShouldBeTrue();
        runsOn.GetProperty("rules").GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Registering_names_the_ci_by_its_class_convention_and_keeps_typed_attributes_and_history()
    {
        var admin = await host.AdminAsync();
        var cmdb = new Cmdb(admin);

        var response = await admin.PostAsJsonAsync("/api/v1/cis", new
        {
            name = "sh-web-" + Guid.NewGuid().ToString("N")[..6], classId = "server", status = "received", location = "上海一号机房 A1-03",
            versionLabel = "BIOS 2.1", criticality = "high", attributes = new { cpuCores = "32", memoryGb = 256, warrantyEnds = "2028-06-30", serialNumber = "2102311QGK" },
        });

        var ci = await Cmdb.ReadAsync(response, HttpStatusCode.Created);
        var id = ci.GetProperty("id").GetGuid();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/cis/{id}");
        response.Headers.ETag!.Tag.ShouldBe("\"1\"");
        ci.GetProperty("identifier").GetString()!.ShouldMatch("^SRV-[0-9]{6}$");
        ci.GetProperty("status").GetString().ShouldBe("received");
        ci.GetProperty("attributes").GetProperty("cpuCores").GetDecimal().ShouldBe(32m);
        ci.GetProperty("attributes").GetProperty("warrantyEnds").GetString().ShouldBe("2028-06-30");
        ci.GetProperty("nextStatuses").EnumerateArray().Select(s => s.GetString()).ShouldBe(["under-test", "in-use", "withdrawn", "cancelled"]);
        var versions = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{id}/versions");
        versions.GetArrayLength().ShouldBe(1);
        versions[0].GetProperty("action").GetString().ShouldBe("registered");
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=ci&recordId={id}");
        audit.EnumerateArray().ShouldContain(e => e.GetProperty("action").GetString() == "created");
        (await cmdb.GetAsync(id)).GetProperty("classKey").GetString().ShouldBe("server");
    }

    [Fact]
    public async Task Bad_input_names_each_field_and_writes_nothing()
    {
        var admin = await host.AdminAsync();
        var name = "bad " + Guid.NewGuid().ToString("N")[..6];

        var unknownClass = await Cmdb.ReadAsync(await admin.PostAsJsonAsync("/api/v1/cis", new { name, classId = "spaceship" }), HttpStatusCode.BadRequest);
        var wrongTypes = await Cmdb.ReadAsync(await admin.PostAsJsonAsync("/api/v1/cis", new
        {
            name, classId = "server", attributes = new { cpuCores = "many", warrantyEnds = "30/06/2028", colour = "blue" },
        }), HttpStatusCode.BadRequest);
        var badEnum = await Cmdb.ReadAsync(await admin.PostAsJsonAsync("/api/v1/cis", new
        {
            name = "sw-" + Guid.NewGuid().ToString("N")[..6], classId = "network-device", attributes = new { deviceType = "toaster" },
        }), HttpStatusCode.BadRequest);
        var missingRequired = await Cmdb.ReadAsync(await admin.PostAsJsonAsync("/api/v1/cis", new { name = "Oracle 19c", classId = "licence" }), HttpStatusCode.BadRequest);

        Field(unknownClass).ShouldContain("classId");
        // "bad xxxxxx" has a space: servers are named like host names.
        Field(wrongTypes).ShouldBe(["name", "attributes.colour", "attributes.cpuCores", "attributes.warrantyEnds"], ignoreOrder: true);
        wrongTypes.GetProperty("errors").GetProperty("attributes.cpuCores")[0].GetString()!.ShouldContain("number");
        Field(badEnum).ShouldBe(["attributes.deviceType"]);
        badEnum.GetProperty("errors").GetProperty("attributes.deviceType")[0].GetString()!.ShouldContain("switch");
        Field(missingRequired).ShouldBe(["attributes.vendor"]);
        var list = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis?q={Uri.EscapeDataString(name)}");
        list.GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Messages_come_in_the_callers_language()
    {
        var admin = await host.AdminAsync("zh-CN");

        var problem = await Cmdb.ReadAsync(await admin.PostAsJsonAsync("/api/v1/cis", new
        {
            name = "sh-x-" + Guid.NewGuid().ToString("N")[..6], classId = "server", attributes = new { cpuCores = "很多" },
        }), HttpStatusCode.BadRequest);

        problem.GetProperty("errors").GetProperty("attributes.cpuCores")[0].GetString()!.ShouldContain("必须是数字");
    }

    [Fact]
    public async Task A_ci_in_use_changes_only_under_a_change_and_its_lifecycle_refuses_illegal_moves()
    {
        var admin = await host.AdminAsync();
        var cmdb = new Cmdb(admin);
        var chg = await ChangeBuilder.AuthorisedAsync(admin);
        var ci = await cmdb.RegisterAsync("server", "sh-app-" + Guid.NewGuid().ToString("N")[..6], attributes: new { memoryGb = 128 });
        var id = ci.GetProperty("id").GetGuid();

        var noChange = await Cmdb.ReadAsync(await cmdb.MoveAsync(id, "in-use", 1), (HttpStatusCode)422);
        noChange.GetProperty("errors").GetProperty("changeRef").GetArrayLength().ShouldBe(1);
        (await cmdb.GetAsync(id)).GetProperty("status").GetString().ShouldBe("received");
        (await cmdb.MoveAsync(id, "in-use", 1, chg, "Racked and cabled")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var illegal = await Cmdb.ReadAsync(await cmdb.MoveAsync(id, "disposed", 2, chg), HttpStatusCode.Conflict);
        illegal.GetProperty("detail").GetString()!.ShouldContain("changed, withdrawn");

        var edit = new { name = ci.GetProperty("name").GetString(), classId = "server", attributes = new { memoryGb = 512 } };
        (await admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/cis/{id}", edit, 2)).StatusCode.ShouldBe((HttpStatusCode)422);
        (await cmdb.GetAsync(id)).GetProperty("attributes").GetProperty("memoryGb").GetDecimal().ShouldBe(128m);
        var updated = await Cmdb.ReadAsync(
            await admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/cis/{id}", new { edit.name, edit.classId, edit.attributes, changeRef = chg }, 2),
            HttpStatusCode.OK);
        updated.GetProperty("attributes").GetProperty("memoryGb").GetDecimal().ShouldBe(512m);

        var stale = await admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/cis/{id}", new { edit.name, edit.classId, attributes = new { memoryGb = 64 }, changeRef = "CHG-9" }, 2);
        stale.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);

        var versions = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{id}/versions")).EnumerateArray().ToList();
        versions.Select(v => v.GetProperty("action").GetString()).ShouldBe(["updated", "status", "registered"]);
        versions[1].GetProperty("changeRef").GetString().ShouldBe(chg);
        versions[1].GetProperty("reason").GetString().ShouldBe("Racked and cabled");
        versions[1].GetProperty("actorName").GetString().ShouldNotBeNullOrEmpty();
        var first = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{id}/versions/1");
        first.GetProperty("snapshot").GetProperty("attributes").GetProperty("memoryGb").GetDecimal().ShouldBe(128m);
        first.GetProperty("snapshot").GetProperty("status").GetString().ShouldBe("received");
    }

    [Fact]
    public async Task Relationships_obey_class_rules_cycles_duplicates_and_change_control()
    {
        var admin = await host.AdminAsync();
        var cmdb = new Cmdb(admin);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var chg = await ChangeBuilder.AuthorisedAsync(admin);
        var later = await ChangeBuilder.AuthorisedAsync(admin);
        var app = await cmdb.IdAsync("application", $"OA {suffix}");
        var rack = await cmdb.IdAsync("rack", $"B2-01-{suffix}");
        var a = await cmdb.IdAsync("application", $"Portal {suffix}");
        var b = await cmdb.IdAsync("application", $"Gateway {suffix}");
        var c = await cmdb.IdAsync("application", $"Auth {suffix}");
        var live = await cmdb.IdAsync("server", $"sh-live-{suffix}", status: "in-use", changeRef: chg);

        var forbidden = await Cmdb.ReadAsync(await cmdb.TryRelateAsync(app, "runs-on", rack), HttpStatusCode.BadRequest);
        forbidden.GetProperty("errors").GetProperty("type")[0].GetString()!.ShouldContain("Application");
        await cmdb.RelateAsync(a, "depends-on", b);
        await cmdb.RelateAsync(b, "depends-on", c);
        var cycle = await Cmdb.ReadAsync(await cmdb.TryRelateAsync(c, "depends-on", a), HttpStatusCode.BadRequest);
        cycle.GetProperty("errors").GetProperty("type")[0].GetString()!.ShouldContain("cycle");
        (await cmdb.TryRelateAsync(a, "depends-on", b)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await cmdb.TryRelateAsync(a, "depends-on", a)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await cmdb.TryRelateAsync(app, "runs-on", live)).StatusCode.ShouldBe((HttpStatusCode)422);
        var related = await cmdb.RelateAsync(app, "runs-on", live, chg);

        var relationships = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{live}/relationships");
        relationships.GetProperty("incoming")[0].GetProperty("typeName").GetString().ShouldBe("runs on");
        relationships.GetProperty("incoming")[0].GetProperty("changeRef").GetString().ShouldBe(chg);
        (await admin.DeleteAsync($"/api/v1/ci-relationships/{related}")).StatusCode.ShouldBe((HttpStatusCode)422);
        var beforeRemoval = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        (await admin.DeleteAsync($"/api/v1/ci-relationships/{related}?changeRef={later}&reason=moved")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{live}/relationships")).GetProperty("incoming").GetArrayLength().ShouldBe(0);

        // Any past state: the relationship as it stood before it was removed, and the history of both moves.
        var then = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{live}/relationships?asOf={Uri.EscapeDataString(beforeRemoval.ToString("O"))}");
        then.GetProperty("incoming").EnumerateArray().Select(r => r.GetProperty("sourceId").GetGuid()).ShouldBe([app]);
        var history = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{live}/relationship-history")).EnumerateArray().ToList();
        history.Select(h => (h.GetProperty("op").GetString(), h.GetProperty("changeRef").GetString())).ShouldBe([("removed", later), ("added", chg)]);
    }

    [Fact]
    public async Task Impact_names_the_cis_services_and_customers_a_failing_switch_takes_down_with_the_path_for_each()
    {
        var build = await Builders.ForAsync(host);
        var cmdb = new Cmdb(build.Admin);
        var idc = await cmdb.IdcAsync(build);

        var impact = await Cmdb.ReadAsync(await build.Admin.GetAsync($"/api/v1/cis/{idc.Switch}/impact?depth=6"), HttpStatusCode.OK);

        Ids(impact.GetProperty("items")).ShouldBe([idc.Web, idc.Db, idc.Vm, idc.Database, idc.App, idc.Business], ignoreOrder: true);
        var business = impact.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == idc.Business);
        business.GetProperty("depth").GetInt32().ShouldBe(4);
        var path = business.GetProperty("path").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList();
        path.First().ShouldBe(idc.Switch);
        path.Last().ShouldBe(idc.Business);
        path.Count.ShouldBe(5);
        business.GetProperty("explanation").GetString()!.ShouldContain("depends on");
        var service = impact.GetProperty("services").EnumerateArray().Single();
        service.GetProperty("serviceCode").GetString().ShouldBe(idc.ServiceCode);
        service.GetProperty("serviceName").GetString().ShouldBe("Online trading");
        var customer = impact.GetProperty("customers").EnumerateArray().Single();
        customer.GetProperty("organisationId").GetGuid().ShouldBe(idc.Customer);
        customer.GetProperty("agreements").EnumerateArray().Select(a => a.GetProperty("id").GetGuid()).ShouldBe([idc.Agreement]);
        // The database serves the customer directly, two hops from the switch: the nearest reason is given.
        customer.GetProperty("viaCiId").GetGuid().ShouldBe(idc.Database);

        var shallow = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{idc.Switch}/impact?depth=2");
        Ids(shallow.GetProperty("items")).ShouldBe([idc.Web, idc.Db, idc.Vm, idc.Database], ignoreOrder: true);
        var backupImpact = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{idc.Backup}/impact");
        backupImpact.GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Dependencies_walk_the_other_way_and_follow_new_relationships_at_once()
    {
        var build = await Builders.ForAsync(host);
        var cmdb = new Cmdb(build.Admin);
        var idc = await cmdb.IdcAsync(build);

        var needs = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{idc.Business}/dependencies?depth=10");
        Ids(needs.GetProperty("items")).ShouldBe([idc.App, idc.Vm, idc.Web, idc.Switch, idc.Rack, idc.Dc, idc.Database, idc.Db], ignoreOrder: true);

        var extra = await cmdb.IdAsync("database", $"报表库 {Guid.NewGuid().ToString("N")[..6]}");
        var relationship = await cmdb.RelateAsync(idc.App, "uses", extra);
        Ids((await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{idc.Business}/dependencies")).GetProperty("items")).ShouldContain(extra);
        (await build.Admin.DeleteAsync($"/api/v1/ci-relationships/{relationship}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        Ids((await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{idc.Business}/dependencies")).GetProperty("items")).ShouldNotContain(extra);
    }

    [Fact]
    public async Task A_baseline_of_a_service_holds_everything_it_depends_on_and_compares_with_today_and_another_baseline()
    {
        var build = await Builders.ForAsync(host);
        var cmdb = new Cmdb(build.Admin);
        var idc = await cmdb.IdcAsync(build);

        var first = await Cmdb.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/baselines",
            new { name = Builders.Unique("Trading baseline"), ciIds = new[] { idc.Business } }), HttpStatusCode.Created);
        first.GetProperty("ciCount").GetInt32().ShouldBe(9);
        var firstId = first.GetProperty("id").GetGuid();
        var web = await cmdb.GetAsync(idc.Web);
        (await build.Admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/cis/{idc.Web}",
            new { name = web.GetProperty("name").GetString(), classId = "server", location = "上海一号机房", attributes = new { cpuCores = 32, memoryGb = 512, manufacturer = "Huawei" } },
            1)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var cache = await cmdb.IdAsync("application", $"Redis {Guid.NewGuid().ToString("N")[..6]}");
        await cmdb.RelateAsync(idc.App, "depends-on", cache);

        var today = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/baselines/{firstId}/compare");

        today.GetProperty("added").EnumerateArray().Select(a => a.GetProperty("ciId").GetGuid()).ShouldBe([cache]);
        today.GetProperty("removed").GetArrayLength().ShouldBe(0);
        var changed = today.GetProperty("changed").EnumerateArray().Single();
        changed.GetProperty("ciId").GetGuid().ShouldBe(idc.Web);
        var change = changed.GetProperty("changes").EnumerateArray().Single();
        change.GetProperty("field").GetString().ShouldBe("attributes.memoryGb");
        change.GetProperty("old").GetString().ShouldBe("256");
        change.GetProperty("new").GetString().ShouldBe("512");
        today.GetProperty("unchanged").GetInt32().ShouldBe(8);
        today.GetProperty("relationshipsAdded").GetArrayLength().ShouldBe(1);

        var second = await Cmdb.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/baselines",
            new { name = Builders.Unique("Trading baseline"), ciIds = new[] { idc.Business } }), HttpStatusCode.Created);
        var between = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/baselines/{firstId}/compare?with={second.GetProperty("id").GetGuid()}");
        between.GetProperty("added").GetArrayLength().ShouldBe(1);
        between.GetProperty("changed").GetArrayLength().ShouldBe(1);
        var held = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/baselines/{firstId}");
        held.GetProperty("items").GetArrayLength().ShouldBe(9);
    }

    [Fact]
    public async Task Customers_see_only_the_cis_that_serve_their_organisation()
    {
        var build = await Builders.ForAsync(host);
        var cmdb = new Cmdb(build.Admin);
        var idc = await cmdb.IdcAsync(build);
        var other = await cmdb.IdcAsync(build);
        var user = await build.UserAsync(idc.Customer, "customer-user");
        using var customer = await build.ClientAsync(user);

        var list = await customer.GetFromJsonAsync<JsonElement>("/api/v1/cis?pageSize=500");

        Ids(list.GetProperty("items")).ShouldBe([idc.Database]);
        (await customer.GetAsync($"/api/v1/cis/{idc.Web}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await customer.GetAsync($"/api/v1/cis/{other.Database}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await customer.GetAsync($"/api/v1/cis/{other.Database}/impact")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await customer.GetAsync($"/api/v1/cis/{idc.Database}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var impact = await customer.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{idc.Database}/dependencies");
        impact.GetProperty("items").GetArrayLength().ShouldBe(0);
        (await customer.PostAsJsonAsync("/api/v1/cis", new { name = "x", classId = "application" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await customer.GetFromJsonAsync<JsonElement>("/api/v1/baselines")).GetArrayLength().ShouldBe(0);

        // A CI shared by two customers: each sees it, and neither learns from it, or its history, who else it serves.
        var shared = await cmdb.IdAsync("application", $"Shared portal {Guid.NewGuid().ToString("N")[..6]}", customers: [idc.Customer, other.Customer]);
        (await customer.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{shared}")).GetProperty("customerIds").EnumerateArray()
            .Select(c => c.GetGuid()).ShouldBe([idc.Customer]);
        var history = await customer.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{shared}/versions");
        history[0].GetProperty("snapshot").GetProperty("customerIds").GetString().ShouldBe(idc.Customer.ToString("D"));
        (await customer.GetFromJsonAsync<JsonElement>("/api/v1/cis?class=no-such-class")).GetProperty("total").GetInt32().ShouldBe(0);

        // Impact through the provider's own infrastructure: the customer sees their CI at the end, not what lies between.
        var tag = Guid.NewGuid().ToString("N")[..6];
        var array = await cmdb.IdAsync("storage", $"cust-array-{tag}", customers: [idc.Customer]);
        var hidden = await cmdb.IdAsync("database", $"内部库 {tag}");
        var theirs = await cmdb.IdAsync("application", $"客户门户 {tag}", customers: [idc.Customer]);
        await cmdb.RelateAsync(hidden, "depends-on", array);
        await cmdb.RelateAsync(theirs, "uses", hidden);
        var seen = await customer.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{array}/impact");
        var reached = seen.GetProperty("items").EnumerateArray().Single();
        reached.GetProperty("id").GetGuid().ShouldBe(theirs);
        reached.GetProperty("path")[1].GetProperty("identifier").GetString().ShouldBe("…");
        seen.GetRawText().ShouldNotContain("内部库");
        seen.GetRawText().ShouldNotContain(hidden.ToString());
    }
}

public sealed class CmdbApiTestsOnSqlite(SqliteCertus host) : CmdbApiTests(host), IClassFixture<SqliteCertus>;

public sealed class CmdbApiTestsOnPostgres(PostgresCertus host) : CmdbApiTests(host), IClassFixture<PostgresCertus>;
