using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Microsoft.Playwright;
using Shouldly;
using Xunit;

namespace Certus.BrowserTests;

public sealed class ChangeFlowTests(BrowserFixture host) : IClassFixture<BrowserFixture>
{
    private static string Screenshot(string name) => Path.Combine(AppContext.BaseDirectory, "screenshots", name);

    private static Task SignInAsync(IPage page, Builders.TestUser user) => page.SignInAsync(user.Email, user.Password);

    /// <summary>Opens a move's form on the change page, fills it and waits for the change to reach <paramref name="state"/>.</summary>
    private static async Task MoveAsync(IPage page, string action, string state, Func<Task>? fill = null)
    {
        await page.ClickAsync($"[data-testid=action-{action}]");
        await page.WaitForSelectorAsync($"#move-{action}.show");
        if (fill is not null)
        {
            await fill();
        }
        await page.SubmitAsync($"[data-testid=submit-{action}]");
        await Assertions.Expect(page.Locator("[data-testid=state]")).ToHaveTextAsync(state);
    }

    [Fact]
    public async Task A_normal_change_goes_from_the_request_form_through_the_cab_to_its_review()
    {
        var build = await Builders.ForAsync(host);
        var provider = await build.ProviderIdAsync();
        var manager = await build.UserAsync(provider, "change-manager");
        var member = await build.UserAsync(provider, "cab-member");
        var boards = await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/change-settings/boards");
        var cab = boards.EnumerateArray().Single(b => b.GetProperty("key").GetString() == "cab");
        (await build.Admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/change-settings/boards/{cab.GetProperty("id").GetGuid()}",
            new { approvalMode = "any", quorum = 0, memberRole = (string?)null, memberIds = new[] { member.Id } }, cab.GetProperty("version").GetInt32()))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var ci = await build.Admin.PostAsJsonAsync("/api/v1/cis", new { name = $"sw-core-{Guid.NewGuid():N}"[..16], classId = "network-device", status = "received" });
        ci.StatusCode.ShouldBe(HttpStatusCode.Created);
        var identifier = (await ci.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("identifier").GetString()!;

        var page = await host.NewPageAsync("zh-CN");
        var errors = page.WatchErrors();
        await SignInAsync(page, manager);

        // The request, through the form: type, CI, risk questionnaire and plans.
        await page.GotoAsync("/changes/new");
        await page.ClickAsync("[data-testid=type-normal]");
        await page.FillAsync("[data-testid=change-title]", "核心交换机固件升级 Core switch firmware");
        await page.FillAsync("[data-testid=change-reason]", "厂商安全公告 CVE-2026-1234");
        await page.FillAsync("[data-testid=change-ci-0]", identifier);
        foreach (var (question, answer) in new[] { ("services", "one"), ("customers", "no"), ("experience", "often"), ("backout", "easy"), ("tested", "yes") })
        {
            await page.CheckAsync($"[data-testid=risk-{question}-{answer}]");
        }
        await page.FillAsync("[data-testid=change-implementation]", "在维护窗口内逐台升级");
        await page.FillAsync("[data-testid=change-backout]", "恢复上一版本镜像");
        await page.FillAsync("[data-testid=change-test]", "实验室环境升级通过");
        await page.SubmitAsync("[data-testid=save-change]");
        await Assertions.Expect(page.Locator("[data-testid=state]")).ToHaveTextAsync("草稿");
        var url = page.Url;

        await MoveAsync(page, "submit", "已提交");
        await MoveAsync(page, "assess", "已评估");
        (await page.Locator("[data-testid=vote]").TextContentAsync()).ShouldBe("待审批");

        // The CAB member decides on the change page with a reason.
        var board = await host.NewPageAsync("zh-CN");
        var boardErrors = board.WatchErrors();
        await SignInAsync(board, member);
        await board.GotoAsync(url);
        await board.FillAsync("[data-testid=vote-reason]", "实验室验证通过，同意实施");
        await board.SubmitAsync("[data-testid=vote-approve]");
        await Assertions.Expect(board.Locator("[data-testid=state]")).ToHaveTextAsync("已授权");
        boardErrors.ShouldBeEmpty();

        await page.ReloadAsync();
        await MoveAsync(page, "schedule", "已排程", async () =>
        {
            await page.FillAsync("[data-testid=schedule-start]", "2031-05-10T22:00");
            await page.FillAsync("[data-testid=schedule-end]", "2031-05-11T00:30");
            await page.ClickAsync("[data-testid=check-conflicts]");
            await page.WaitForSelectorAsync("[data-testid=conflicts]");
            await page.CheckAsync("[data-testid=schedule-override]");
            await page.FillAsync("[data-testid=reason-schedule]", "按维护计划执行");
        });
        (await page.Locator("[data-testid=planned]").TextContentAsync())!.ShouldContain("2031-05-10 22:00");
        await MoveAsync(page, "implement", "实施中");
        await MoveAsync(page, "complete", "已实施");
        await MoveAsync(page, "review", "已评审", async () =>
        {
            await page.SelectOptionAsync("[data-testid=review-result]", "successful");
            await page.FillAsync("[data-testid=review-lessons]", "提前备份配置，升级顺利");
        });
        (await page.Locator("[data-testid=review]").TextContentAsync())!.ShouldContain("提前备份配置");
        (await page.Locator("#history").TextContentAsync())!.ShouldContain("实验室验证通过");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("change-reviewed.png"), FullPage = true });
        errors.ShouldBeEmpty();
    }
}
