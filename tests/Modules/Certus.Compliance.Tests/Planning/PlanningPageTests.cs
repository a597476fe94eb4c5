using System.Net;
using System.Net.Http.Json;
using Certus.Testing;
using Shouldly;
using Xunit;
using static Certus.Compliance.Tests.Planning.Planning;

namespace Certus.Compliance.Tests.Planning;

/// <summary>The policy, objective and risk pages through the real host, as a browser without JavaScript uses them.</summary>
public abstract class PlanningPageTests(CertusFixture host)
{
    private async Task<BrowserSession> SignedInAsync(Builders.TestUser user, string culture)
    {
        var session = new BrowserSession(host, culture);
        (await session.SignInAsync(user.Email, user.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return session;
    }

    [Fact]
    public async Task The_management_representative_works_every_page_and_a_bad_field_comes_back_with_its_message()
    {
        var build = await Builders.ForAsync(host);
        var representative = await build.UserAsync(await build.ProviderIdAsync(), "management-representative");
        var draft = await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/policy/versions", new
        {
            statementZh = "**客户至上** <script>alert(1)</script>", commitRequirementsZh = "满足要求", commitImprovementZh = "持续改进", commitObjectivesZh = "目标框架",
        }), HttpStatusCode.Created);
        using var session = await SignedInAsync(representative, "zh-CN");

        // The draft is approved on the page, with a reason; the policy in force is rendered from Markdown, raw HTML as text.
        var noReason = await session.PostFormAsync("/compliance/policy", "/compliance/policy?handler=Approve",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["id"] = Id(draft).ToString(), ["version"] = Version(draft).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        noReason.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await noReason.Content.ReadAsStringAsync()).ShouldContain("此项为必填项。");
        (await session.PostFormAsync("/compliance/policy", "/compliance/policy?handler=Approve", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = Id(draft).ToString(), ["version"] = Version(draft).ToString(System.Globalization.CultureInfo.InvariantCulture), ["reason"] = "IT 服务委员会审议通过",
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var policy = await session.GetHtmlAsync("/compliance/policy");
        policy.ShouldContain("<strong>客户至上</strong>");
        policy.ShouldContain("&lt;script&gt;");
        policy.ShouldNotContain("<script>alert");
        policy.ShouldContain("data-testid=\"review-form\"");

        // An objective set on the page; a missing title and a bad target come back next to their fields.
        var owner = await build.UserAsync(await build.ProviderIdAsync(), "service-level-manager");
        var refused = await session.PostFormAsync("/compliance/objectives/new", "/compliance/objectives/new", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Input.TitleZh"] = "", ["Input.OwnerId"] = owner.Id.ToString(), ["Input.Process"] = "service-level", ["Input.MeasureKey"] = "service-levels.attainment",
            ["Input.Target"] = "", ["Input.Period"] = "quarter",
        });
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        refusedHtml.ShouldContain("请至少用一种语言填写目标名称。");
        refusedHtml.ShouldContain("service-levels.attainment\" selected");
        var created = await session.PostFormAsync("/compliance/objectives/new", "/compliance/objectives/new", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Input.TitleZh"] = "每季度 SLA 达成率不低于 99%", ["Input.OwnerId"] = owner.Id.ToString(), ["Input.Process"] = "service-level",
            ["Input.MeasureKey"] = "service-levels.attainment", ["Input.Target"] = "99", ["Input.Period"] = "quarter", ["Input.PlanActions"] = "每周复核",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
        var objectivePath = created.Headers.Location!.ToString();
        var objective = await session.GetHtmlAsync(objectivePath);
        objective.ShouldContain("每季度 SLA 达成率不低于 99%");
        objective.ShouldContain("id=\"objective-trend\"");

        // A risk recorded on the page; a missing likelihood is named.
        var noLikelihood = await session.PostFormAsync("/compliance/risks/new", "/compliance/risks/new", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Input.Kind"] = "risk", ["Input.Title"] = "勒索软件", ["Input.Category"] = "security", ["Input.Impact"] = "5",
        });
        noLikelihood.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await noLikelihood.Content.ReadAsStringAsync()).ShouldContain("此项为必填项。");
        var risk = await session.PostFormAsync("/compliance/risks/new", "/compliance/risks/new", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Input.Kind"] = "risk", ["Input.Title"] = "勒索软件入侵运维管理网", ["Input.Category"] = "security", ["Input.Likelihood"] = "3", ["Input.Impact"] = "5",
            ["Input.OwnerId"] = owner.Id.ToString(), ["Input.Treatment"] = "reduce", ["Input.TreatmentPlan"] = "堡垒机双因素认证",
        });
        risk.StatusCode.ShouldBe(HttpStatusCode.Redirect, await risk.Content.ReadAsStringAsync());
        var riskPath = risk.Headers.Location!.ToString();
        (await session.GetHtmlAsync(riskPath)).ShouldContain("3 × 5 = 15");
        var list = await session.GetHtmlAsync("/compliance/risks?likelihood=3&impact=5&kind=risk");
        list.ShouldContain("勒索软件入侵运维管理网");
        list.ShouldContain("data-testid=\"cell-risk-3-5\"");

