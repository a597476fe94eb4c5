using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certus.Configuration.Tests.Api;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Configuration.Tests.Pages;

/// <summary>The CMDB pages through the real host, as a browser without JavaScript uses them.</summary>
public abstract class CmdbPageTests(CertusFixture host)
{
    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    /// <summary>Whether the page shows an error message next to <paramref name="field"/>.</summary>
    private static bool HasFieldError(string html, string field) =>
        Regex.IsMatch(html, $"<span[^>]*field-validation-error[^>]*data-valmsg-for=\"{Regex.Escape(field)}\"[^>]*>[^<]+</span>", RegexOptions.None, TimeSpan.FromSeconds(1));

    private async Task<BrowserSession> SignedInAsync(string email, string password, string culture = "en-US")
    {
        var session = new BrowserSession(host, culture);
        (await session.SignInAsync(email, password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return session;
    }

    [Fact]
    public async Task A_configuration_manager_sees_every_page_and_a_customer_is_kept_out_of_the_management_pages()
    {
        var build = await Builders.ForAsync(host);
        var cmdb = new Cmdb(build.Admin);
        var idc = await cmdb.IdcAsync(build);
        var manager = await build.UserAsync(await build.ProviderIdAsync(), "configuration-manager");
        var baseline = (await Cmdb.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/baselines", new { name = Builders.Unique("基线"), ciIds = new[] { idc.Business } }),
            HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var server = (await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ci-classes")).EnumerateArray().Single(c => c.GetProperty("key").GetString() == "server");

        using var session = await SignedInAsync(manager.Email, manager.Password, "zh-CN");
        foreach (var path in new[]
        {
            "/cmdb", "/cmdb?class=hardware&status=received&q=sh-", $"/cmdb/{idc.Switch}", $"/cmdb/{idc.Switch}?depth=2", "/cmdb/new", "/cmdb/new?class=server",
            $"/cmdb/{idc.Web}/edit", $"/cmdb/{idc.Web}/versions/1", "/cmdb/classes", "/cmdb/classes/new", $"/cmdb/classes/{server.GetProperty("id").GetGuid()}/edit",
            "/cmdb/relationship-types", "/cmdb/relationship-types/new", "/cmdb/relationship-types/runs-on/edit", "/cmdb/baselines", $"/cmdb/baselines?ci={idc.Business}",
            $"/cmdb/baselines/{baseline}", $"/cmdb/baselines/{baseline}/compare", "/cmdb/report", "/cmdb/report?class=server",
        })
        {
            (await session.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }
        var page = await session.GetHtmlAsync($"/cmdb/{idc.Switch}");
        page.ShouldContain("影响分析");
        page.ShouldContain("data-graph-url=\"/api/v1/cis/" + idc.Switch + "/graph\"");
        page.ShouldContain("网上交易服务");
        var report = await session.GetHtmlAsync($"/cmdb/report?service={idc.ServiceCode}");
        report.ShouldContain("配置项管理报告");
        report.ShouldContain("网上交易服务");
        report.ShouldNotContain("交易库");

        var customer = await build.UserAsync(idc.Customer, "customer-user");
        using var outsider = await SignedInAsync(customer.Email, customer.Password);
        foreach (var path in new[] { "/cmdb/new", $"/cmdb/{idc.Database}/edit", "/cmdb/classes/new", "/cmdb/relationship-types/runs-on/edit", "/cmdb/report" })
        {
            var denied = await outsider.GetAsync(path);
            denied.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            denied.Headers.Location!.ToString().ShouldContain("/account/denied");
        }
    }

    [Fact]
    public async Task A_customer_sees_only_the_cis_serving_their_organisation_and_cannot_post_changes()
    {
        var build = await Builders.ForAsync(host);
        var idc = await new Cmdb(build.Admin).IdcAsync(build);
        var customer = await build.UserAsync(idc.Customer, "customer-user");
        using var session = await SignedInAsync(customer.Email, customer.Password);

        var list = await session.GetHtmlAsync("/cmdb");
        list.ShouldContain($"/cmdb/{idc.Database}");
        list.ShouldNotContain($"/cmdb/{idc.Switch}");
        list.ShouldNotContain("/cmdb/new");
        var details = await session.GetAsync($"/cmdb/{idc.Switch}");
        details.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await details.Content.ReadAsStringAsync()).ShouldContain("data-testid=\"error-title\"");
        var own = await session.GetHtmlAsync($"/cmdb/{idc.Database}");
        own.ShouldNotContain("data-testid=\"relate-form\"");

        var moved = await session.PostFormAsync($"/cmdb/{idc.Database}", $"/cmdb/{idc.Database}?handler=Status",
            Form(("version", "1"), ("status", "withdrawn"), ("reason", "x")));
        moved.StatusCode.ShouldNotBe(HttpStatusCode.OK);
        (await new Cmdb(build.Admin).GetAsync(idc.Database)).GetProperty("status").GetString().ShouldBe("received");
    }

    [Fact]
    public async Task The_form_registers_a_ci_with_typed_attributes_and_puts_each_error_next_to_its_field()
    {
        var build = await Builders.ForAsync(host);
        var manager = await build.UserAsync(await build.ProviderIdAsync(), "configuration-manager");
        using var session = await SignedInAsync(manager.Email, manager.Password);
        var name = "sh-app-" + Guid.NewGuid().ToString("N")[..6];
        var chg = await ChangeBuilder.AuthorisedAsync(build.Admin);
        var later = await ChangeBuilder.AuthorisedAsync(build.Admin);

        var refused = await session.PostFormAsync("/cmdb/new?class=server", "/cmdb/new", Form(
            ("Input.ClassId", "server"), ("Input.Name", "bad name with spaces"), ("Input.Status", "in-use"),
            ("Input.Attributes[cpuCores]", "many"), ("Input.Attributes[warrantyEnds]", "2028-06-30")));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await refused.Content.ReadAsStringAsync();
        HasFieldError(html, "Input.Name").ShouldBeTrue();
        HasFieldError(html, "Input.Attributes.cpuCores").ShouldBeTrue();
        html.ShouldContain("value=\"2028-06-30\"");

        var noChange = await session.PostFormAsync("/cmdb/new?class=server", "/cmdb/new", Form(
            ("Input.ClassId", "server"), ("Input.Name", name), ("Input.Status", "in-use"), ("Input.Attributes[cpuCores]", "32")));
        HasFieldError(await noChange.Content.ReadAsStringAsync(), "Input.ChangeRef").ShouldBeTrue();

        var created = await session.PostFormAsync("/cmdb/new?class=server", "/cmdb/new", Form(
            ("Input.ClassId", "server"), ("Input.Name", name), ("Input.Status", "in-use"), ("Input.ChangeRef", chg), ("Input.Criticality", "high"),
            ("Input.Attributes[cpuCores]", "32"), ("Input.Attributes[warrantyEnds]", "2028-06-30"), ("Input.Attributes[operatingSystem]", "openEuler 22.03")));
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var id = Guid.Parse(created.Headers.Location!.ToString().Split('/').Last());
        var ci = await new Cmdb(build.Admin).GetAsync(id);
        ci.GetProperty("attributes").GetProperty("cpuCores").GetDecimal().ShouldBe(32m);
        ci.GetProperty("status").GetString().ShouldBe("in-use");

        // Editing a CI in use without a change reference: the refusal sits on the change reference field.
        var edit = await session.PostFormAsync($"/cmdb/{id}/edit", $"/cmdb/{id}/edit", Form(
            ("Version", "1"), ("Input.Name", name), ("Input.Criticality", "low"), ("Input.Attributes[cpuCores]", "64")));
        edit.StatusCode.ShouldBe(HttpStatusCode.OK);
        HasFieldError(await edit.Content.ReadAsStringAsync(), "Input.ChangeRef").ShouldBeTrue();
        var saved = await session.PostFormAsync($"/cmdb/{id}/edit", $"/cmdb/{id}/edit", Form(
            ("Version", "1"), ("Input.Name", name), ("Input.Criticality", "low"), ("Input.Attributes[cpuCores]", "64"), ("Input.ChangeRef", later),
            ("Input.Reason", "扩容")));
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await new Cmdb(build.Admin).GetAsync(id)).GetProperty("attributes").GetProperty("cpuCores").GetDecimal().ShouldBe(64m);
        (await session.GetHtmlAsync($"/cmdb/{id}/versions/1")).ShouldContain(chg);
    }

    [Fact]
    public async Task Managers_relate_move_and_unrelate_from_the_ci_page_under_change_control()
    {
        var build = await Builders.ForAsync(host);
        var cmdb = new Cmdb(build.Admin);
        var manager = await build.UserAsync(await build.ProviderIdAsync(), "configuration-manager");
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var chg = await ChangeBuilder.AuthorisedAsync(build.Admin);
        var vm = await cmdb.RegisterAsync("virtual-machine", $"vm-{suffix}");
        var server = await cmdb.RegisterAsync("server", $"srv-{suffix}", status: "in-use", changeRef: chg);
        var (vmId, serverId) = (vm.GetProperty("id").GetGuid(), server.GetProperty("id").GetGuid());
        using var session = await SignedInAsync(manager.Email, manager.Password);

        var refused = await session.PostFormAsync($"/cmdb/{vmId}", $"/cmdb/{vmId}?handler=Relate",
            Form(("relation", "out:runs-on"), ("target", server.GetProperty("identifier").GetString()!)));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("CHG-");
        var related = await session.PostFormAsync($"/cmdb/{vmId}", $"/cmdb/{vmId}?handler=Relate",
            Form(("relation", "out:runs-on"), ("target", server.GetProperty("identifier").GetString()!), ("changeRef", chg)));
        related.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var serverPage = await session.GetHtmlAsync($"/cmdb/{serverId}");
        serverPage.ShouldContain($"data-testid=\"relationship-{vm.GetProperty("identifier").GetString()}\"");

        var noReason = await session.PostFormAsync($"/cmdb/{vmId}", $"/cmdb/{vmId}?handler=Status", Form(("version", "1"), ("status", "under-test")));
        noReason.StatusCode.ShouldBe(HttpStatusCode.OK);
        var moved = await session.PostFormAsync($"/cmdb/{vmId}", $"/cmdb/{vmId}?handler=Status", Form(("version", "1"), ("status", "under-test"), ("reason", "上架测试")));
        moved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await cmdb.GetAsync(vmId)).GetProperty("status").GetString().ShouldBe("under-test");

        var relationships = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{vmId}/relationships");
        var relationship = relationships.GetProperty("outgoing")[0].GetProperty("id").GetGuid();
        (await session.PostFormAsync($"/cmdb/{vmId}", $"/cmdb/{vmId}?handler=Unrelate", Form(("relationship", relationship.ToString()))))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await session.PostFormAsync($"/cmdb/{vmId}", $"/cmdb/{vmId}?handler=Unrelate", Form(("relationship", relationship.ToString()), ("changeRef", chg))))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/{vmId}/relationships")).GetProperty("outgoing").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task The_incident_page_shows_the_services_and_customers_its_ci_puts_at_risk_and_the_form_suggests_cis()
    {
        var build = await Builders.ForAsync(host);
        var idc = await new Cmdb(build.Admin).IdcAsync(build);
        var sw = await new Cmdb(build.Admin).GetAsync(idc.Switch);
        var identifier = sw.GetProperty("identifier").GetString()!;
        var incident = await Cmdb.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/incidents", new
        {
            title = "核心交换机端口故障", channel = "phone", organisationId = idc.Customer, callerName = "郑华", impact = "high", urgency = "high", ciRef = identifier,
        }), HttpStatusCode.Created);
        var number = incident.GetProperty("numberValue").GetInt64();
        using var session = await SignedInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword, "zh-CN");

