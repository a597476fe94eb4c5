using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certus.Testing;
using Shouldly;
using Xunit;
using static Certus.Problems.Tests.Api.ProblemWorld;

namespace Certus.Problems.Tests.Pages;

/// <summary>The problem pages and the incident panel through the real host, as a browser without JavaScript uses them.</summary>
public abstract class ProblemPageTests(CertusFixture host)
{
    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    /// <summary>Whether the page shows an error message next to <paramref name="field"/>.</summary>
    private static bool HasFieldError(string html, string field) =>
        Regex.IsMatch(html, $"<span[^>]*field-validation-error[^>]*data-valmsg-for=\"{Regex.Escape(field)}\"[^>]*>[^<]+</span>", RegexOptions.None, TimeSpan.FromSeconds(1));

    private async Task<BrowserSession> SignedInAsync(Builders.TestUser user, string culture = "en-US")
    {
        var session = new BrowserSession(host, culture);
        (await session.SignInAsync(user.Email, user.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return session;
    }

    private static string IncidentPath(string number) => "/incidents/" + long.Parse(number[4..], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_problem_form_with_wrong_fields_shows_each_error_next_to_its_field_and_a_complete_one_lands_on_its_page()
    {
        var world = await ForAsync(host);
        var manager = await world.UserAsync("problem-manager");
        var ci = await world.CiAsync();
        var (incident, _) = await world.IncidentAsync("核心交换机端口抖动 Core switch ports flap", ci: ci.Name, major: true);
        using var session = await SignedInAsync(manager, "zh-CN");

        var form = await session.GetHtmlAsync($"/problems/new?incident={incident}");
        form.ShouldContain("核心交换机端口抖动 Core switch ports flap");
        form.ShouldContain($"value=\"{incident}\"");
        form.ShouldContain($"value=\"{ci.Identifier}\"");
        form.ShouldContain("<option value=\"major-incident\" selected=\"selected\">");

        var refused = await session.PostFormAsync("/problems/new", "/problems/new", Form(
            ("Input.Title", ""), ("Input.Priority", "2"), ("Input.Category", "network"), ("Input.Cis", "NET-999999"), ("Input.SourceKind", "incident"),
            ("Input.SourceRef", incident), ("Input.Incidents", "INC-999999"), ("Input.Description", "端口 1/0/12 反复 up/down")));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await refused.Content.ReadAsStringAsync();
        HasFieldError(html, "Input.Title").ShouldBeTrue(html);
        HasFieldError(html, "Input.Cis").ShouldBeTrue();
        HasFieldError(html, "Input.Incidents").ShouldBeTrue();
        html.ShouldContain("端口 1/0/12 反复 up/down");

        var created = await session.PostFormAsync("/problems/new", "/problems/new", Form(
            ("Input.Title", "核心交换机端口抖动"), ("Input.Priority", "2"), ("Input.Category", "network"), ("Input.Cis", ci.Identifier),
            ("Input.SourceKind", "major-incident"), ("Input.SourceRef", incident), ("Input.Symptoms", "端口抖动")));
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
        var location = created.Headers.Location!.ToString();
        location.ShouldStartWith("/problems/PRB-");
        var page = await session.GetHtmlAsync(location);
        page.ShouldContain("核心交换机端口抖动");
        page.ShouldContain("已登记");
        page.ShouldContain("重大事件");
        page.ShouldContain($">{incident}</a>");
        page.ShouldContain("data-testid=\"action-investigate\"");
    }

    [Fact]
    public async Task A_problem_manager_moves_a_problem_on_its_page_and_a_refused_move_shows_why()
    {
        var world = await ForAsync(host);
        var manager = await world.UserAsync("problem-manager");
        using var api = await world.Build.ClientAsync(manager);
        var problem = await CreateAsync(api, new { title = "Backups overrun the window" });
        var number = Number(problem);
        using var session = await SignedInAsync(manager);

        var moved = await session.PostFormAsync($"/problems/{number}", $"/problems/{number}?handler=Move", Form(("action", "investigate"), ("version", "1")));
        moved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await moved.Content.ReadAsStringAsync());
        var page = await session.GetHtmlAsync($"/problems/{number}");
        page.ShouldContain(">Investigating<");
        page.ShouldContain("data-testid=\"action-known-error\"");
        page.ShouldContain("data-testid=\"action-cancel\"");

        // A known error without its workaround: the form opens again with the error next to the field.
        var incomplete = await session.PostFormAsync($"/problems/{number}", $"/problems/{number}?handler=Move", Form(
            ("action", "known-error"), ("version", "2"), ("Move.RootCause", "Backup job and batch import share the SAN")));
        incomplete.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await incomplete.Content.ReadAsStringAsync();
        HasFieldError(html, "Move.Workaround").ShouldBeTrue(html);
        html.ShouldContain("class=\"collapse show\" id=\"move-known-error\"");

        // A stale form says so instead of overwriting.
        var stale = await session.PostFormAsync($"/problems/{number}", $"/problems/{number}?handler=Move", Form(("action", "cancel"), ("version", "1"), ("Move.Reason", "dup")));
        stale.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stale.Content.ReadAsStringAsync()).ShouldContain("data-testid=\"errors\"");
        (await GetAsync(api, problem)).GetProperty("state").GetString().ShouldBe("investigating");

        var known = await session.PostFormAsync($"/problems/{number}", $"/problems/{number}?handler=Move", Form(
            ("action", "known-error"), ("version", "2"), ("Move.RootCause", "Backup job and batch import share the SAN"), ("Move.Workaround", "Start the import after 04:00")));
        known.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page = await session.GetHtmlAsync($"/problems/{number}");
        page.ShouldContain("data-testid=\"known-error-badge\"");
        page.ShouldContain("Start the import after 04:00");
        page.ShouldContain("data-action=\"known-error\"");

        // The change that removes the cause is raised from the page.
        var raised = await session.PostFormAsync($"/problems/{number}", $"/problems/{number}?handler=Change&mode=raise", Form(
            ("ChangeForm.Type", "normal"), ("ChangeForm.Title", "Separate the backup LUNs"), ("ChangeForm.Reason", "Removes the contention")));
        raised.StatusCode.ShouldBe(HttpStatusCode.Redirect, await raised.Content.ReadAsStringAsync());
        page = await session.GetHtmlAsync($"/problems/{number}");
        page.ShouldContain(">Fix pending<");
        page.ShouldContain("Separate the backup LUNs");
        var changePath = Regex.Match(page, "href=\"(/changes/CHG-[0-9]{6})\"").Groups[1].Value;
        changePath.ShouldNotBeEmpty();
        // The change names the problem it was raised from, as a link back.
        (await session.GetHtmlAsync(changePath)).ShouldContain($"<a href=\"/problems/{number}\">{number}</a>");

        // Someone without problems.manage sees the problem but no moves.
        var agent = await world.UserAsync("service-desk-agent");
        using var agentSession = await SignedInAsync(agent);
        var agentPage = await agentSession.GetHtmlAsync($"/problems/{number}");
        agentPage.ShouldNotContain("data-testid=\"moves\"");
        agentPage.ShouldContain("data-testid=\"link-incident-form\"");
        var forbidden = await agentSession.PostFormAsync($"/problems/{number}", $"/problems/{number}?handler=Move", Form(("action", "resolve"), ("version", "5")));
        forbidden.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        forbidden.Headers.Location!.ToString().ShouldContain("/account/denied");
    }

    [Fact]
    public async Task The_list_filters_by_state_priority_known_errors_and_owner()
    {
        var world = await ForAsync(host);
        var manager = await world.UserAsync("problem-manager");
        using var api = await world.Build.ClientAsync(manager);
        var marker = Guid.NewGuid().ToString("N")[..8];
        var known = await KnownErrorAsync(api, $"Known {marker}", [(await world.CiAsync()).Identifier]);
        var logged = await CreateAsync(world.Admin, new { title = $"Logged {marker}", priority = 5 });
        using var session = await SignedInAsync(manager);

        // A row of the list is the problem's link; its number alone also appears in the search hint.
        async Task<string> List(string query) => await session.GetHtmlAsync($"/problems?q={marker}&{query}");
        static string Row(JsonElement problem) => $"data-testid=\"problem-{Number(problem)}\"";
        var all = await List("");
        all.ShouldContain(Row(known));
        all.ShouldContain(Row(logged));
        (await List("knownErrors=true")).ShouldNotContain(Row(logged));
        (await List("knownErrors=true")).ShouldContain(Row(known));
        (await List("state=logged")).ShouldNotContain(Row(known));
        (await List("state=logged")).ShouldContain(Row(logged));
        (await List("state=open")).ShouldContain(Row(logged));
        (await List("priority=5")).ShouldNotContain(Row(known));
        (await List("priority=5")).ShouldContain(Row(logged));
        var mine = await List("mine=true");
        mine.ShouldContain(Row(known));
        mine.ShouldNotContain(Row(logged));
        (await session.GetHtmlAsync("/problems")).ShouldContain("data-testid=\"problem-total\"");
    }

    [Fact]
    public async Task The_incident_page_shows_the_desk_the_known_error_workaround_and_lets_it_link_the_incident()
    {
        var world = await ForAsync(host);
        var ci = await world.CiAsync();
        using var manager = await world.StaffAsync("problem-manager");
        var marker = Guid.NewGuid().ToString("N")[..8];
        var known = await KnownErrorAsync(manager, "Ageing optics", [ci.Identifier], workaround: $"Shut port 1/0/12 ({marker})");
        var (incident, _) = await world.IncidentAsync("Hall B racks lose network", ci: ci.Name);
        var agent = await world.UserAsync("service-desk-agent");
        using var session = await SignedInAsync(agent);

        var page = await session.GetHtmlAsync(IncidentPath(incident));
        page.ShouldContain("data-testid=\"incident-problems\"");
        page.ShouldContain("data-testid=\"panel-known-error\"");
        page.ShouldContain($"Shut port 1/0/12 ({marker})");
        page.ShouldContain($"href=\"/problems/new?incident={incident}\"");

        var chooser = await session.GetHtmlAsync($"/problems/link?incident={incident}");
        chooser.ShouldContain($"data-testid=\"link-to-{Number(known)}\"");
        var linked = await session.PostFormAsync($"/problems/link?incident={incident}", $"/problems/link?incident={incident}", Form(("problem", Number(known))));
        linked.StatusCode.ShouldBe(HttpStatusCode.Redirect, await linked.Content.ReadAsStringAsync());
        linked.Headers.Location!.ToString().ShouldBe(IncidentPath(incident));
        page = await session.GetHtmlAsync(IncidentPath(incident));
        page.ShouldContain("data-testid=\"incident-problem\"");
        page.ShouldNotContain("data-testid=\"panel-known-error\"");
        page.ShouldContain($"Shut port 1/0/12 ({marker})");
        var history = await world.HistoryAsync(known);
        history.Last().GetProperty("action").GetString().ShouldBe("incident-linked");
        history.Last().GetProperty("actorName").GetString()!.ShouldStartWith("Test ");

        // The customer who logged it sees nothing of problem management on the same page.
        var incidentJson = (await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?q={incident}")).GetProperty("items")[0];
        var customer = await world.Build.UserAsync(incidentJson.GetProperty("organisationId").GetGuid(), "customer-user");
        using var customerSession = await SignedInAsync(customer);
        var customerPage = await customerSession.GetHtmlAsync(IncidentPath(incident));
        customerPage.ShouldContain("Hall B racks lose network");
        customerPage.ShouldNotContain("incident-problems");
        customerPage.ShouldNotContain(marker);
        foreach (var path in new[] { "/problems", "/problems/new", "/problems/known-errors", "/problems/trends", $"/problems/{Number(known)}", $"/problems/link?incident={incident}" })
        {
            var response = await customerSession.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            response.Headers.Location!.ToString().ShouldContain("/account/denied", Case.Insensitive, path);
        }
    }

    [Fact]
    public async Task The_known_error_and_trend_pages_show_what_the_desk_and_the_problem_manager_look_for()
    {
        var world = await ForAsync(host);
        var manager = await world.UserAsync("problem-manager");
        using var api = await world.Build.ClientAsync(manager);
        var marker = Guid.NewGuid().ToString("N")[..8];
        var ci = await world.CiAsync();
        await KnownErrorAsync(api, $"存储链路抖动 {marker}", [ci.Identifier], workaround: $"切换到备用链路 {marker}");
        var trendCi = "srv-" + marker;
        for (var i = 0; i < 3; i++)
        {
            await world.IncidentAsync($"Disk full {i}", ci: trendCi);
        }
        using var session = await SignedInAsync(manager, "zh-CN");

        var known = await session.GetHtmlAsync($"/problems/known-errors?q={Uri.EscapeDataString("抖动 " + marker)}");
        known.ShouldContain($"切换到备用链路 {marker}");
        known.ShouldContain("已知错误库");
        known.ShouldContain("data-testid=\"known-error-count\">共 1 条已知错误</p>");
        using (var english = await SignedInAsync(manager, "en-GB"))
        {
            // One known error found: the count reads "1 known error", not "1 known errors".
            (await english.GetHtmlAsync($"/problems/known-errors?q={marker}")).ShouldContain("data-testid=\"known-error-count\">1 known error</p>");
        }

        (await session.GetHtmlAsync($"/problems/known-errors?q={marker}&status=fixed")).ShouldNotContain($"切换到备用链路 {marker}");

        var trends = await session.GetHtmlAsync("/problems/trends?days=30");
        trends.ShouldContain($"data-testid=\"trend-ci-{trendCi}\"");
        trends.ShouldContain("3 个事件");
        var raise = Regex.Match(trends, $"href=\"(/problems/new\\?source=trend[^\"]*ci={Regex.Escape(trendCi)}[^\"]*)\"").Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        raise.ShouldNotBeEmpty();
        var form = await session.GetHtmlAsync(raise);
        form.ShouldContain("<option value=\"trend\" selected=\"selected\">");
        form.ShouldContain($"{trendCi} 反复发生事件（30 天内 3 个）");
        Regex.Count(form, "INC-[0-9]{6}").ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task The_release_page_lists_the_problems_its_changes_fix_and_shows_them_resolved_once_it_completes()
    {
        var world = await ForAsync(host);
        using var changeManager = await world.StaffAsync("change-manager");
        using var manager = await world.StaffAsync("problem-manager");
        var (release, problem) = await world.ReleaseFixingAsync(changeManager, manager, "网关高负载下丢会话 Gateway drops sessions");
        var other = await new Releasing(world.Admin).PrepareAsync(changeManager, until: "accepted");
        using var session = await SignedInAsync(await world.UserAsync("change-manager"), "zh-CN");

        static string Panel(string html) =>
            Regex.Match(html, "<div class=\"card mb-3\" data-testid=\"release-problem-fixes\">.*?</table>", RegexOptions.Singleline, TimeSpan.FromSeconds(1)).Value;
        var before = Panel(await session.GetHtmlAsync($"/releases/{release.Id}"));
        before.ShouldContain("本发布修复的问题和已知错误");
        before.ShouldContain($">{Number(problem)}</a> 网关高负载下丢会话 Gateway drops sessions");
        before.ShouldContain($">{release.Change}</td>");
        before.ShouldContain(">待修复</span>");
        before.ShouldContain(">已知错误</span>");
        // A release whose changes fix nothing shows no panel.
        Panel(await session.GetHtmlAsync($"/releases/{other.Id}")).ShouldBeEmpty();

        await Releasing.MoveAsync(changeManager, release.Id, "deploy");
        await Releasing.MoveAsync(changeManager, release.Id, "complete");
        var after = Panel(await session.GetHtmlAsync($"/releases/{release.Id}"));
        after.ShouldContain(">已解决</span>");
        after.ShouldContain("data-testid=\"known-error-fixed\">已知错误已修复</span>");
    }
}

public sealed class ProblemPageTestsOnSqlite(SqliteCertus host) : ProblemPageTests(host), IClassFixture<SqliteCertus>;

public sealed class ProblemPageTestsOnPostgres(PostgresCertus host) : ProblemPageTests(host), IClassFixture<PostgresCertus>;
