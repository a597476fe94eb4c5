using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Microsoft.Playwright;
using Shouldly;
using Xunit;

namespace Certus.BrowserTests;

public sealed class AgreementFlowTests(BrowserFixture host) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_service_level_manager_drafts_an_SLA_in_the_browser_approves_it_and_the_page_has_no_console_errors()
    {
        var build = await Builders.ForAsync(host);
        var manager = await build.UserAsync(await build.ProviderIdAsync(), "service-level-manager");
        var customer = await build.OrganisationAsync(name: Builders.Unique("明远电商 Mingyuan"));
        var code = "CDN-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var service = await build.Admin.PostAsJsonAsync("/api/v1/services", new
        {
            code, nameEn = "CDN bandwidth", nameZh = "CDN 带宽", lifecycle = "live", serviceHours = "24×7", customerIds = new[] { customer },
        });
        service.StatusCode.ShouldBe(HttpStatusCode.Created);

        var page = await host.NewPageAsync("zh-CN");
        var errors = page.WatchErrors();
        await page.SignInAsync(manager.Email, manager.Password);

        await page.GotoAsync("/service-levels/agreements/new");
        await page.CheckAsync("[data-testid=kind-sla]");
        await page.FillAsync("[data-testid=agreement-title]", "CDN 带宽服务级别协议");
        await page.SelectOptionAsync("[data-testid=agreement-service]", new SelectOptionValue { Label = $"{code} · CDN 带宽" });
        await page.SelectOptionAsync("[data-testid=agreement-customer]", new SelectOptionValue { Value = customer.ToString() });
        await page.FillAsync("[data-testid=response-1]", "15");
        await page.FillAsync("[data-testid=resolution-1]", "240");
        await page.FillAsync("[data-testid=response-2]", "30");
        await page.FillAsync("[data-testid=resolution-2]", "480");
        await page.SubmitAsync("[data-testid=create-agreement]");
        page.Url.ShouldMatch("/service-levels/agreements/[0-9a-f-]{36}$");
        await Assertions.Expect(page.Locator("[data-testid=version-status-1]")).ToHaveTextAsync("草稿");
        (await page.Locator("[data-testid=targets-1]").TextContentAsync())!.ShouldContain("240 min (4 h)");

        await page.ClickAsync("[data-testid=edit-draft]");
        await page.FillAsync("#revise-warning", "80");
        await page.SubmitAsync("[data-testid=save-draft]");
        await page.SubmitAsync("[data-testid=approve]");

        await Assertions.Expect(page.Locator("[data-testid=version-status-1]")).ToHaveTextAsync("已批准");
        await Assertions.Expect(page.Locator("[data-testid=current-version]")).ToHaveTextAsync("v1");
        var id = page.Url.Split('/').Last();
        var agreement = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/agreements/{id}");
        agreement.GetProperty("current").GetProperty("warningPercent").GetInt32().ShouldBe(80);
        errors.ShouldBeEmpty();
    }
}
