using System.Net.Http.Json;
using Certus.Testing;
using Microsoft.Playwright;
using Shouldly;
using Xunit;

namespace Certus.BrowserTests;

public sealed class SignInTests(BrowserFixture host) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_administrator_signs_in_sees_the_home_page_and_switches_to_english()
    {
        var page = await host.NewPageAsync("zh-CN");
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };

        await page.GotoAsync("/");
        page.Url.ShouldContain("/account/sign-in");
        (await page.Locator("h2").First.TextContentAsync()).ShouldBe("登录 Certus");
        await page.FillAsync("#Input_Email", CertusFixture.AdminEmail);
        await page.FillAsync("#Input_Password", CertusFixture.AdminPassword);
        await page.ClickAsync("[data-testid=sign-in]");

        await page.WaitForSelectorAsync("[data-testid=welcome]");
        (await page.TextContentAsync("[data-testid=welcome]")).ShouldBe("欢迎，Administrator");
        (await page.TitleAsync()).ShouldBe("首页 · Certus");

        await page.ClickAsync("button[value=en-US]");
        await page.WaitForSelectorAsync("html[lang=en-US]");
        (await page.TextContentAsync("[data-testid=welcome]")).ShouldBe("Welcome, Administrator");
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "home-en-US.png") });
        errors.ShouldBeEmpty("the browser console reported errors (CSP violations show here)");
    }

    [Fact]
    public async Task An_administrator_creates_a_customer_user_through_the_forms_and_sees_field_errors_first()
    {
        var page = await host.NewPageAsync("en-US");
        await SignInAsync(page);

        await page.GotoAsync("/admin/organisations");
        await page.FillAsync("#Input_Name", "明远电商 Mingyuan E-commerce");
        await page.ClickAsync("[data-testid=create-organisation]");
        await page.WaitForURLAsync("**/admin/organisations/*");
        (await page.TextContentAsync("h2.page-title"))!.Trim().ShouldBe("明远电商 Mingyuan E-commerce");

        await page.GotoAsync("/admin/users");
        await page.FillAsync("#Input_DisplayName", "冯雪 Feng Xue");
        await page.FillAsync("#Input_Email", "feng.xue@mingyuan.test");
        await page.FillAsync("#Input_Password", "short");
        await page.SelectOptionAsync("#Input_OrganisationId", new SelectOptionValue { Label = "明远电商 Mingyuan E-commerce" });
        await page.ClickAsync("[data-testid=create-user]");
        (await page.Locator("[data-valmsg-for='Input.Password']").TextContentAsync())!.ShouldContain("At least 10 characters.");
        (await page.Locator("[data-valmsg-for='Input.Roles']").TextContentAsync())!.ShouldContain("at least one role");

        await page.FillAsync("#Input_Password", "Customer-pass-2026");
        await page.ClickAsync("label:has-text('Customer user')");
        await page.ClickAsync("[data-testid=create-user]");
        await page.WaitForURLAsync("**/admin/users/*");
        (await page.TextContentAsync("h2.page-title"))!.Trim().ShouldBe("冯雪 Feng Xue");
        (await page.Locator("#history").TextContentAsync())!.ShouldContain("feng.xue@mingyuan.test");

        // Saving the form unchanged must not deactivate the user (checkbox and its hidden fallback).
        await page.FillAsync("#Input_Reason", "no change");
        await page.ClickAsync("[data-testid=save-user]");
        await page.WaitForSelectorAsync("[data-testid=flash]");
        (await page.IsCheckedAsync("input[type=checkbox][name='Input.IsActive']")).ShouldBeTrue();
        using var client = host.Anonymous();
        (await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "feng.xue@mingyuan.test", password = "Customer-pass-2026" }))
            .StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/account/sign-in");
        await page.FillAsync("#Input_Email", CertusFixture.AdminEmail);
        await page.FillAsync("#Input_Password", CertusFixture.AdminPassword);
        await page.ClickAsync("[data-testid=sign-in]");
        await page.WaitForSelectorAsync("[data-testid=welcome]");
    }
}
