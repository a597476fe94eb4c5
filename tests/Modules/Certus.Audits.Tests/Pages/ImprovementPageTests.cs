using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certus.Audits.Tests.Api;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Audits.Tests.Pages;

/// <summary>The nonconformity and improvement registers through the real host, as a browser without JavaScript uses them.</summary>
public abstract class ImprovementPageTests(CertusFixture host)
{
    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    private static bool HasFieldError(string html, string field) =>
        Regex.IsMatch(html, $"<span[^>]*field-validation-error[^>]*data-valmsg-for=\"{Regex.Escape(field)}\"[^>]*>[^<]+</span>", RegexOptions.None, TimeSpan.FromSeconds(1));

    private async Task<BrowserSession> SignedInAsync(Builders.TestUser user, string culture = "en-US")
    {
        var session = new BrowserSession(host, culture);
        (await session.SignInAsync(user.Email, user.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return session;
    }

    [Fact]
    public async Task The_register_lists_nonconformities_and_raising_one_without_a_title_shows_the_error_and_writes_nothing()
    {
        var world = await AuditWorld.ForAsync(host);
        var manager = await world.StaffAsync("management-representative");
        var marker = Guid.NewGuid().ToString("N")[..6];
        var existing = await AuditWorld.ReadAsync(await world.Admin.PostAsJsonAsync("/api/v1/nonconformities",
            new { title = $"周报延迟 {marker}", source = "complaint", sourceRef = "TS-2026-031", severity = "minor" }), HttpStatusCode.Created);
        using var session = await SignedInAsync(manager, "zh-CN");

        var list = await session.GetHtmlAsync("/nonconformities");
        list.ShouldContain($"周报延迟 {marker}");
        list.ShouldContain(existing.GetProperty("number").GetString()!);
        list.ShouldContain("投诉");
        list.ShouldContain("data-testid=\"nc-form\"");
        var before = (await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/nonconformities")).GetArrayLength();

        var refused = await session.PostFormAsync("/nonconformities", "/nonconformities", Form(
            ("Input.Kind", "nonconformity"), ("Input.Title", ""), ("Input.Source", "incident"), ("Input.SourceRef", "INC-000042"), ("Input.Severity", "major")));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await refused.Content.ReadAsStringAsync();
        HasFieldError(html, "Input.Title").ShouldBeTrue(html);
        html.ShouldContain("value=\"INC-000042\"");
        (await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/nonconformities")).GetArrayLength().ShouldBe(before);

        var raised = await session.PostFormAsync("/nonconformities", "/nonconformities", Form(
            ("Input.Kind", "nonconformity"), ("Input.Title", $"交接遗漏 {marker}"), ("Input.Source", "incident"), ("Input.SourceRef", "INC-000042"), ("Input.Severity", "major")));
        raised.StatusCode.ShouldBe(HttpStatusCode.Redirect, await raised.Content.ReadAsStringAsync());
        var page = await session.GetHtmlAsync(raised.Headers.Location!.ToString());
        page.ShouldContain($"交接遗漏 {marker}");
        page.ShouldContain("INC-000042");
        page.ShouldContain("严重");
    }

    [Fact]
    public async Task An_incident_page_shows_the_nonconformities_raised_from_it_and_opens_the_form_filled_in()
    {
        var world = await AuditWorld.ForAsync(host);
        var manager = await world.StaffAsync("management-representative");
        var org = await world.Build.OrganisationAsync();
        var incident = await AuditWorld.ReadAsync(await world.Admin.PostAsJsonAsync("/api/v1/incidents", new
        {
            title = "交接班漏报告警 / alarm missed at shift handover", channel = "monitoring", organisationId = org, callerName = "值班员", impact = "medium", urgency = "medium",
        }), HttpStatusCode.Created);
        var number = incident.GetProperty("number").GetString()!;
        var numberValue = incident.GetProperty("numberValue").GetInt64();
        using var session = await SignedInAsync(manager);

        var before = await session.GetHtmlAsync($"/incidents/{numberValue}");
        before.ShouldContain("data-testid=\"incident-nonconformities\"");
        before.ShouldContain("No nonconformity entered from this incident.");
        var form = await session.GetHtmlAsync($"/nonconformities?raise=incident&ref={number}");
        form.ShouldContain($"value=\"{number}\"");
        Regex.IsMatch(form, "<option value=\"incident\" selected=\"selected\">", RegexOptions.None, TimeSpan.FromSeconds(1)).ShouldBeTrue();

        var nc = await AuditWorld.ReadAsync(await world.Admin.PostAsJsonAsync("/api/v1/nonconformities",
            new { title = "交接单缺少告警项 / handover sheet lacks alarms", source = "incident", sourceRef = number, severity = "minor" }), HttpStatusCode.Created);
        var after = await session.GetHtmlAsync($"/incidents/{numberValue}");
        after.ShouldContain(nc.GetProperty("number").GetString()!);
        after.ShouldContain("交接单缺少告警项 / handover sheet lacks alarms");

        // The desk sees the incident but not the register; a customer sees neither the panel nor the register.
        var agent = await world.StaffAsync("service-desk-agent");
        using var desk = await SignedInAsync(agent);
        (await desk.GetHtmlAsync($"/incidents/{numberValue}")).ShouldNotContain("raise-nonconformity");
        var customer = await world.Build.UserAsync(org, "customer-user");
        using var portal = await SignedInAsync(customer);
        (await portal.GetHtmlAsync($"/incidents/{numberValue}")).ShouldNotContain("incident-nonconformities");
        var refused = await portal.GetAsync("/nonconformities");
        refused.StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_improvement_register_lists_proposals_and_staff_propose_through_its_form()
    {
        var world = await AuditWorld.ForAsync(host);
        var technician = await world.StaffAsync();
        var marker = Guid.NewGuid().ToString("N")[..6];
        using var session = await SignedInAsync(technician);

        var refused = await session.PostFormAsync("/improvements", "/improvements", Form(("Input.Title", ""), ("Input.Source", "manual")));
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        HasFieldError(await refused.Content.ReadAsStringAsync(), "Input.Title").ShouldBeTrue();

        var proposed = await session.PostFormAsync("/improvements", "/improvements", Form(
            ("Input.Title", $"值班交接电子化 {marker}"), ("Input.Description", "用表单替代纸质交接单"), ("Input.Source", "manual")));
        proposed.StatusCode.ShouldBe(HttpStatusCode.Redirect, await proposed.Content.ReadAsStringAsync());
        var list = await session.GetHtmlAsync("/improvements");
        list.ShouldContain($"值班交接电子化 {marker}");
        list.ShouldContain("Proposed");
    }
}

public sealed class ImprovementPageTestsOnSqlite(SqliteCertus host) : ImprovementPageTests(host), IClassFixture<SqliteCertus>;

public sealed class ImprovementPageTestsOnPostgres(PostgresCertus host) : ImprovementPageTests(host), IClassFixture<PostgresCertus>;