        var html = await session.GetHtmlAsync($"/incidents/{number}");
        html.ShouldContain("data-testid=\"ci-impact-panel\"");
        html.ShouldContain("网上交易服务");
        html.ShouldContain($"/cmdb/{idc.Switch}#impact");
        html.ShouldContain($"<option value=\"{identifier}\">");
        (await session.GetHtmlAsync("/incidents/new")).ShouldContain($"<option value=\"{identifier}\">");

        var suggestions = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cis/suggest?q={identifier}");
        suggestions.EnumerateArray().Select(s => s.GetProperty("identifier").GetString()).ShouldBe([identifier]);
        var customer = await build.UserAsync(idc.Customer, "customer-user");
        using var client = await build.ClientAsync(customer);
        var theirs = await client.GetFromJsonAsync<JsonElement>("/api/v1/cis/suggest?limit=1000");
        theirs.EnumerateArray().Select(s => s.GetProperty("identifier").GetString()).ShouldNotContain(identifier);
    }
}

public sealed class CmdbPageTestsOnSqlite(SqliteCertus host) : CmdbPageTests(host), IClassFixture<SqliteCertus>;

public sealed class CmdbPageTestsOnPostgres(PostgresCertus host) : CmdbPageTests(host), IClassFixture<PostgresCertus>;
