using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certus.ServiceLevels.Tests.Api;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.ServiceLevels.Tests.Pages;

/// <summary>The service level pages through the real host, as a browser without JavaScript uses them.</summary>
public abstract class ServiceLevelPageTests(CertusFixture host)
{
    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    /// <summary>Whether the page shows an error message next to <paramref name="field"/>.</summary>
    private static bool HasFieldError(string html, string field) =>
        Regex.IsMatch(html, $"<span[^>]*field-validation-error[^>]*data-valmsg-for=\"{Regex.Escape(field)}\"[^>]*>[^<]+</span>", RegexOptions.None, TimeSpan.FromSeconds(1));

    /// <summary>A page for a record the caller may not see answers 404 with the not-found page.</summary>
    private static async Task ShouldBeNotFoundAsync(BrowserSession session, string path)
    {
        var response = await session.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
        (await response.Content.ReadAsStringAsync()).ShouldContain("data-testid=\"error-title\"");
    }

    private async Task<BrowserSession> SignedInAsync(string email, string password, string culture = "en-US")
    {
        var session = new BrowserSession(host, culture);
        (await session.SignInAsync(email, password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return session;
    }

    [Fact]
    public async Task Provider_staff_see_every_page_and_a_customer_is_kept_out_of_the_management_pages()
    {
        var desk = await SlaDesk.CreateAsync(host);
        using var admin = await SignedInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword);
        foreach (var path in new[]
        {
            "/services", $"/services/{desk.Service}", "/services/new", $"/services/{desk.Service}/edit", "/service-levels/agreements",
            $"/service-levels/agreements/{desk.Agreement}", "/service-levels/agreements/new", "/service-levels/projects", "/service-levels/projects/new",
            "/service-levels/escalation-rules", "/service-levels/escalation-rules/new", "/service-levels/attainment",
        })
        {
            (await admin.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }
        (await admin.GetHtmlAsync("/services")).ShouldContain(desk.ServiceCode);

        using var customer = await SignedInAsync(desk.CustomerUser.Email, desk.CustomerUser.Password);
        foreach (var path in new[] { "/services/new", "/service-levels/agreements/new", "/service-levels/escalation-rules", $"/services/{desk.Service}/edit" })
        {
            var denied = await customer.GetAsync(path);
            denied.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            denied.Headers.Location!.ToString().ShouldContain("/account/denied");
        }
    }

    [Fact]
    public async Task A_customer_sees_only_the_services_and_SLAs_of_their_own_organisation()
    {
        var mine = await SlaDesk.CreateAsync(host);
        var theirs = await SlaDesk.CreateAsync(host);
        using var customer = await SignedInAsync(mine.CustomerUser.Email, mine.CustomerUser.Password, "zh-CN");

        var catalogue = await customer.GetHtmlAsync("/services");
        catalogue.ShouldContain(mine.ServiceCode);
        catalogue.ShouldContain("IDC 托管");
        catalogue.ShouldNotContain(theirs.ServiceCode);
        await ShouldBeNotFoundAsync(customer, $"/services/{theirs.Service}");

        var agreements = await customer.GetHtmlAsync("/service-levels/agreements");
        agreements.ShouldContain($"/service-levels/agreements/{mine.Agreement}");
        agreements.ShouldNotContain($"/service-levels/agreements/{theirs.Agreement}");
        await ShouldBeNotFoundAsync(customer, $"/service-levels/agreements/{theirs.Agreement}");
        using (var api = await host.AdminAsync())
        {
            (await api.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/agreements/{mine.Agreement}/versions", null, 2)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var details = await customer.GetHtmlAsync($"/service-levels/agreements/{mine.Agreement}");
        details.ShouldContain("data-testid=\"version-1\"");
        details.ShouldNotContain("data-testid=\"version-2\"");
        details.ShouldNotContain("data-testid=\"new-draft\"");
    }

    [Fact]
    public async Task A_service_form_with_bad_input_shows_the_errors_next_to_the_fields_and_writes_nothing()
    {
        using var admin = await SignedInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword);
        var code = "BAD CODE " + Guid.NewGuid().ToString("N")[..6];

        var response = await admin.PostFormAsync("/services/new", "/services/new", Form(
            ("Input.Code", code), ("Input.NameEn", ""), ("Input.NameZh", "坏的"), ("Input.Lifecycle", "live")));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        HasFieldError(html, "Input.Code").ShouldBeTrue();
        HasFieldError(html, "Input.NameEn").ShouldBeTrue();
        html.ShouldContain($"value=\"{code}\"");
        using var api = await host.AdminAsync();
        var services = await api.GetFromJsonAsync<JsonElement>("/api/v1/services");
        services.EnumerateArray().ShouldNotContain(s => s.GetProperty("nameZh").GetString() == "坏的");
    }

    [Fact]
    public async Task A_new_agreement_with_a_response_longer_than_its_resolution_is_refused_on_the_targets()
    {
        var desk = await SlaDesk.CreateAsync(host);
        using var admin = await SignedInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword);
        var title = Builders.Unique("Backwards SLA");

        var response = await admin.PostFormAsync("/service-levels/agreements/new", "/service-levels/agreements/new", Form(
            ("Kind", "sla"), ("Title", title), ("OrganisationId", desk.Customer.ToString()), ("ServiceId", desk.Service.ToString()),
            ("Terms.WarningPercent", "75"), ("Terms.OnReopen", "resume"), ("Terms.PauseStatuses", "pending"),
            ("Terms.Response[0]", "600"), ("Terms.Resolution[0]", "60")));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        HasFieldError(html, "Terms.Targets").ShouldBeTrue();
        using var api = await host.AdminAsync();
        (await api.GetFromJsonAsync<JsonElement>("/api/v1/agreements")).EnumerateArray().ShouldNotContain(a => a.GetProperty("title").GetString() == title);
    }

    [Fact]
    public async Task A_draft_is_started_revised_and_approved_through_the_page_and_a_stale_form_says_so()
    {
        var desk = await SlaDesk.CreateAsync(host);
        using var admin = await SignedInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword);
        var page = $"/service-levels/agreements/{desk.Agreement}";

        (await admin.PostFormAsync(page, page + "?handler=Draft", Form(("Version", "2")))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var revised = await admin.PostFormAsync(page, page + "?handler=Revise", Form(
            ("Version", "3"), ("Terms.WarningPercent", "80"), ("Terms.OnReopen", "restart"), ("Terms.PauseStatuses", "pending"),
            ("Terms.Response[0]", "10"), ("Terms.Resolution[0]", "120")));
        revised.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var stale = await admin.PostFormAsync(page, page + "?handler=Approve", Form(("Version", "3"), ("EffectiveFrom", "")));
        stale.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await stale.Content.ReadAsStringAsync()).ShouldContain("Someone else saved this record");

        var approved = await admin.PostFormAsync(page, page + "?handler=Approve", Form(("Version", "4"), ("EffectiveFrom", "")));

        approved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var api = await host.AdminAsync();
        var agreement = await api.GetFromJsonAsync<JsonElement>($"/api/v1/agreements/{desk.Agreement}");
        agreement.GetProperty("current").GetProperty("number").GetInt32().ShouldBe(2);
        agreement.GetProperty("current").GetProperty("onReopen").GetString().ShouldBe("restart");
        var html = await admin.GetHtmlAsync(page);
        html.ShouldContain("data-testid=\"version-status-2\">Approved<");
        html.ShouldContain("120 min (2 h)");
    }

    [Fact]
    public async Task The_incident_page_shows_the_SLA_panel_and_offers_the_customers_services()
    {
        var desk = await SlaDesk.CreateAsync(host);
        var incident = await desk.LogAsync(desk.Build.Admin);
        using var admin = await SignedInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword);

        var html = await admin.GetHtmlAsync($"/incidents/{incident.GetProperty("numberValue").GetInt64()}");

        html.ShouldContain("data-testid=\"sla-panel\"");
        html.ShouldContain($"/service-levels/agreements/{desk.Agreement}");
        html.ShouldContain("data-testid=\"sla-clock-resolution\"");
        html.ShouldContain("240 min (4 h)");
        html.ShouldContain($"<option value=\"{desk.ServiceCode}\">");
        (await admin.GetHtmlAsync($"/incidents/new?organisationId={desk.Customer}")).ShouldContain($"<option value=\"{desk.ServiceCode}\">");

        using var customer = await SignedInAsync(desk.CustomerUser.Email, desk.CustomerUser.Password);
        (await customer.GetHtmlAsync($"/incidents/{incident.GetProperty("numberValue").GetInt64()}")).ShouldContain("data-testid=\"sla-panel\"");
    }

