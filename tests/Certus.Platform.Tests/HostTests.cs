using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Platform.Tests;

/// <summary>What the host promises every page and endpoint: security by default, headers, docs, metrics.</summary>
public sealed class HostTests(SqliteCertus host) : IClassFixture<SqliteCertus>
{
    private static readonly string[] AnonymousEndpoints = ["/api/v1/auth/token"];

    [Fact]
    public async Task Every_api_endpoint_refuses_a_caller_without_credentials()
    {
        using var client = host.Anonymous();
        var routes = EndpointCatalogue.Routes(host);
        routes.Count.ShouldBeGreaterThan(15);

        foreach (var route in routes.Where(r => !AnonymousEndpoints.Contains(r.Pattern)))
        {
            var path = route.Pattern.Replace("{id:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(route.Method), path));
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{route.Method} {route.Pattern}");
        }
        routes.Where(r => r.AllowsAnonymous).Select(r => r.Pattern).ShouldBe(AnonymousEndpoints);
    }

    [Fact]
    public async Task Pages_send_a_signed_out_visitor_to_sign_in()
    {
        using var client = host.Anonymous();
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        foreach (var page in new[] { "/", "/admin/users", "/admin/organisations", "/audit", "/account/settings" })
        {
            var response = await client.GetAsync(page);
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, page);
            response.Headers.Location!.AbsolutePath.ShouldBe("/account/sign-in");
        }
    }

    [Theory]
    [InlineData("en-US", "Page not found", "This page does not exist, or you may not see it.")]
    [InlineData("zh-CN", "页面未找到", "页面不存在，或您无权查看。")]
    public async Task A_missing_page_or_record_answers_404_with_the_not_found_page_at_the_address_asked_for(string culture, string heading, string message)
    {
        using var session = new BrowserSession(host, culture);
        (await session.SignInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        foreach (var path in new[] { "/incidents/INC-999999", "/no-such-page", "/incidents/999999" })
        {
            var response = await session.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            response.Headers.Location.ShouldBeNull(path);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html", path);
            var html = await response.Content.ReadAsStringAsync();
            html.ShouldContain($"<h1 class=\"h2 mb-2\" data-testid=\"error-title\">{heading}</h1>", Case.Sensitive, path);
            html.ShouldContain(message, Case.Sensitive, path);
            html.ShouldContain($"<html lang=\"{culture}\">", Case.Sensitive, path);
            // Switching language stays on the address asked for, not on the error page.
            html.ShouldContain($"name=\"returnUrl\" value=\"{System.Net.WebUtility.HtmlEncode(path)}\"", Case.Sensitive, path);
        }

        // A form posted to a missing page gets the same page: re-running the request keeps its method.
        var posted = await session.PostRawAsync("/no-such-page", new Dictionary<string, string>(StringComparer.Ordinal) { ["x"] = "1" });
        posted.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await posted.Content.ReadAsStringAsync()).ShouldContain(heading);

        // The error page itself still answers with the status it names.
        (await session.GetAsync("/error/404")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("en-US", "Form not accepted", "Nothing was saved.", "Open the form again")]
    [InlineData("zh-CN", "表单未被接受", "未保存任何内容。", "重新打开表单")]
    public async Task A_form_sent_without_its_antiforgery_token_gets_a_page_that_says_so_and_saves_nothing(string culture, string heading, string message, string again)
    {
        using var session = new BrowserSession(host, culture);
        (await session.SignInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var email = $"no-token-{Guid.NewGuid():N}@example.test";

        // What a browser sends when the button is clicked before the form below it, token and all, has arrived.
        var posted = await session.PostRawAsync("/admin/organisations", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Input.Name"] = email,
        });

        posted.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        posted.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await posted.Content.ReadAsStringAsync();
        html.ShouldContain($"<h1 class=\"h2 mb-2\" data-testid=\"error-title\">{heading}</h1>");
        html.ShouldContain(message);
        html.ShouldContain($"href=\"/admin/organisations\" class=\"btn btn-primary mt-2\" data-testid=\"open-form-again\"><i class=\"ti ti-refresh me-2\"></i>{again}</a>");
        (await session.GetHtmlAsync("/admin/organisations")).ShouldNotContain(email);
    }

    [Fact]
    public async Task A_missing_api_record_or_route_answers_404_problem_details_not_the_page()
    {
        using var admin = await host.AdminAsync();
        admin.DefaultRequestHeaders.Accept.ParseAdd("text/html");

        foreach (var path in new[] { $"/api/v1/incidents/{Guid.NewGuid()}", "/api/v1/no-such-route" })
        {
            var response = await admin.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", path);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("status").GetInt32().ShouldBe(404, path);
        }
    }

    [Fact]
    public async Task Responses_carry_a_csp_without_inline_script_and_deny_framing()
    {
        using var client = host.Anonymous();

        var response = await client.GetAsync("/account/sign-in");

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("script-src 'self'");
        csp.ShouldNotContain("unsafe-inline");
        csp.ShouldContain("frame-ancestors 'none'");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("<script>");
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        using var session = new BrowserSession(host);

        var response = await session.PostRawAsync("/account/sign-in", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Input.Email"] = CertusFixture.AdminEmail,
            ["Input.Password"] = CertusFixture.AdminPassword,
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        // Not signed in: the refusal page may hand out a fresh antiforgery cookie, never the sign-in one.
        (response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : []).ShouldNotContain(c => c.StartsWith("certus.auth=", StringComparison.Ordinal));
        (await session.GetAsync("/")).Headers.Location!.AbsolutePath.ShouldBe("/account/sign-in");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api_and_the_docs_ui_is_served()
    {
        using var client = host.Anonymous();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var docs = await client.GetAsync("/api/docs/index.html");

        var paths = document.GetProperty("paths");
        paths.TryGetProperty("/api/v1/organisations", out _).ShouldBeTrue();
        paths.TryGetProperty("/api/v1/auth/token", out _).ShouldBeTrue();
        document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _).ShouldBeTrue();
        docs.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_request_durations_for_a_monitoring_token()
    {
        using var admin = await host.AdminAsync();
        await admin.GetAsync("/api/v1/me");
        var created = await admin.PostAsJsonAsync("/api/v1/me/tokens", new { name = "prometheus" });
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var scraper = host.Anonymous();
        scraper.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var response = await scraper.GetAsync("/metrics");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain("# TYPE http_server_request_duration_seconds histogram");
        text.ShouldContain("http_route=\"/api/v1/auth/token\"");
        text.ShouldContain("le=\"0.0025\"");
        text.ShouldContain("le=\"+Inf\"");
        (await host.Anonymous().GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Malformed_json_gets_a_400_problem_not_a_server_error()
    {
        using var admin = await host.AdminAsync();

        var response = await admin.PostAsync("/api/v1/organisations", new StringContent("{\"name\": ", System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }
}
