using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Microsoft.Playwright;
using Shouldly;
using Xunit;

namespace Certus.BrowserTests;

public sealed class CmdbFlowTests(BrowserFixture host) : IClassFixture<BrowserFixture>
{
    private static string Screenshot(string name) => Path.Combine(AppContext.BaseDirectory, "screenshots", name);

    private static Task SignInAsync(IPage page, Builders.TestUser user) => page.SignInAsync(user.Email, user.Password);

    [Fact]
    public async Task A_configuration_manager_registers_and_relates_cis_the_graph_draws_them_and_the_incident_page_shows_the_service_at_risk()
    {
        var build = await Builders.ForAsync(host);
        var manager = await build.UserAsync(await build.ProviderIdAsync(), "configuration-manager");
        var customer = await build.OrganisationAsync(name: Builders.Unique("华东证券 East China Securities"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var page = await host.NewPageAsync("zh-CN");
        var errors = page.WatchErrors();
        await SignInAsync(page, manager);

        // A server, registered through the form with typed attributes.
        await page.GotoAsync("/cmdb/new");
        await page.ClickAsync("[data-testid=class-server]");
        await page.FillAsync("[data-testid=ci-name]", $"sh-web-{suffix}");
        await page.FillAsync("[data-testid=attr-cpuCores]", "32");
        await page.SelectOptionAsync("[data-testid=ci-status-input]", "received");
        await page.SubmitAsync("[data-testid=save-ci]");
        var server = (await page.Locator("[data-testid=ci-identifier]").TextContentAsync())!.Trim();
        server.ShouldStartWith("SRV-");
        (await page.Locator("[data-testid=attribute-cpuCores]").TextContentAsync()).ShouldBe("32");

        // A business service for the customer, depending on the server.
        await page.GotoAsync("/cmdb/new?class=business-service");
        await page.FillAsync("[data-testid=ci-name]", $"网上交易服务 {suffix}");
        await page.SelectOptionAsync("[data-testid=ci-customers]", customer.ToString());
        await page.SubmitAsync("[data-testid=save-ci]");
        await page.SelectOptionAsync("[data-testid=relate-type]", "out:depends-on");
        await page.FillAsync("[data-testid=relate-target]", server);
        await page.SubmitAsync("[data-testid=relate]");

        // The server's page: the impact names the service and its customer, and the graph draws both CIs.
        var servicePage = page.Url;
        await page.SubmitAsync($"[data-testid=relationship-{server}] a");
        page.Url.ShouldNotBe(servicePage);
        await Assertions.Expect(page.Locator("[data-testid=ci-identifier]")).ToHaveTextAsync(server);
        await Assertions.Expect(page.Locator("[data-testid=impact-services]")).ToContainTextAsync($"网上交易服务 {suffix}");
        await Assertions.Expect(page.Locator("[data-testid=impact-customers]")).ToContainTextAsync("华东证券");
        await page.WaitForSelectorAsync("#cmdb-graph canvas");
        await Assertions.Expect(page.Locator("[data-testid=graph-nodes] li")).ToHaveCountAsync(2);
        var nodes = await page.Locator("[data-testid=graph-nodes]").TextContentAsync() ?? "";
        nodes.ShouldContain(server);
        nodes.ShouldContain($"网上交易服务 {suffix}");
        await page.Locator("#graph").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("cmdb-ci-zh-CN.png"), FullPage = true });

        // An incident naming the server shows the service and customer at risk.
        var incident = await build.Admin.PostAsJsonAsync("/api/v1/incidents", new
        {
            title = "服务器宕机", channel = "phone", organisationId = customer, callerName = "郑华", impact = "high", urgency = "high", ciRef = server,
        });
        incident.StatusCode.ShouldBe(HttpStatusCode.Created);
        var number = (await incident.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("numberValue").GetInt64();
        var desk = await host.NewPageAsync("en-US");
        var deskErrors = desk.WatchErrors();
        await SignInAsync(desk, await build.UserAsync(await build.ProviderIdAsync(), "service-desk-agent"));
        await desk.GotoAsync($"/incidents/{number}");
        await Assertions.Expect(desk.Locator("[data-testid=panel-service]")).ToContainTextAsync($"网上交易服务 {suffix}");
        await Assertions.Expect(desk.Locator("[data-testid=panel-customer]")).ToContainTextAsync("华东证券");
        await desk.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("cmdb-incident-en-US.png"), FullPage = true });

        // The same CI page in English: labels in English, the graph drawn.
        await desk.SubmitAsync("[data-testid=panel-ci]");
        await Assertions.Expect(desk.Locator("#graph .card-title")).ToHaveTextAsync("Relationship graph");
        await desk.WaitForSelectorAsync("#cmdb-graph canvas");
        await Assertions.Expect(desk.Locator("[data-testid=graph-nodes] li")).ToHaveCountAsync(2);
        await desk.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("cmdb-ci-en-US.png"), FullPage = true });

        errors.ShouldBeEmpty();
        deskErrors.ShouldBeEmpty();
    }
}