    [Fact]
    public async Task A_service_project_keeps_the_mandatory_processes_on_and_saves_the_chosen_ones()
    {
        var desk = await SlaDesk.CreateAsync(host);
        using var admin = await SignedInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword, "zh-CN");
        var provider = await desk.Build.ProviderIdAsync();
        var manager = await desk.Build.UserAsync(provider, "service-level-manager");
        var code = "P" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

        var created = await admin.PostFormAsync("/service-levels/projects/new", "/service-levels/projects/new", Form(
            ("Input.Code", code), ("Input.Name", "华东证券托管项目"), ("Input.OrganisationId", desk.Customer.ToString()), ("Input.ManagerId", manager.Id.ToString()),
            ("Input.StartsOn", "2026-01-01"), ("Input.Processes", "change")));

        created.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var html = await admin.GetHtmlAsync(created.Headers.Location!.ToString());
        html.ShouldContain("服务台");
        html.ShouldContain("变更管理");
        html.ShouldContain("可用性与持续性管理");
    }

    [Fact]
    public async Task The_attainment_page_shows_the_period_totals()
    {
        using var admin = await SignedInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword);

        var html = await admin.GetHtmlAsync("/service-levels/attainment?from=2026-01-01&to=2027-01-01&groupBy=priority");

        html.ShouldContain("data-testid=\"total-row\"");
        html.ShouldContain("data-testid=\"breaches\"");
        var wrong = await admin.GetHtmlAsync("/service-levels/attainment?from=2026-02-01&to=2026-01-01");
        HasFieldError(wrong, "To").ShouldBeTrue();
    }
}

public sealed class ServiceLevelPageTestsOnSqlite(SqliteCertus host) : ServiceLevelPageTests(host), IClassFixture<SqliteCertus>;

public sealed class ServiceLevelPageTestsOnPostgres(PostgresCertus host) : ServiceLevelPageTests(host), IClassFixture<PostgresCertus>;
