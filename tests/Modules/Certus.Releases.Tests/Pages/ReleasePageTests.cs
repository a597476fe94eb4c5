using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Releases.Tests.Pages;

/// <summary>The release pages through the real host, as a browser without JavaScript uses them.</summary>
public abstract class ReleasePageTests(CertusFixture host)
{
    private async Task<BrowserSession> SignedInAsync(Builders.TestUser user, string culture)
    {
        var session = new BrowserSession(host, culture);
        (await session.SignInAsync(user.Email, user.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return session;
    }

    [Fact]
    public async Task A_change_manager_plans_tests_and_follows_a_release_on_its_pages_in_chinese()
    {
        var build = await Builders.ForAsync(host);
        var releasing = new Releasing(build.Admin);
        var (code, policyId) = await releasing.PolicyAsync();
        var ci = await releasing.ApplicationAsync("3.2.1");
        var change = await releasing.AuthorisedChangeAsync("升级交易网关");
        var manager = await build.UserAsync(await build.ProviderIdAsync(), "change-manager");
        using var session = await SignedInAsync(manager, "zh-CN");

        var refused = await session.PostFormAsync("/releases/new", "/releases/new", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Input.ServiceCode"] = code, ["Input.Type"] = "minor", ["Input.Title"] = "", ["Input.Changes"] = "CHG-999999",
        });
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        refusedHtml.ShouldContain("找不到变更 CHG-999999");
        var created = await session.PostFormAsync("/releases/new", "/releases/new", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Input.ServiceCode"] = code, ["Input.Type"] = "minor", ["Input.Title"] = "交易网关 3.3", ["Input.PlannedStart"] = "2026-12-05T02:00",
            ["Input.PlannedEnd"] = "2026-12-05T04:00", ["Input.BackOutPlan"] = "重新安装 3.2.1", ["Input.AcceptanceCriteria"] = "**委托**全链路正常",
            ["Input.Changes"] = change, ["Input.Items"] = $"{ci.Identifier} | 3.3.0",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
        var path = created.Headers.Location!.ToString();
        var id = Guid.Parse(path["/releases/".Length..]);
        (await session.PostFormAsync(path, $"{path}?handler=Move", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trigger"] = "build", ["version"] = "1",
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var noSummary = await session.PostFormAsync(path, $"{path}?handler=Move", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trigger"] = "test", ["version"] = "2", ["kind"] = "integration", ["result"] = "passed", ["environment"] = "预生产",
        });
        (await noSummary.Content.ReadAsStringAsync()).ShouldContain("data-testid=\"refusal\"");
        (await session.PostFormAsync(path, $"{path}?handler=Move", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trigger"] = "test", ["version"] = "2", ["kind"] = "integration", ["result"] = "passed", ["environment"] = "预生产", ["summary"] = "委托全链路通过",
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var page = await session.GetHtmlAsync(path);
        page.ShouldContain("测试中");
        page.ShouldContain("委托全链路通过");
        page.ShouldContain("<strong>委托</strong>全链路正常");
        page.ShouldContain(change);
        page.ShouldContain("data-testid=\"move-accept\"");
        foreach (var other in new[] { "/releases", "/releases?state=testing&q=交易", "/releases/new", $"/releases/{id}/edit", "/releases/policies", "/releases/policies/new",
            $"/releases/policies/{policyId}/edit" })
        {
            (await session.GetAsync(other)).StatusCode.ShouldBe(HttpStatusCode.OK, other);
        }
        (await session.GetHtmlAsync("/releases")).ShouldContain("交易网关 3.3");
        (await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/releases/{id}")).GetProperty("tests").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Release_notes_are_shown_as_markdown_without_raw_html_and_customers_are_kept_out()
    {
        var build = await Builders.ForAsync(host);
        var releasing = new Releasing(build.Admin);
        var release = await releasing.PrepareAsync(build.Admin);
        var current = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/releases/{release.Id}");
        (await build.Admin.PatchIfMatchAsync($"/api/v1/releases/{release.Id}", new { notes = "**快** <script>alert(1)</script>" }, current.GetProperty("version").GetInt32()))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var agent = await build.UserAsync(await build.ProviderIdAsync(), "service-desk-agent");
        var customer = await build.UserAsync(await build.OrganisationAsync(), "customer-user");

        using var reader = await SignedInAsync(agent, "en-US");
        var page = await reader.GetHtmlAsync($"/releases/{release.Id}");
        page.ShouldContain("<strong>快</strong>");
        page.ShouldContain("&lt;script&gt;");
        page.ShouldNotContain("<script>alert");
        page.ShouldNotContain("data-testid=\"notes-form\"");
        page.ShouldNotContain("data-testid=\"move-build\"");
        var forbidden = new List<(BrowserSession Session, string Path)> { (reader, "/releases/new"), (reader, "/releases/policies/new") };
        using var outsider = await SignedInAsync(customer, "en-US");
        forbidden.AddRange(new[] { "/releases", $"/releases/{release.Id}", "/releases/policies" }.Select(p => (outsider, p)));
        foreach (var (session, path) in forbidden)
        {
            var denied = await session.GetAsync(path);
            denied.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            denied.Headers.Location!.ToString().ShouldContain("/account/denied");
        }
        var post = await reader.PostFormAsync($"/releases/{release.Id}", $"/releases/{release.Id}?handler=Move", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trigger"] = "build", ["version"] = "2",
        });
        post.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        post.Headers.Location!.ToString().ShouldContain("/account/denied");
        (await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/releases/{release.Id}")).GetProperty("state").GetString().ShouldBe("planned");
    }
}

public sealed class ReleasePageTestsOnSqlite(SqliteCertus host) : ReleasePageTests(host), IClassFixture<SqliteCertus>;

public sealed class ReleasePageTestsOnPostgres(PostgresCertus host) : ReleasePageTests(host), IClassFixture<PostgresCertus>;
