using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certus.Testing;
using Shouldly;
using Xunit;
using static Certus.Compliance.Tests.Pages.DocumentPageTests;

namespace Certus.Compliance.Tests.Pages;

/// <summary>The conformity dashboard, the GAP analysis and the roadmap through the real host, as a browser without JavaScript uses them.</summary>
public abstract class CompliancePageTests(CertusFixture host)
{
    private Task<BrowserSession> AdminAsync(string culture = "en-US") => SignedInAsync(host, CertusFixture.AdminEmail, CertusFixture.AdminPassword, culture);

    private static int Number(string html, string pattern) =>
        int.Parse(Regex.Match(html, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)).Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>Each group's leaf counts as its header shows them, by top-level clause.</summary>
    private static Dictionary<string, (int Conforming, int Gap, int NoEvidence)> Groups(string html) =>
        Regex.Matches(html, "data-testid=\"group-(?<top>[0-9]+)\"", RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1)).ToDictionary(
            m => m.Groups["top"].Value,
            m =>
            {
                var header = html[m.Index..html.IndexOf("</summary>", m.Index, StringComparison.Ordinal)];
                return (Number(header, "data-testid=\"count-conforming\">[^<0-9]*([0-9]+)<"), Number(header, "data-testid=\"count-gap\">[^<0-9]*([0-9]+)<"),
                    Number(header, "data-testid=\"count-no-evidence\">[^<0-9]*([0-9]+)<"));
            },
            StringComparer.Ordinal);

    /// <summary>The clause numbers of the leaf rows and group headings the page shows, with the verdict badge of each row.</summary>
    private static List<(string Clause, string Verdict)> Rows(string html) =>
        [.. Regex.Matches(html, "data-clause=\"(?<clause>[0-9.]+)\"[\\s\\S]*?data-testid=\"verdict\">(?<verdict>[^<]+)<", RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1))
            .Select(m => (m.Groups["clause"].Value, m.Groups["verdict"].Value))];

    [Fact]
    public async Task The_dashboard_groups_the_clauses_of_each_edition_by_top_level_clause_with_counts_that_match_the_api()
    {
        using var admin = await host.AdminAsync();
        using var session = await AdminAsync();
        foreach (var (edition, tops) in new[] { ("2018", new[] { "4", "5", "6", "7", "8", "9", "10" }), ("2005", new[] { "3", "4", "5", "6", "7", "8", "9", "10" }) })
        {
            var html = await session.GetHtmlAsync($"/compliance?edition={edition}");
            var figures = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/conformity/readiness?edition={edition}");
            var leaves = figures.GetProperty("leaves");

            var groups = Groups(html);
            groups.Keys.ShouldBe(tops);
            groups.Values.Sum(g => g.Conforming).ShouldBe(leaves.GetProperty("conforming").GetInt32());
            groups.Values.Sum(g => g.Gap).ShouldBe(leaves.GetProperty("gap").GetInt32());
            groups.Values.Sum(g => g.NoEvidence).ShouldBe(leaves.GetProperty("noEvidence").GetInt32());
            Number(html, "data-testid=\"leaves-gap\">[^<0-9]*([0-9]+)<").ShouldBe(leaves.GetProperty("gap").GetInt32());
            Number(html, "data-testid=\"filter-all\"[^>]*>[^<]*<span[^>]*>([0-9]+)<").ShouldBe(leaves.GetProperty("conforming").GetInt32()
                + leaves.GetProperty("gap").GetInt32() + leaves.GetProperty("noEvidence").GetInt32());
            html.ShouldContain("id=\"conformity-trend\"");
            html.ShouldContain("<details class=\"card mb-2 clause-group\"");
            html.ShouldNotContain("<script>");
        }
        // The API agrees clause by clause with what the page shows.
        var report = await admin.GetFromJsonAsync<JsonElement>("/api/v1/conformity?edition=2018");
        var api = report.GetProperty("clauses").EnumerateArray().ToDictionary(c => c.GetProperty("clause").GetString()!, c => c.GetProperty("verdict").GetString()!, StringComparer.Ordinal);
        var page = Rows(await session.GetHtmlAsync("/compliance?edition=2018"));
        page.Count.ShouldBeGreaterThan(60);
        foreach (var (clause, verdict) in page)
        {
            verdict.ShouldBe(api[clause] switch { "gap" => "Gap", "conforming" => "Conforming", _ => "No evidence" }, clause);
        }
    }

    [Fact]
    public async Task The_verdict_filter_works_from_the_address_keeps_the_edition_and_leads_to_each_clauses_evidence()
    {
        using var admin = await host.AdminAsync();
        var recorded = await admin.PostAsJsonAsync("/api/v1/gap-analysis/findings", new
        {
            edition = "2005", clause = "6.6", title = "信息安全风险评估未覆盖托管机房 / risk assessment misses the hosting rooms", description = "",
        });
        recorded.StatusCode.ShouldBe(HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());
        var number = (await recorded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetInt32();
        using var session = await AdminAsync("zh-CN");

        var gaps = await session.GetHtmlAsync("/compliance?edition=2005&verdict=gap");
        var rows = Rows(gaps[gaps.IndexOf("data-testid=\"clauses\"", StringComparison.Ordinal)..]);
        rows.ShouldContain(("6.6", "差距"));
        rows.ShouldAllBe(r => r.Verdict == "差距");
        gaps.ShouldContain("href=\"/compliance?edition=2018&amp;verdict=gap\"");
        gaps.ShouldContain("data-testid=\"filter-conforming\"");
        gaps.ShouldContain("href=\"/compliance?edition=2005&amp;verdict=no-evidence\"");
        Regex.IsMatch(gaps, "<details class=\"card mb-2 clause-group\" open=\"open\" id=\"clause-6\"", RegexOptions.None, TimeSpan.FromSeconds(1)).ShouldBeTrue();
        var evidence = Section(gaps, "evidence-6.6");
        evidence.ShouldContain($"href=\"/compliance/gap#finding-{number}\"");
        evidence.ShouldContain("信息安全风险评估未覆盖托管机房");

        // An automatic check's figures and records are one click away too.
        var all = await session.GetHtmlAsync("/compliance?edition=2018");
        var check = Section(all, "evidence-8.6.1");
        check.ShouldContain("data-check=\"incidents.closed-without-confirmation\"");
        check[..check.IndexOf("</details>", StringComparison.Ordinal)].ShouldContain("<strong>0</strong>");

        var none = await session.GetHtmlAsync("/compliance?edition=2005&verdict=conforming");
        Rows(none[none.IndexOf("data-testid=\"clauses\"", StringComparison.Ordinal)..]).ShouldAllBe(r => r.Verdict == "符合");
        // An unknown verdict shows every clause.
        var unknown = await session.GetHtmlAsync("/compliance?edition=2005&verdict=nonsense");
        unknown.ShouldContain("class=\"btn btn-sm btn-primary\" href=\"/compliance?edition=2005\" data-testid=\"filter-all\"");
        Groups(unknown).Keys.ShouldBe(["3", "4", "5", "6", "7", "8", "9", "10"]);
    }

    [Fact]
    public async Task The_gap_page_offers_the_clauses_of_the_chosen_edition_as_findings_and_records_one_from_the_offer()
    {
        using var admin = await host.AdminAsync();
        var api2005 = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/gap-analysis/candidates?edition=2005")).EnumerateArray()
            .Select(c => c.GetProperty("clause").GetString()!).ToList();
        var api2018 = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/gap-analysis/candidates")).EnumerateArray()
            .Select(c => c.GetProperty("clause").GetString()!).ToList();
        api2005.ShouldContain("3.3");
        api2005.ShouldNotContain("8.6.1");
        api2018.ShouldContain("7.2");
        api2018.ShouldNotContain("3.3");
        (await admin.GetAsync("/api/v1/gap-analysis/candidates?edition=1999")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var session = await AdminAsync();

        var page = await session.GetHtmlAsync("/compliance/gap?edition=2005");
        var candidates = Regex.Matches(Section(page, "candidates"), "<tr data-clause=\"(?<c>[0-9.]+)\"", RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1))
            .Select(m => m.Groups["c"].Value).ToList();
        candidates.ShouldBe(api2005);
        page.ShouldContain("(ISO/IEC 20000-1:2005)");
        page.ShouldContain("class=\"btn btn-sm btn-primary\" href=\"/compliance/gap?edition=2005\"");
        page.ShouldContain("href=\"/compliance?edition=2005&amp;verdict=no-evidence#clause-3.3\"");

        var offer = await session.GetHtmlAsync("/compliance/gap?edition=2005&clause=3.3");
        var form = Section(offer, "new-finding");
        form.ShouldContain("<option value=\"2005\" selected=\"selected\">2005</option>");
        form.ShouldContain("name=\"Finding.Clause\" placeholder=\"8.6.1\" value=\"3.3\"");

        var refused = await session.PostFormAsync("/compliance/gap?edition=2005&clause=3.3", "/compliance/gap?handler=Finding", Form(
            ("Edition", "2005"), ("Finding.Edition", "2005"), ("Finding.Clause", "3.3"), ("Finding.Title", ""), ("Finding.Description", "培训记录不全")));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var refusal = await refused.Content.ReadAsStringAsync();
        FieldError(refusal, "Finding.Title").ShouldNotBeNull();
        refusal.ShouldContain("培训记录不全</textarea>");
        var wrongClause = await session.PostFormAsync("/compliance/gap?edition=2005", "/compliance/gap?handler=Finding", Form(
            ("Edition", "2005"), ("Finding.Edition", "2005"), ("Finding.Clause", "8.6.1"), ("Finding.Title", "Wrong edition")));
        FieldError(await wrongClause.Content.ReadAsStringAsync(), "Finding.Clause")!.ShouldContain("8.6.1");

        var title = "Training records of the night shift missing " + Guid.NewGuid().ToString("N")[..6];
        var created = await session.PostFormAsync("/compliance/gap?edition=2005&clause=3.3", "/compliance/gap?handler=Finding", Form(
            ("Edition", "2005"), ("Finding.Edition", "2005"), ("Finding.Clause", "3.3"), ("Finding.Title", title), ("Finding.Description", "")));
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
        created.Headers.Location!.ToString().ShouldBe("/compliance/gap?edition=2005");
        var after = await session.GetHtmlAsync("/compliance/gap?edition=2005");
        Section(after, "findings").ShouldContain(title);
        Section(after, "findings").ShouldContain("2005:3.3");
        // An open finding makes its clause a gap: still a candidate, now as a gap.
        Section(after, "candidates").ShouldContain("<tr data-clause=\"3.3\">");
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/gap-analysis/candidates?edition=2005")).EnumerateArray()
            .Single(c => c.GetProperty("clause").GetString() == "3.3").GetProperty("verdict").GetString().ShouldBe("gap");
    }

    [Fact]
    public async Task The_roadmap_shows_the_implementation_phases_in_order_and_saves_a_phase()
    {
        using var admin = await host.AdminAsync();
        var step = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/roadmap")).EnumerateArray().Single(s => s.GetProperty("phase").GetString() == "diagnosis");
        using var session = await AdminAsync("zh-CN");

        var page = await session.GetHtmlAsync("/compliance/roadmap");
        Regex.Matches(page, "data-phase=\"(?<p>[a-z-]+)\"", RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1)).Select(m => m.Groups["p"].Value)
            .ShouldBe(["training", "organisation", "diagnosis", "documents", "trial-run", "internal-audit", "management-review", "certification"]);
        page.ShouldContain("3. 系统调查与诊断：找出与标准的差距（差距分析）");

        var version = step.GetProperty("version").GetInt32().ToString(CultureInfo.InvariantCulture);
        var bad = await session.PostFormAsync("/compliance/roadmap", "/compliance/roadmap", Form(
            ("Id", step.GetProperty("id").GetString()!), ("Version", version), ("Input.StartsOn", "2026-02-09"), ("Input.DueOn", "2026-02-30"), ("Input.Status", "in-progress")));
        bad.StatusCode.ShouldBe(HttpStatusCode.OK);
        Section(await bad.Content.ReadAsStringAsync(), "errors").ShouldContain("日期");

        var saved = await session.PostFormAsync("/compliance/roadmap", "/compliance/roadmap", Form(
            ("Id", step.GetProperty("id").GetString()!), ("Version", version), ("Input.StartsOn", "2026-02-09"), ("Input.DueOn", "2026-03-13"),
            ("Input.Status", "done"), ("Input.Note", "差距分析报告已提交")));
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());
        var after = await session.GetHtmlAsync("/compliance/roadmap");
        var row = Section(after, "roadmap")[Section(after, "roadmap").IndexOf("data-phase=\"diagnosis\"", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        row.ShouldContain("value=\"2026-03-13\"");
        row.ShouldContain("value=\"差距分析报告已提交\"");
        row.ShouldContain("<option value=\"done\" selected=\"selected\">已完成</option>");
    }

    [Fact]
    public async Task Customers_are_refused_every_compliance_page()
    {
        var build = await Builders.ForAsync(host);
        var customer = await build.UserAsync(await build.OrganisationAsync(), "customer-user");
        using var session = await SignedInAsync(host, customer.Email, customer.Password);

        foreach (var path in new[] { "/compliance", "/compliance?edition=2005&verdict=gap", "/compliance/gap", "/compliance/gap?edition=2005", "/compliance/roadmap" })
        {
            Refused(await session.GetAsync(path));
        }
        using var api = await build.ClientAsync(customer);
        (await api.GetAsync("/api/v1/gap-analysis/candidates?edition=2005")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}

public sealed class CompliancePageTestsOnSqlite(SqliteCertus host) : CompliancePageTests(host), IClassFixture<SqliteCertus>;

public sealed class CompliancePageTestsOnPostgres(PostgresCertus host) : CompliancePageTests(host), IClassFixture<PostgresCertus>;
