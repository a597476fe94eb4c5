using System.Net;
using Certus.Configuration.Tests.Api;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Configuration.Tests.Pages;

public abstract class ImportAuditPageTests(CertusFixture host)
{
    [Fact]
    public async Task The_import_and_audit_pages_render_in_both_languages_and_show_the_findings()
    {
        var admin = await host.AdminAsync();
        var t = Guid.NewGuid().ToString("N")[..6];
        var created = await Cmdb.ReadAsync(await Files.PostAsync(admin, "/api/v1/configuration-audits", "seen.csv",
            Files.Csv(["class", "name", "location"], ["server", $"page-x-{t}", $"页面机房 {t}"]),
            new Dictionary<string, string> { ["title"] = $"Page audit {t}", ["scopeLocation"] = $"页面机房 {t}" }), HttpStatusCode.Created);
        using var session = new BrowserSession(host, "zh-CN");
        (await session.SignInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await session.GetHtmlAsync("/cmdb/import")).ShouldContain("试运行");
        (await session.GetHtmlAsync("/cmdb/audits")).ShouldContain($"Page audit {t}");
        var details = await session.GetHtmlAsync($"/cmdb/audits/{created.GetProperty("id").GetGuid()}");
        details.ShouldContain($"page-x-{t}");
        details.ShouldContain("未登记");
        details.ShouldNotContain("<script>");
    }

    [Fact]
    public async Task Customers_cannot_open_the_import_or_audit_pages()
    {
        var build = await Builders.ForAsync(host);
        var customer = await build.UserAsync(await build.OrganisationAsync(), "customer-user");
        using var session = new BrowserSession(host);
        await session.SignInAsync(customer.Email, customer.Password);

        foreach (var path in new[] { "/cmdb/import", "/cmdb/audits", $"/cmdb/audits/{Guid.NewGuid()}" })
        {
            var response = await session.GetAsync(path);
            response.StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.Redirect, HttpStatusCode.NotFound);
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                response.Headers.Location!.ToString().ShouldContain("denied", Case.Insensitive);
            }
        }
    }
}

public sealed class ImportAuditPageTestsOnSqlite(SqliteCertus host) : ImportAuditPageTests(host), IClassFixture<SqliteCertus>;

public sealed class ImportAuditPageTestsOnPostgres(PostgresCertus host) : ImportAuditPageTests(host), IClassFixture<PostgresCertus>;
