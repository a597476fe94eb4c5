using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Microsoft.Playwright;
using Shouldly;
using Xunit;

namespace Certus.BrowserTests;

public sealed class IncidentFlowTests(BrowserFixture host) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_agent_logs_assigns_and_resolves_and_the_customer_confirms_so_it_closes()
    {
        var build = await Builders.ForAsync(host);
        var provider = await build.ProviderIdAsync();
        var agent = await build.UserAsync(provider, "service-desk-agent");
        var customerOrg = await build.OrganisationAsync(name: "华东证券 East China Securities");
        var customer = await build.UserAsync(customerOrg, "customer-user");

        var desk = await host.NewPageAsync("zh-CN");
        var errors = desk.WatchErrors();
        await desk.SignInAsync(agent.Email, agent.Password);
        await desk.GotoAsync("/incidents/new");
        await desk.FillAsync("#Input_Title", "核心网络交换机故障");
        await desk.FillAsync("#Input_Description", "SW-CORE-02 端口抖动，**B 区**网络中断。");
        await desk.SelectOptionAsync("#Input_Impact", "high");
        await desk.SelectOptionAsync("#Input_Urgency", "high");
        await desk.SelectOptionAsync("#Input_OrganisationId", new SelectOptionValue { Label = "华东证券 East China Securities" });
        await desk.FillAsync("#Input_CallerName", "郑华");
        await desk.SubmitAsync("[data-testid=log-incident]");
        desk.Url.ShouldMatch("/incidents/[0-9]+$");
        await Assertions.Expect(desk.Locator("[data-testid=status]").First).ToHaveTextAsync("新建");
        (await desk.InnerHTMLAsync("[data-testid=description]")).ShouldContain("<strong>B 区</strong>");
        var number = desk.Url.Split('/').Last();

        await desk.ClickAsync("[data-testid=action-assign]");
        await desk.SelectOptionAsync("[data-testid=assignee]", new SelectOptionValue { Label = "Test " + agent.Email[..8] });
        await desk.SubmitAsync("[data-testid=submit-assign]");
        await Assertions.Expect(desk.Locator("[data-testid=status]").First).ToHaveTextAsync("已分派");

        await desk.ClickAsync("[data-testid=action-resolve]");
        await desk.SelectOptionAsync("[data-testid=resolution-code]", "hardware-replaced");
        await desk.FillAsync("[data-testid=resolution-notes]", "更换了 SW-CORE-02 的线卡。");
        await desk.SubmitAsync("[data-testid=submit-resolve]");
        await Assertions.Expect(desk.Locator("[data-testid=status]").First).ToHaveTextAsync("已解决");
        errors.ShouldBeEmpty("the incident pages reported console errors (CSP violations show here)");

        var portal = await host.NewPageAsync("en-US");
        await portal.SignInAsync(customer.Email, customer.Password);
        await portal.GotoAsync("/incidents?queue=all");
        await portal.SubmitAsync($"a[href='/incidents/{number}'] >> nth=0");
        await Assertions.Expect(portal.Locator("[data-testid=status]").First).ToHaveTextAsync("Resolved");
        (await portal.Locator("[data-testid=actions]").TextContentAsync())!.ShouldNotContain("Assign");
        await portal.ClickAsync("[data-testid=action-confirm]");
        // The caller rates the handling (optional) and confirms: the rating shows on the closed incident.
        await portal.Locator("label:has([data-testid=satisfaction-4])").ClickAsync();
        await portal.FillAsync("[data-testid=satisfaction-comment]", "Quick and clear, thank you.");
        await portal.SubmitAsync("[data-testid=submit-confirm]");

        await Assertions.Expect(portal.Locator("[data-testid=status]").First).ToHaveTextAsync("Closed");
        await Assertions.Expect(portal.Locator("[data-testid=satisfaction-given]")).ToContainTextAsync("Satisfied");
        await Assertions.Expect(portal.Locator("[data-testid=satisfaction-given]")).ToContainTextAsync("Quick and clear, thank you.");
        (await portal.Locator("[data-testid=satisfaction-given] .text-yellow").TextContentAsync()).ShouldBe("★★★★");
        (await portal.Locator("[data-testid=timeline]").TextContentAsync())!.ShouldContain("Confirm the service is restored");
        var incidents = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?q=INC-{number.PadLeft(6, '0')}");
        incidents.GetProperty("items")[0].GetProperty("closedAt").ValueKind.ShouldBe(JsonValueKind.String);
    }
}
