using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Configuration.Tests.Api;

public abstract class AuditReportTests(CertusFixture host)
{
    private static string Tag() => Guid.NewGuid().ToString("N")[..6];

    private static async Task<string> IdentifierAsync(HttpClient client, string name) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/cis?q={Uri.EscapeDataString(name)}")).GetProperty("items")[0].GetProperty("identifier").GetString()!;

    [Fact]
    public async Task An_audit_finds_missing_unexpected_and_differing_cis_and_closes_once_every_finding_is_resolved()
    {
        var build = await Builders.ForAsync(host);
        var admin = build.Admin;
        var t = Tag();
        var chg = await ChangeBuilder.AuthorisedAsync(admin);
        var room = $"审计机房 {t}";
        var known = Files.Csv(
            ["class", "name", "status", "location", "versionLabel", "attr.cpuCores"],
            ["server", $"srv-a-{t}", "in-use", room, "BIOS 2.1", "32"],
            ["server", $"srv-b-{t}", "in-use", room, "BIOS 2.1", "32"],
            ["server", $"srv-c-{t}", "received", room, "", ""],
            ["server", $"srv-d-{t}", "in-use", room, "BIOS 2.1", "32"]);
        await Cmdb.ReadAsync(await Files.PostAsync(admin, "/api/v1/cis/import", "known.csv", known,
            new Dictionary<string, string> { ["changeRef"] = chg }), HttpStatusCode.OK);
        var a = await IdentifierAsync(admin, $"srv-a-{t}");
        var b = await IdentifierAsync(admin, $"srv-b-{t}");
        var d = await IdentifierAsync(admin, $"srv-d-{t}");
        var observed = Files.Xlsx(("cis", [
            ["identifier", "class", "name", "location", "versionLabel", "attr.cpuCores"],
            [a, "server", $"srv-a-{t}", room, "BIOS 2.1", "32.0"],
            ["", "server", $"SRV-D-{t}", room, "BIOS 2.2", "64"],
            ["", "server", $"srv-x-{t}", room, "", "16"],
            ["", "server", $"elsewhere-{t}", "北京机房", "", ""],
        ]));

        var form = new Dictionary<string, string> { ["title"] = $"Quarterly audit {t}", ["scopeClasses"] = "hardware", ["scopeLocation"] = room };
        var created = await Files.PostAsync(admin, "/api/v1/configuration-audits", "discovery.xlsx", observed, form);
        var audit = await Cmdb.ReadAsync(created, HttpStatusCode.Created);

        var id = audit.GetProperty("id").GetGuid();
        audit.GetProperty("number").GetString()!.ShouldMatch("^CA-[0-9]{6}$");
        audit.GetProperty("status").GetString().ShouldBe("open");
        audit.GetProperty("matchedCount").GetInt32().ShouldBe(2);
        var findings = audit.GetProperty("findings").EnumerateArray().ToList();
        findings.Select(f => (f.GetProperty("kind").GetString(), f.GetProperty("name").GetString()))
            .ShouldBe([("missing", $"srv-b-{t}"), ("unexpected", $"srv-x-{t}"), ("differing", $"srv-d-{t}")]);
        findings[0].GetProperty("ciIdentifier").GetString().ShouldBe(b);
        findings[1].GetProperty("observedRow").GetInt32().ShouldBe(4);
        var differing = findings[2];
        differing.GetProperty("ciIdentifier").GetString().ShouldBe(d);
        differing.GetProperty("differences").EnumerateArray()
            .Select(x => (x.GetProperty("field").GetString(), x.GetProperty("recorded").GetString(), x.GetProperty("observed").GetString()))
            .ShouldBe([("versionLabel", "BIOS 2.1", "BIOS 2.2"), ("attr.cpuCores", "32", "64")], ignoreOrder: true);

        // Closing with open findings names them.
        var refused = await Cmdb.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/configuration-audits/{id}/close", null, 1), HttpStatusCode.Conflict);
        refused.GetProperty("detail").GetString()!.ShouldContain(b);
        refused.GetProperty("detail").GetString()!.ShouldContain($"srv-x-{t}");

        var owner = await build.UserAsync(await build.ProviderIdAsync(), "configuration-manager");
        var first = findings[0].GetProperty("id").GetGuid();
        var findingUrl = $"/api/v1/configuration-audits/{id}/findings/{first}";
        var early = await Cmdb.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"{findingUrl}/resolve", new { result = "Found it" }, 1), HttpStatusCode.BadRequest);
        early.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldContain("actionText");
        var action = await Cmdb.ReadAsync(await admin.PatchIfMatchAsync(findingUrl,
            new { actionText = "Trace the server through change records", actionOwnerId = owner.Id, actionDue = "2026-12-31" }, 1), HttpStatusCode.OK);
        action.GetProperty("actionDue").GetString().ShouldBe("2026-12-31");
        action.GetProperty("actionOwnerName").GetString().ShouldNotBeNullOrEmpty();
        (await admin.PatchIfMatchAsync(findingUrl, new { actionText = "stale" }, 1)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        foreach (var finding in findings)
        {
            var url = $"/api/v1/configuration-audits/{id}/findings/{finding.GetProperty("id").GetGuid()}";
            var version = 1;
            if (finding.GetProperty("id").GetGuid() != first)
            {
                await Cmdb.ReadAsync(await admin.PatchIfMatchAsync(url, new { actionText = "Correct the CMDB under a change" }, 1), HttpStatusCode.OK);
            }
            version = 2;
            var resolved = await Cmdb.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"{url}/resolve", new { result = "CMDB corrected under CHG-000302" }, version), HttpStatusCode.OK);
            resolved.GetProperty("status").GetString().ShouldBe("resolved");
            resolved.GetProperty("resolvedByName").GetString().ShouldNotBeNullOrEmpty();
        }
        var closed = await Cmdb.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/configuration-audits/{id}/close", null, 1), HttpStatusCode.OK);
        closed.GetProperty("status").GetString().ShouldBe("closed");
        (await admin.PatchIfMatchAsync(findingUrl, new { actionText = "late" }, 3)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var trail = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=configuration-audit&recordId={id}");
        trail.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ShouldBe(["created", "closed"], ignoreOrder: true);
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/configuration-audits");
        list.EnumerateArray().ShouldContain(x => x.GetProperty("id").GetGuid() == id && x.GetProperty("openFindings").GetInt32() == 0);

        // The report workbook: a summary and each finding with its action and result.
        var workbook = Files.ReadXlsx(await admin.GetByteArrayAsync($"/api/v1/configuration-audits/{id}/report?format=xlsx"));
        workbook["Audit"].ShouldContain(r => r.Count == 2 && r[0] == "Audit number" && r[1] == closed.GetProperty("number").GetString());
        workbook["Audit"].ShouldContain(r => r[0] == "Missing" && r[1] == "1");
        var rows = workbook["Findings"];
        rows[0].ShouldContain("Corrective action");
        rows.Count.ShouldBe(4);
        rows[1].ShouldContain(b);
        rows[1].ShouldContain("Trace the server through change records");
        rows[1].ShouldContain("CMDB corrected under CHG-000302");
        rows[3].ShouldContain("versionLabel: BIOS 2.1 → BIOS 2.2; attr.cpuCores: 32 → 64");
    }

    [Fact]
    public async Task The_configuration_item_report_shows_latest_versions_locations_dependencies_and_history()
    {
        var build = await Builders.ForAsync(host);
        var cmdb = new Cmdb(build.Admin);
        var idc = await cmdb.IdcAsync(build);
        var web = await cmdb.GetAsync(idc.Web);
        var vm = await cmdb.GetAsync(idc.Vm);
        var rack = await cmdb.GetAsync(idc.Rack);
        var chg = await ChangeBuilder.AuthorisedAsync(build.Admin);
        (await cmdb.MoveAsync(idc.Web, "in-use", 1, chg, "Racked")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var webId = web.GetProperty("identifier").GetString()!;

        var json = await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/reports/configuration-items?class=hardware");
        var item = json.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("identifier").GetString() == webId);
        item.GetProperty("version").GetInt32().ShouldBe(2);
        item.GetProperty("location").GetString().ShouldBe("上海一号机房");
        item.GetProperty("dependsOn").EnumerateArray().Select(l => l.GetProperty("identifier").GetString()).ShouldContain(rack.GetProperty("identifier").GetString());
        item.GetProperty("dependedOnBy").EnumerateArray().Select(l => l.GetProperty("identifier").GetString()).ShouldContain(vm.GetProperty("identifier").GetString());
        item.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()).ShouldBe(["registered", "status"]);

        using var chinese = await host.AdminAsync("zh-CN");
        var workbook = Files.ReadXlsx(await chinese.GetByteArrayAsync("/api/v1/reports/configuration-items?format=xlsx&class=server"));
        var cis = workbook["配置项"];
        cis[0].Take(3).ShouldBe(["标识", "名称", "分类"]);
        var row = cis.Single(r => r[0] == webId);
        row[2].ShouldBe("服务器");
        row[3].ShouldBe("in-use");
        row[5].ShouldBe("2");
        row[6].ShouldBe("上海一号机房");
        row[8].ShouldContain(rack.GetProperty("identifier").GetString()!);
        row[9].ShouldContain(vm.GetProperty("identifier").GetString()!);
        var history = workbook["版本历史"].Where(r => r[0] == webId).ToList();
        history.Count.ShouldBe(2);
        history[1].ShouldContain(chg);
        history[1].ShouldContain("Racked");
        cis.ShouldNotContain(r => r[0] == vm.GetProperty("identifier").GetString());
    }

    [Fact]
    public async Task Customers_may_not_see_audits_or_the_report()
    {
        var build = await Builders.ForAsync(host);
        var customer = await build.UserAsync(await build.OrganisationAsync(), "customer-user");
        using var client = await build.ClientAsync(customer);

        (await client.GetAsync("/api/v1/configuration-audits")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync($"/api/v1/configuration-audits/{Guid.NewGuid()}/report?format=xlsx")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync("/api/v1/reports/configuration-items")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Files.PostAsync(client, "/api/v1/configuration-audits", "x.csv", Files.Csv(["class", "name"], ["server", "x"]),
            new Dictionary<string, string> { ["title"] = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await build.Admin.GetAsync($"/api/v1/configuration-audits/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

public sealed class AuditReportTestsOnSqlite(SqliteCertus host) : AuditReportTests(host), IClassFixture<SqliteCertus>;

public sealed class AuditReportTestsOnPostgres(PostgresCertus host) : AuditReportTests(host), IClassFixture<PostgresCertus>;
