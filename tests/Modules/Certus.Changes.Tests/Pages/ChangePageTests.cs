using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certus.Changes.Tests.Api;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Changes.Tests.Pages;

/// <summary>The change pages through the real host, as a browser without JavaScript uses them.</summary>
public abstract class ChangePageTests(CertusFixture host)
{
    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    /// <summary>Whether the page shows an error message next to <paramref name="field"/>.</summary>
    private static bool HasFieldError(string html, string field) =>
        Regex.IsMatch(html, $"<span[^>]*field-validation-error[^>]*data-valmsg-for=\"{Regex.Escape(field)}\"[^>]*>[^<]+</span>", RegexOptions.None, TimeSpan.FromSeconds(1));

    /// <summary>Pages answer an unknown or hidden record with the not-found page.</summary>
    private static async Task ShowsNotFoundAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("data-testid=\"error-title\"");
    }

    private async Task<BrowserSession> SignedInAsync(Builders.TestUser user, string culture = "en-US")
    {
        var session = new BrowserSession(host, culture);
        (await session.SignInAsync(user.Email, user.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return session;
    }

    [Fact]
    public async Task A_request_with_missing_fields_shows_each_error_next_to_its_field_and_a_complete_one_lands_on_its_page()
    {
        var build = await Builders.ForAsync(host);
        var manager = await build.UserAsync(await build.ProviderIdAsync(), "change-manager");
        using var session = await SignedInAsync(manager, "zh-CN");

        var choose = await session.GetHtmlAsync("/changes/new?source=incident&ref=INC-000006&ci=NET-000001");
        choose.ShouldContain("data-testid=\"type-normal\"");
        var form = await session.GetHtmlAsync("/changes/new?type=normal&source=incident&ref=INC-000006&ci=NET-000001");
        form.ShouldContain("风险评估");
        form.ShouldContain("value=\"INC-000006\"");
        form.ShouldContain("value=\"NET-000001\"");

        var refused = await session.PostFormAsync("/changes/new?type=normal", "/changes/new", Form(
            ("Input.Type", "normal"), ("Input.Title", ""), ("Input.Reason", ""), ("Input.SupplierContract", "SUP-2026-07 光纤租用合同"),
            ("Input.PlannedStart", "2026-12-05T22:00"), ("Input.PlannedEnd", "2026-12-05T20:00")));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await refused.Content.ReadAsStringAsync();
        HasFieldError(html, "Input.Title").ShouldBeTrue(html);
        HasFieldError(html, "Input.Reason").ShouldBeTrue();
        HasFieldError(html, "Input.SlaImpact").ShouldBeTrue();
        HasFieldError(html, "Input.PlannedEnd").ShouldBeTrue();
        html.ShouldContain("SUP-2026-07 光纤租用合同");

        var created = await session.PostFormAsync("/changes/new?type=normal", "/changes/new", Form(
            ("Input.Type", "normal"), ("Input.Title", "核心交换机固件升级"), ("Input.Reason", "厂商安全公告"), ("Input.SourceKind", "incident"),
            ("Input.SourceRef", "INC-000006"), ("Input.RiskAnswers[services]", "one"), ("Input.ImplementationPlan", "在维护窗口升级"),
            ("Input.CostEstimate", "1200"), ("Input.CostCurrency", "CNY")));
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
        var location = created.Headers.Location!.ToString();
        location.ShouldStartWith("/changes/CHG-");
        var page = await session.GetHtmlAsync(location);
        page.ShouldContain("核心交换机固件升级");
        page.ShouldContain("草稿");
        page.ShouldContain("INC-000006");
        page.ShouldContain("1,200.00 CNY");
    }

    [Fact]
    public async Task A_change_manager_moves_a_change_through_its_page_and_a_refused_move_shows_why()
    {
        var build = await Builders.ForAsync(host);
        var provider = await build.ProviderIdAsync();
        var manager = await build.UserAsync(provider, "change-manager");
        var api = new ChangeApi(build.Admin);
        await api.BoardAsync("cab", "any", 0, (await build.UserAsync(provider, "cab-member")).Id);
        var change = await api.NormalAsync("Firewall rule for the payment API", services: []);
        var number = change.GetProperty("number").GetString()!;
        using var session = await SignedInAsync(manager);

        // A normal change names what it affects before it may be submitted.
        var incomplete = await session.PostFormAsync($"/changes/{number}", $"/changes/{number}?handler=Move", Form(("action", "submit"), ("version", "1")));
        incomplete.StatusCode.ShouldBe(HttpStatusCode.OK);
        var refusal = await incomplete.Content.ReadAsStringAsync();
        refusal.ShouldContain("data-testid=\"errors\"");
        refusal.ShouldContain(">Draft<");

        var ci = await ChangeApi.NewCiAsync(build.Admin, "network-device", $"fw-{Guid.NewGuid():N}"[..12]);
        var editor = await session.PostFormAsync($"/changes/{number}/edit", $"/changes/{number}/edit", Form(
            ("Version", "1"), ("Input.Type", "normal"), ("Input.Title", "Firewall rule for the payment API"), ("Input.Reason", "Vendor advisory"),
            ("Input.Cis", ci), ("Input.ImplementationPlan", "Add the rule"), ("Input.BackoutPlan", "Remove the rule"), ("Input.TestPlan", "Lab test")));
        editor.StatusCode.ShouldBe(HttpStatusCode.Redirect, await editor.Content.ReadAsStringAsync());

        var submitted = await session.PostFormAsync($"/changes/{number}", $"/changes/{number}?handler=Move", Form(("action", "submit"), ("version", "2")));
        submitted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await submitted.Content.ReadAsStringAsync());
        var page = await session.GetHtmlAsync($"/changes/{number}");
        page.ShouldContain(">Submitted<");
        page.ShouldContain("data-testid=\"action-assess\"");

        // Authorising is the board's vote, not a move.
        var notAMove = await session.PostFormAsync($"/changes/{number}", $"/changes/{number}?handler=Move", Form(("action", "authorise"), ("version", "3")));
        notAMove.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var assessed = await session.PostFormAsync($"/changes/{number}", $"/changes/{number}?handler=Move", Form(
            ("action", "assess"), ("version", "3"), ("Move.RiskAnswers[services]", "one"), ("Move.RiskAnswers[customers]", "no"),
            ("Move.RiskAnswers[experience]", "often"), ("Move.RiskAnswers[backout]", "easy"), ("Move.RiskAnswers[tested]", "yes")));
        assessed.StatusCode.ShouldBe(HttpStatusCode.Redirect, await assessed.Content.ReadAsStringAsync());
        page = await session.GetHtmlAsync($"/changes/{number}");
        page.ShouldContain(">Assessed<");
        page.ShouldContain("data-testid=\"approvals\"");
        page.ShouldContain(">Pending<");

        var cancelled = await session.PostFormAsync($"/changes/{number}", $"/changes/{number}?handler=Move", Form(("action", "cancel"), ("version", "99")));
        var html = await cancelled.Content.ReadAsStringAsync();
        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK);
        HasFieldError(html, "Move.Reason").ShouldBeTrue(html);
    }

    [Fact]
    public async Task A_customer_sees_the_changes_raised_for_their_organisation_and_not_another_organisations()
    {
        var build = await Builders.ForAsync(host);
        var api = new ChangeApi(build.Admin);
        var mine = await build.OrganisationAsync();
        var theirs = await build.OrganisationAsync();
        var forMine = await api.CreateAsync(new { type = "normal", title = "Firewall rule for us", reason = "Asked through sales", organisationId = mine });
        var forTheirs = await api.CreateAsync(new { type = "normal", title = "Firewall rule for them", reason = "Asked through sales", organisationId = theirs });
        using var session = await SignedInAsync(await build.UserAsync(mine, "customer-user"));

        var list = await session.GetHtmlAsync("/changes");
        list.ShouldContain("Firewall rule for us");
        list.ShouldNotContain("Firewall rule for them");
        (await session.GetAsync($"/changes/{forMine.GetProperty("number").GetString()}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShowsNotFoundAsync(await session.GetAsync($"/changes/{forTheirs.GetProperty("number").GetString()}"));
        await ShowsNotFoundAsync(await session.GetAsync($"/changes/{ChangeApi.Id(forTheirs)}"));
        var page = await session.GetHtmlAsync($"/changes/{forMine.GetProperty("number").GetString()}");
        page.ShouldNotContain("data-testid=\"moves\"");
        var denied = await session.GetAsync("/changes/new");
        denied.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        denied.Headers.Location!.ToString().ShouldContain("/account/denied");
        (await session.GetAsync("/changes/schedule")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_approval_link_decides_for_the_member_it_was_sent_to_and_tells_anyone_else_it_is_not_theirs()
    {
        var build = await Builders.ForAsync(host);
        var provider = await build.ProviderIdAsync();
        var m1 = await build.UserAsync(provider, "cab-member");
        var m2 = await build.UserAsync(provider, "cab-member");
        var api = new ChangeApi(build.Admin);
        await api.BoardAsync("cab", "all", 0, m1.Id, m2.Id);
        var setup = await ChangeBuilder.AuthorisedAsync(build.Admin);
        var ci = await ChangeApi.NewCiAsync(build.Admin, "network-device", $"sw-link-{Guid.NewGuid():N}"[..16], "in-use", setup);
        var change = await api.NormalAsync("Core switch firmware", [ci]);
        await api.MovedAsync(change, "submit");
        await api.MovedAsync(change, "assess");
        using var member1 = await build.ClientAsync(m1);
        var inbox = await member1.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications");
        var link = inbox.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("link").GetString())
            .First(l => l != null && l.StartsWith("/changes/approve/", StringComparison.Ordinal))!;

        using (var other = await SignedInAsync(m2))
        {
            var shown = await other.GetHtmlAsync(link);
            shown.ShouldContain("data-testid=\"link-problem\"");
            shown.ShouldNotContain("Core switch firmware");
            var refused = await other.PostFormAsync(link, link, Form(("approve", "true"), ("reason", "not mine")));
            refused.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            refused.Headers.Location!.ToString().ShouldContain("/account/denied");
        }

        using var session = await SignedInAsync(m1, "zh-CN");
        var page = await session.GetHtmlAsync(link);
        page.ShouldContain("Core switch firmware");
        page.ShouldContain("data-testid=\"link-decide\"");
        var noReason = await session.PostFormAsync(link, link, Form(("approve", "true"), ("reason", "")));
        noReason.StatusCode.ShouldBe(HttpStatusCode.OK);
        HasFieldError(await noReason.Content.ReadAsStringAsync(), "Reason").ShouldBeTrue();
        var decided = await session.PostFormAsync(link, link, Form(("approve", "true"), ("reason", "已在实验室验证")));
        decided.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var changePage = await session.GetHtmlAsync(decided.Headers.Location!.ToString());
        changePage.ShouldContain("已在实验室验证");
        changePage.ShouldContain("通过邮件链接");
        await ShowsNotFoundAsync(await session.GetAsync(link));
    }

    [Fact]
    public async Task The_schedule_shows_a_month_and_a_year_with_the_planned_changes_and_the_freeze_windows()
    {
        var build = await Builders.ForAsync(host);
        var manager = await build.UserAsync(await build.ProviderIdAsync(), "change-manager");
        var name = "Freeze " + Guid.NewGuid().ToString("N")[..6];
        await ChangeApi.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/change-settings/windows", new
        {
            kind = "freeze", name, startsAt = new DateTimeOffset(2031, 3, 10, 0, 0, 0, TimeSpan.Zero), endsAt = new DateTimeOffset(2031, 3, 12, 0, 0, 0, TimeSpan.Zero),
        }), HttpStatusCode.Created);
        using var session = await SignedInAsync(manager, "zh-CN");

        var month = await session.GetHtmlAsync("/changes/schedule?month=2031-03");
        month.ShouldContain("2031年3月");
        month.ShouldContain(name);
        month.ShouldContain("chg-freeze");
        var year = await session.GetHtmlAsync("/changes/schedule?year=2031");
        year.ShouldContain("data-testid=\"year\"");
        year.ShouldContain("month=2031-12");
        (await session.GetAsync("/changes/schedule?month=2031-13")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await session.GetAsync("/changes/schedule")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_change_manager_sets_the_board_and_the_windows_on_the_settings_pages_and_a_cab_member_is_kept_out()
    {
        var build = await Builders.ForAsync(host);
        var provider = await build.ProviderIdAsync();
        var manager = await build.UserAsync(provider, "change-manager");
        var member = await build.UserAsync(provider, "cab-member");
        using var session = await SignedInAsync(manager, "zh-CN");
        foreach (var path in new[] { "/changes/settings/boards", "/changes/settings/risk", "/changes/settings/templates", "/changes/settings/windows" })
        {
            (await session.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }

        var boards = await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/change-settings/boards");
        var ecab = boards.EnumerateArray().Single(b => b.GetProperty("key").GetString() == "ecab");
        var id = ecab.GetProperty("id").GetGuid().ToString();
        var version = ecab.GetProperty("version").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var refused = await session.PostFormAsync("/changes/settings/boards", "/changes/settings/boards", Form(("id", id), ("version", version), ("approvalMode", "quorum"), ("quorum", "0")));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        HasFieldError(await refused.Content.ReadAsStringAsync(), "Quorum").ShouldBeTrue();
        var saved = await session.PostFormAsync("/changes/settings/boards", "/changes/settings/boards", Form(
            ("id", id), ("version", version), ("approvalMode", "any"), ("memberIds", member.Id.ToString())));
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        boards = await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/change-settings/boards");
        boards.EnumerateArray().Single(b => b.GetProperty("key").GetString() == "ecab").GetProperty("memberIds").EnumerateArray()
            .Select(m => m.GetGuid()).ShouldBe([member.Id]);

        var name = "春节冻结 " + Guid.NewGuid().ToString("N")[..6];
        var noName = await session.PostFormAsync("/changes/settings/windows", "/changes/settings/windows", Form(
            ("Input.Kind", "freeze"), ("Input.StartsAt", "2032-02-01T00:00"), ("Input.EndsAt", "2032-02-10T00:00")));
        HasFieldError(await noName.Content.ReadAsStringAsync(), "Input.Name").ShouldBeTrue();
        (await session.PostFormAsync("/changes/settings/windows", "/changes/settings/windows", Form(
            ("Input.Kind", "freeze"), ("Input.Name", name), ("Input.StartsAt", "2027-02-01T00:00"), ("Input.EndsAt", "2027-02-10T00:00"))))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await session.GetHtmlAsync("/changes/settings/windows")).ShouldContain(name);

        using var outsider = await SignedInAsync(member);
        var denied = await outsider.GetAsync("/changes/settings/boards");
        denied.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        denied.Headers.Location!.ToString().ShouldContain("/account/denied");
    }

    [Fact]
    public async Task The_incident_page_shows_staff_the_changes_carried_out_on_its_ci_this_week_and_the_customer_does_not_see_them()
    {
        var build = await Builders.ForAsync(host);
        var provider = await build.ProviderIdAsync();
        var customerOrg = await build.OrganisationAsync();
        var setup = await ChangeBuilder.AuthorisedAsync(build.Admin, "Register the switch");
        var sw = await ChangeApi.NewCiAsync(build.Admin, "network-device", $"sw-edge-{Guid.NewGuid():N}"[..16], "in-use", setup);
        var templates = await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/change-settings/templates?active=true");
        var api = new ChangeApi(build.Admin);
        var change = await api.CreateAsync(new { type = "standard", title = "Edge switch port reconfiguration", reason = "New uplink", templateId = templates[0].GetProperty("id").GetGuid(), cis = new[] { sw } });
        await api.MovedAsync(change, "submit");
        await api.MovedAsync(change, "implement");
        var untouched = await api.CreateAsync(new { type = "standard", title = "Not started yet", reason = "Later", templateId = templates[0].GetProperty("id").GetGuid(), cis = new[] { sw } });
        await api.MovedAsync(untouched, "submit");
        var incident = await ChangeApi.ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/incidents", new
        {
            title = "边缘交换机丢包", channel = "phone", organisationId = customerOrg, callerName = "郑华", impact = "high", urgency = "high", ciRef = sw,
        }), HttpStatusCode.Created);
        var number = incident.GetProperty("numberValue").GetInt64();
        using var staff = await SignedInAsync(await build.UserAsync(provider, "service-desk-agent"), "zh-CN");

        var html = await staff.GetHtmlAsync($"/incidents/{number}");

        html.ShouldContain("data-testid=\"incident-recent-changes\"");
        html.ShouldContain($"{sw} 近 7 天的变更");
        html.ShouldContain($"/changes/{change.GetProperty("number").GetString()}");
        html.ShouldNotContain($"/changes/{untouched.GetProperty("number").GetString()}");
        using var customer = await SignedInAsync(await build.UserAsync(customerOrg, "customer-user"));
        var theirs = await customer.GetHtmlAsync($"/incidents/{number}");
        theirs.ShouldContain("边缘交换机丢包");
        theirs.ShouldNotContain("incident-recent-changes");
    }
}

public sealed class ChangePageTestsOnSqlite(SqliteCertus host) : ChangePageTests(host), IClassFixture<SqliteCertus>;

public sealed class ChangePageTestsOnPostgres(PostgresCertus host) : ChangePageTests(host), IClassFixture<PostgresCertus>;
