using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certus.Compliance.Tests.Api;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Compliance.Tests.Pages;

/// <summary>The document pages through the real host, as a browser without JavaScript uses them.</summary>
public abstract class DocumentPageTests(CertusFixture host)
{
    internal static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    /// <summary>The error message the page shows next to <paramref name="field"/>, or null.</summary>
    internal static string? FieldError(string html, string field)
    {
        var match = Regex.Match(html, $"<span[^>]*field-validation-error[^>]*data-valmsg-for=\"{Regex.Escape(field)}\"[^>]*>(?<message>[^<]+)</span>",
            RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));
        return match.Success ? WebUtility.HtmlDecode(match.Groups["message"].Value) : null;
    }

    /// <summary>The HTML of the element carrying <c>data-testid="<paramref name="testId"/>"</c>, up to the next element of the same test id kind.</summary>
    internal static string Section(string html, string testId)
    {
        var start = html.IndexOf($"data-testid=\"{testId}\"", StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, $"no element data-testid=\"{testId}\"");
        return html[start..];
    }

    internal static async Task<BrowserSession> SignedInAsync(CertusFixture host, string email, string password, string culture = "en-US")
    {
        var session = new BrowserSession(host, culture);
        (await session.SignInAsync(email, password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return session;
    }

    private Task<BrowserSession> AdminAsync(string culture = "en-US") => SignedInAsync(host, CertusFixture.AdminEmail, CertusFixture.AdminPassword, culture);

    internal static void Refused(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Redirect, HttpStatusCode.NotFound);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            response.Headers.Location!.ToString().ShouldContain("/account/denied");
        }
    }

    [Fact]
    public async Task The_register_lists_the_documents_by_tier_with_their_retention_and_the_tier_filter_keeps_only_that_tier()
    {
        using var session = await AdminAsync("zh-CN");

        var all = await session.GetHtmlAsync("/documents");
        var register = Section(all, "documents");
        register.ShouldContain(">A-01</a>");
        register.ShouldContain("IT服务管理手册");
        register.ShouldContain(">B-07</a>");
        register.ShouldContain(">D-01</a>");
        Regex.IsMatch(Section(all, "retention-D-01"), @"^[^<]*>\s*<div class=""text-secondary"">36 个月</div>", RegexOptions.None, TimeSpan.FromSeconds(1)).ShouldBeTrue();
        all.ShouldContain("href=\"/documents/retention\"");

        var records = await session.GetHtmlAsync("/documents?tier=D");
        var rows = Section(records, "documents");
        rows.ShouldContain(">D-01</a>");
        rows.ShouldContain("月度服务质量分析报告");
        rows.ShouldNotContain(">A-01</a>");
        rows.ShouldNotContain(">B-07</a>");
        records.ShouldContain("class=\"btn btn-sm btn-primary\" href=\"/documents?tier=D\">D层 · 记录</a>");
    }

    [Fact]
    public async Task A_bad_register_entry_shows_each_message_next_to_its_field_keeps_what_was_typed_and_writes_nothing()
    {
        using var session = await AdminAsync();
        var code = "PT-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

        var refused = await session.PostFormAsync("/documents", "/documents", Form(
            ("Input.Code", "bad code!"), ("Input.Tier", "B"), ("Input.TitleZh", "变更管理程序（草稿）"), ("Input.TitleEn", ""), ("Input.Clauses", "8.5.1, eight"),
            ("Input.ReviewMonths", "12"), ("Input.RetentionMonths", "0")));

        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await refused.Content.ReadAsStringAsync();
        FieldError(html, "Input.Code")!.ShouldContain("letters, digits");
        FieldError(html, "Input.TitleEn").ShouldNotBeNull();
        FieldError(html, "Input.Clauses")!.ShouldContain("eight");
        FieldError(html, "Input.RetentionMonths").ShouldNotBeNull();
        FieldError(html, "Input.TitleZh").ShouldBeNull();
        html.ShouldContain("value=\"变更管理程序（草稿）\"");
        html.ShouldContain("value=\"8.5.1, eight\"");
        using var admin = await host.AdminAsync();
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/documents")).EnumerateArray()
            .ShouldNotContain(d => d.GetProperty("titleZh").GetString() == "变更管理程序（草稿）");

        var created = await session.PostFormAsync("/documents", "/documents", Form(
            ("Input.Code", code), ("Input.Tier", "C"), ("Input.TitleZh", "机房巡检规定"), ("Input.TitleEn", "Data-centre inspection rule"), ("Input.Clauses", "8.7.1"),
            ("Input.ReviewMonths", "12"), ("Input.RetentionMonths", "")));
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
        created.Headers.Location!.ToString().ShouldBe($"/documents/{code}");
        var page = await session.GetHtmlAsync($"/documents/{code}");
        page.ShouldContain("Data-centre inspection rule");
        page.ShouldContain("No versions yet", Case.Insensitive);
    }

    [Fact]
    public async Task A_draft_goes_through_review_approval_with_a_reason_and_publication_on_its_page()
    {
        var build = await Builders.ForAsync(host);
        var doc = await DocumentWorkflowTests.RegisterAsync(build.Admin);
        var code = doc.GetProperty("code").GetString()!;
        using var session = await AdminAsync();
        int Version(string html) => int.Parse(Regex.Match(html, "name=\"Version\" value=\"(?<v>[0-9]+)\"", RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1)).Groups["v"].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        async Task<(HttpResponseMessage Response, string Html)> PostAsync(string handler, params (string, string)[] fields)
        {
            var html = await session.GetHtmlAsync($"/documents/{code}");
            var response = await session.PostFormAsync($"/documents/{code}", $"/documents/{code}?handler={handler}",
                Form([.. fields, ("Version", Version(html).ToString(System.Globalization.CultureInfo.InvariantCulture))]));
            return (response, await response.Content.ReadAsStringAsync());
        }

        (await PostAsync("NewVersion", ("Label", "1.0"), ("ChangeNote", "First issue"))).Response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await PostAsync("EditDraft", ("Number", "1"), ("Label", "1.0"), ("Body", "# 事件管理程序\n\n服务台记录所有事件。"), ("ChangeNote", "First issue")))
            .Response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var draft = await session.GetHtmlAsync($"/documents/{code}");
        Section(draft, "version-1").ShouldContain("data-testid=\"status\">Draft<");
        draft.ShouldContain("value=\"submit\">Submit for review</button>");

        (await PostAsync("Move", ("Number", "1"), ("Trigger", "submit"))).Response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var review = await session.GetHtmlAsync($"/documents/{code}");
        Section(review, "version-1").ShouldContain("data-testid=\"status\">In review<");
        review.ShouldContain("value=\"approve\">Approve</button>");

        // A writer who is no approver sees no approval button, and approving needs a reason.
        var writer = await build.UserAsync(await build.ProviderIdAsync(), "service-level-manager");
        using (var other = await SignedInAsync(host, writer.Email, writer.Password))
        {
            (await other.GetHtmlAsync($"/documents/{code}")).ShouldNotContain("value=\"approve\"");
        }
        var (refused, refusal) = await PostAsync("Move", ("Number", "1"), ("Trigger", "approve"), ("Reason", ""));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        Section(refusal, "errors").ShouldContain("required", Case.Insensitive);
        Section(refusal, "version-1").ShouldContain(">In review<");

        (await PostAsync("Move", ("Number", "1"), ("Trigger", "approve"), ("Reason", "经 IT 服务委员会评审 / reviewed by the committee"))).Response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var approved = await session.GetHtmlAsync($"/documents/{code}");
        Section(approved, "version-1").ShouldContain(">Approved<");
        approved.ShouldContain("经 IT 服务委员会评审 / reviewed by the committee");
        (await PostAsync("Move", ("Number", "1"), ("Trigger", "publish"))).Response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var effective = await session.GetHtmlAsync($"/documents/{code}");
        Section(effective, "version-1").ShouldContain(">Effective<");
        effective.ShouldContain("服务台记录所有事件。");
        effective.ShouldNotContain("data-testid=\"move-1\"");
    }

    [Fact]
    public async Task A_holder_confirms_reading_the_effective_version_on_its_page()
    {
        var build = await Builders.ForAsync(host);
        var holder = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        var doc = await DocumentWorkflowTests.PublishAsync(build.Admin, await DocumentWorkflowTests.RegisterAsync(build.Admin), "# 值班规定 Duty rules");
        var code = doc.GetProperty("code").GetString()!;
        (await build.Admin.PostAsJsonAsync($"/api/v1/documents/{doc.GetProperty("id").GetString()}/holders", new { userId = holder.Id })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var session = await SignedInAsync(host, holder.Email, holder.Password, "zh-CN");

        var before = await session.GetHtmlAsync($"/documents/{code}");
        Section(before, "holders").ShouldContain("未阅");
        before.ShouldContain("data-testid=\"acknowledge\">我已阅读有效版本 (1.0)</button>");
        // Holders read; they do not write.
        before.ShouldNotContain("handler=NewVersion");

        var confirmed = await session.PostFormAsync($"/documents/{code}", $"/documents/{code}?handler=Acknowledge", Form());
        confirmed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var after = await session.GetHtmlAsync($"/documents/{code}");
        Regex.IsMatch(Section(after, "holders"), "bg-green-lt\">已阅 [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}<", RegexOptions.None, TimeSpan.FromSeconds(1)).ShouldBeTrue();
        after.ShouldNotContain("data-testid=\"acknowledge\"");
    }

    [Fact]
    public async Task The_retention_page_lists_records_due_and_disposes_of_them_only_with_a_reason_and_a_confirmation()
    {
        var build = await Builders.ForAsync(host);
        var doc = await RecordRetentionTests.ReplacedRecordAsync(build.Admin, System.Text.Encoding.UTF8.GetBytes("page " + Guid.NewGuid()));
        var code = doc.GetProperty("code").GetString()!;
        var retainedOn = await RecordRetentionTests.RetainedMonthsAgoAsync(host.Database, doc, 13);
        var retainUntil = DateOnly.ParseExact(retainedOn, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddMonths(12)
            .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var key = $"{RecordRetentionTests.Id(doc)}:{RecordRetentionTests.Version(doc)}:1";

        // A member of staff sees what is due but cannot dispose of it.
        var writer = await build.UserAsync(await build.ProviderIdAsync(), "service-level-manager");
        using (var staff = await SignedInAsync(host, writer.Email, writer.Password))
        {
            var seen = await staff.GetHtmlAsync("/documents/retention");
            Section(seen, $"due-{code}-1").ShouldContain(retainUntil);
            seen.ShouldNotContain("data-testid=\"dispose-form\"");
            (await staff.PostFormAsync("/documents/retention", "/documents/retention?handler=Dispose", Form(("Selected", key), ("Reason", "tidy up"), ("Confirm", "true"))))
                .StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Redirect);
        }

        using var session = await AdminAsync("zh-CN");
        var page = await session.GetHtmlAsync("/documents/retention");
        var row = Section(page, $"due-{code}-1");
        row.ShouldContain($"value=\"{key}\"");
        row.ShouldContain("report-2026-03.xlsx");
        row.ShouldContain("12 个月");
        page.ShouldContain("data-testid=\"dispose-form\"");

        var unconfirmed = await session.PostFormAsync("/documents/retention", "/documents/retention?handler=Dispose", Form(("Selected", key), ("Reason", "")));
        unconfirmed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var refusal = await unconfirmed.Content.ReadAsStringAsync();
        FieldError(refusal, "Reason").ShouldNotBeNull();
        FieldError(refusal, "Confirm")!.ShouldContain("确认");
        refusal.ShouldContain($"value=\"{key}\" checked=\"checked\"");
        (await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{RecordRetentionTests.Id(doc)}")).GetProperty("versions").EnumerateArray()
            .Single(v => v.GetProperty("number").GetInt32() == 1).GetProperty("status").GetString().ShouldBe("retained");

        var disposed = await session.PostFormAsync("/documents/retention", "/documents/retention?handler=Dispose",
            Form(("Selected", key), ("Reason", "保存期满，经记录评审批准销毁"), ("Confirm", "true")));
        disposed.StatusCode.ShouldBe(HttpStatusCode.Redirect, await disposed.Content.ReadAsStringAsync());
        var after = await session.GetHtmlAsync("/documents/retention");
        after.ShouldNotContain($"data-testid=\"due-{code}-1\"");
        var log = Section(after, "disposals");
        log.ShouldContain($">{code}</a>");
        log.ShouldContain("保存期满，经记录评审批准销毁");
        log.ShouldContain("内容已销毁");
        var docPage = await session.GetHtmlAsync($"/documents/{code}");
        Section(docPage, "version-1").ShouldContain(">保留期满已销毁<");
        Section(docPage, "disposed").ShouldContain("保存期满，经记录评审批准销毁");
        docPage.ShouldNotContain("?handler=File&number=1\"");
        Section(docPage, "disposed").ShouldContain("report-2026-03.xlsx");
    }

    [Fact]
    public async Task A_legal_hold_is_put_on_and_lifted_on_the_document_page_with_a_reason()
    {
        var build = await Builders.ForAsync(host);
        var doc = await RecordRetentionTests.ReplacedRecordAsync(build.Admin, System.Text.Encoding.UTF8.GetBytes("hold " + Guid.NewGuid()));
        var code = doc.GetProperty("code").GetString()!;
        using var session = await AdminAsync();

        var empty = await session.PostFormAsync($"/documents/{code}", $"/documents/{code}?handler=Hold", Form(("Version", RecordRetentionTests.Version(doc).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("HoldReason", "")));
        empty.StatusCode.ShouldBe(HttpStatusCode.OK);
        FieldError(await empty.Content.ReadAsStringAsync(), "HoldReason").ShouldNotBeNull();

        var held = await session.PostFormAsync($"/documents/{code}", $"/documents/{code}?handler=Hold",
            Form(("Version", RecordRetentionTests.Version(doc).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("HoldReason", "Customer dispute 2026-17")));
        held.StatusCode.ShouldBe(HttpStatusCode.Redirect, await held.Content.ReadAsStringAsync());
        var page = await session.GetHtmlAsync($"/documents/{code}");
        Section(page, "legal-hold").ShouldContain("Customer dispute 2026-17");
        page.ShouldContain("Lift the legal hold");
        var list = await session.GetHtmlAsync("/documents/retention");
        Section(list, "holds").ShouldContain($">{code}</a>");
        Section(list, "holds").ShouldContain("Customer dispute 2026-17");
    }

    [Fact]
    public async Task Customers_are_refused_every_document_page()
    {
        var build = await Builders.ForAsync(host);
        var customer = await build.UserAsync(await build.OrganisationAsync(), "customer-user");
        using var session = await SignedInAsync(host, customer.Email, customer.Password);

        foreach (var path in new[] { "/documents", "/documents?tier=D", "/documents/B-07", "/documents/retention" })
        {
            Refused(await session.GetAsync(path));
        }
    }
}

public sealed class DocumentPageTestsOnSqlite(SqliteCertus host) : DocumentPageTests(host), IClassFixture<SqliteCertus>;

public sealed class DocumentPageTestsOnPostgres(PostgresCertus host) : DocumentPageTests(host), IClassFixture<PostgresCertus>;
