using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Competence.Tests.Api;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Competence.Tests.Pages;

/// <summary>The competence pages through the real host, as a browser without JavaScript uses them.</summary>
public abstract class CompetencePageTests(CertusFixture host)
{
    private async Task<BrowserSession> SignedInAsync(Builders.TestUser user, string culture)
    {
        var session = new BrowserSession(host, culture);
        (await session.SignInAsync(user.Email, user.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return session;
    }

    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    [Fact]
    public async Task The_management_representative_uses_every_page_in_chinese_and_bad_forms_keep_their_input()
    {
        var world = await CompetenceWorld.ForAsync(host);
        var wu = await world.StaffAsync("management-representative");
        var zhou = await world.StaffAsync("auditor");
        var network = await world.CompetenceAsync();
        var role = await world.JobRoleAsync([(network, 3)], zhou.Id);
        var course = await world.CourseAsync([new { competenceId = network, level = 3 }], passMark: 60, certificate: "内审员证书");
        var courseId = course.GetProperty("id").GetGuid();
        var session = await world.MoveSessionAsync(await world.SessionAsync(courseId, CompetenceWorld.Day(0), true, zhou.Id), "hold");
        var review = await world.ReviewAsync(zhou.Id, wu.Id, 2026);
        using var browser = await SignedInAsync(wu, "zh-CN");

        var sessionPath = $"/competence/sessions/{session.GetProperty("id").GetGuid()}";
        foreach (var path in new[]
        {
            "/competence", $"/competence?role={role.GetProperty("id").GetGuid()}", "/competence/job-roles", $"/competence/job-roles/{role.GetProperty("id").GetGuid()}",
            "/competence/competences", $"/competence/competences?edit={network}", "/competence/courses", $"/competence/courses/{courseId}", sessionPath,
            "/competence/plan", "/competence/plan?year=2025", "/competence/certificates", "/competence/certificates?state=expired", "/competence/reviews",
            $"/competence/reviews/{review.GetProperty("id").GetGuid()}", $"/competence/people/{zhou.Id}",
        })
        {
            var response = await browser.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
            (await response.Content.ReadAsStringAsync()).ShouldContain("能力矩阵", customMessage: path);
        }
        (await browser.GetHtmlAsync("/competence")).ShouldContain("data-gap=\"true\"");

        // A course without its Chinese title: the message sits by the field, and what was typed stays.
        var refused = await browser.PostFormAsync("/competence/courses", "/competence/courses", Form(
            ("Input.Code", "ITIL4-F"), ("Input.Kind", "external"), ("Input.Hours", "24"), ("Input.TitleEn", "ITIL 4 Foundation"), ("Input.TitleZh", "")));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await refused.Content.ReadAsStringAsync();
        html.ShouldContain("data-valmsg-for=\"Input.TitleZh\"");
        html.ShouldContain("此项为必填项");
        html.ShouldContain("value=\"ITIL 4 Foundation\"");
        var created = await browser.PostFormAsync("/competence/courses", "/competence/courses", Form(
            ("Input.Code", CompetenceWorld.Key("ITIL4-F")), ("Input.Kind", "external"), ("Input.Hours", "24"), ("Input.TitleEn", "ITIL 4 Foundation"),
            ("Input.TitleZh", "ITIL 4 基础"), ("Input.HasExam", "true"), ("Input.PassMark", "65"), ("Input.Awareness", "policy")));
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
        var newCourse = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/competence/courses/{created.Headers.Location!.ToString().Split('/')[^1]}");
        (newCourse.GetProperty("passMark").GetInt32(), newCourse.GetProperty("awareness")[0].GetString()).ShouldBe((65, "policy"));

        // The attendance grid: a score over 100 is refused on its row; a good one is saved and passes.
        var badGrid = await browser.PostFormAsync(sessionPath, $"{sessionPath}?handler=Attendance", Form(
            ("version", session.GetProperty("version").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Rows[0].UserId", zhou.Id.ToString()), ("Rows[0].Status", "attended"), ("Rows[0].Score", "120")));
        badGrid.StatusCode.ShouldBe(HttpStatusCode.OK);
        var gridHtml = await badGrid.Content.ReadAsStringAsync();
        gridHtml.ShouldContain("data-testid=\"score-error-0\"");
        gridHtml.ShouldContain("成绩应在 0 到 100 之间");
        gridHtml.ShouldContain("value=\"120\"");
        (await browser.PostFormAsync(sessionPath, $"{sessionPath}?handler=Attendance", Form(
            ("version", session.GetProperty("version").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Rows[0].UserId", zhou.Id.ToString()), ("Rows[0].Status", "attended"), ("Rows[0].Score", "88")))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var record = await world.RecordAsync(zhou.Id);
        record.GetProperty("gaps").GetInt32().ShouldBe(0);
        record.GetProperty("certificates").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("内审员证书");

        // A second review of the same person and year shows the refusal by the year field.
        var twice = await browser.PostFormAsync("/competence/reviews", "/competence/reviews", Form(
            ("Input.UserId", zhou.Id.ToString()), ("Input.Year", "2026"), ("Input.ReviewerId", wu.Id.ToString())));
        (await twice.Content.ReadAsStringAsync()).ShouldContain("该员工 2026 年度已有绩效评估");

        var export = await browser.GetAsync($"/competence/people/{zhou.Id}?handler=Export&format=xlsx");
        export.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }

    [Fact]
    public async Task Customers_are_refused_and_staff_reach_only_their_own_record()
    {
        var world = await CompetenceWorld.ForAsync(host);
        var agent = await world.StaffAsync("service-desk-agent");
        var colleague = await world.StaffAsync("technician");
        var customer = await world.Build.UserAsync(await world.Build.OrganisationAsync(), "customer-user");

        using var outsider = await SignedInAsync(customer, "en-US");
        foreach (var path in new[] { "/competence", "/competence/certificates", "/competence/me", $"/competence/people/{agent.Id}", "/competence/courses" })
        {
            var denied = await outsider.GetAsync(path);
            denied.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            denied.Headers.Location!.ToString().ShouldContain("/account/denied");
        }

        using var desk = await SignedInAsync(agent, "en-US");
        var me = await desk.GetAsync("/competence/me");
        me.Headers.Location!.ToString().ShouldBe($"/competence/people/{agent.Id}");
        var own = await desk.GetHtmlAsync($"/competence/people/{agent.Id}");
        own.ShouldContain("My training record");
        own.ShouldNotContain("data-testid=\"assess-form\"");
        own.ShouldNotContain("data-testid=\"competence-tabs\"");
        (await desk.GetAsync($"/competence/people/{colleague.Id}")).Headers.Location!.ToString().ShouldContain("/account/denied");
        (await desk.GetAsync("/competence")).Headers.Location!.ToString().ShouldContain("/account/denied");
        var post = await desk.PostFormAsync($"/competence/people/{agent.Id}", $"/competence/people/{agent.Id}?handler=Assess", Form(("Assess.Level", "4")));
        post.Headers.Location!.ToString().ShouldContain("/account/denied");
        (await world.RecordAsync(agent.Id)).GetProperty("competences").GetArrayLength().ShouldBe(0);
    }
}

public sealed class CompetencePageTestsOnSqlite(SqliteCertus host) : CompetencePageTests(host), IClassFixture<SqliteCertus>;

public sealed class CompetencePageTestsOnPostgres(PostgresCertus host) : CompetencePageTests(host), IClassFixture<PostgresCertus>;