        foreach (var path in new[] { "/compliance/objectives", "/compliance/objectives?status=all", $"{objectivePath}/edit", "/compliance/risks?residual=true", $"{riskPath}/edit" })
        {
            (await session.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }
    }

    [Fact]
    public async Task Staff_read_the_pages_without_the_forms_customers_are_sent_away_and_accepting_a_high_risk_is_refused_to_its_owner()
    {
        var build = await Builders.ForAsync(host);
        var ownerUser = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        var objective = await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/objectives", new
        {
            titleEn = "Customer satisfaction at least 90", ownerId = ownerUser.Id, process = "customer-satisfaction", measureKey = "manual", manualMeasure = "Survey score",
            target = 90,
        }), HttpStatusCode.Created);
        var risk = await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/risks", new
        {
            kind = "risk", title = "One site, no DR", category = "continuity", ownerId = ownerUser.Id, likelihood = 2, impact = 5,
        }), HttpStatusCode.Created);
        var objectivePath = $"/compliance/objectives/{Id(objective)}";
        var riskPath = $"/compliance/risks/{Id(risk)}";

        using var agent = await SignedInAsync(await build.UserAsync(await build.ProviderIdAsync(), "service-desk-agent"), "en-US");
        foreach (var path in new[] { "/compliance/policy", "/compliance/objectives", objectivePath, "/compliance/risks", riskPath })
        {
            var html = await agent.GetHtmlAsync(path);
            html.ShouldNotContain("data-testid=\"reading-form\"");
            html.ShouldNotContain("data-testid=\"move-accept\"");
            html.ShouldNotContain("data-testid=\"start-draft\"");
        }
        using var customer = await SignedInAsync(await build.UserAsync(await build.OrganisationAsync(), "customer-user"), "en-US");
        var denied = new List<(BrowserSession Session, string Path)>
        {
            (agent, "/compliance/objectives/new"), (agent, "/compliance/risks/new"), (agent, $"{objectivePath}/edit"), (agent, $"{riskPath}/edit"),
        };
        denied.AddRange(new[] { "/compliance/policy", "/compliance/objectives", objectivePath, "/compliance/risks", riskPath }.Select(p => (customer, p)));
        foreach (var (session, path) in denied)
        {
            var response = await session.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            response.Headers.Location!.ToString().ShouldContain("/account/denied");
        }

        // The owner records a reading on the objective's page and works the risk, but may not accept it: it is high.
        using var owner = await SignedInAsync(ownerUser, "en-US");
        var badReading = await owner.PostFormAsync(objectivePath, $"{objectivePath}?handler=Reading", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Reading.Value"] = "", ["Reading.TakenOn"] = "2026-13-45",
        });
        var badHtml = await badReading.Content.ReadAsStringAsync();
        badHtml.ShouldContain("This field is required.");
        badHtml.ShouldContain("Enter a date as yyyy-MM-dd.");
        (await owner.PostFormAsync(objectivePath, $"{objectivePath}?handler=Reading", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Reading.Value"] = "93", ["Reading.TakenOn"] = DateTime.Now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await owner.GetHtmlAsync(objectivePath)).ShouldContain("data-testid=\"current-value\">93<");
        var accept = await owner.PostFormAsync(riskPath, $"{riskPath}?handler=Move", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["version"] = Version(risk).ToString(System.Globalization.CultureInfo.InvariantCulture), ["move"] = "accept", ["reason"] = "Too expensive",
        });
        accept.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await accept.Content.ReadAsStringAsync()).ShouldContain("top management");
        (await build.Admin.GetJsonAsync($"/api/v1/risks/{Id(risk)}")).GetProperty("status").GetString().ShouldBe("identified");
    }
}

public sealed class PlanningPageTestsOnSqlite(SqliteCertus host) : PlanningPageTests(host), IClassFixture<SqliteCertus>;

public sealed class PlanningPageTestsOnPostgres(PostgresCertus host) : PlanningPageTests(host), IClassFixture<PostgresCertus>;
