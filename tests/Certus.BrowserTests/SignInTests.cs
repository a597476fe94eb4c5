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
        var errors = page.WatchErrors();

        await page.GotoAsync("/");
        page.Url.ShouldContain("/account/sign-in");
        (await page.Locator("h2").First.TextContentAsync()).ShouldBe("登录 Certus");
        await page.FillAsync("#Input_Email", CertusFixture.AdminEmail);
        await page.FillAsync("#Input_Password", CertusFixture.AdminPassword);
        await page.SubmitAsync("[data-testid=sign-in]");

        await page.WaitForSelectorAsync("[data-testid=welcome]");
        (await page.TextContentAsync("[data-testid=welcome]")).ShouldBe("欢迎，Administrator");
        (await page.TitleAsync()).ShouldBe("首页 · Certus");

        await page.SubmitAsync("button[value=en-US]");
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
        await page.SignInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword);

        await page.GotoAsync("/admin/organisations");
        await page.FillAsync("#Input_Name", "明远电商 Mingyuan E-commerce");
        await page.SubmitAsync("[data-testid=create-organisation]");
        page.Url.ShouldMatch("/admin/organisations/[0-9a-f-]{36}$");
        (await page.TextContentAsync("h2.page-title"))!.Trim().ShouldBe("明远电商 Mingyuan E-commerce");

        await page.GotoAsync("/admin/users");
        await page.FillAsync("#Input_DisplayName", "冯雪 Feng Xue");
        await page.FillAsync("#Input_Email", "feng.xue@mingyuan.test");
        await page.FillAsync("#Input_Password", "short");
        await page.SelectOptionAsync("#Input_OrganisationId", new SelectOptionValue { Label = "明远电商 Mingyuan E-commerce" });
        await page.SubmitAsync("[data-testid=create-user]");
        (await page.Locator("[data-valmsg-for='Input.Password']").TextContentAsync())!.ShouldContain("At least 10 characters.");
        (await page.Locator("[data-valmsg-for='Input.Roles']").TextContentAsync())!.ShouldContain("at least one role");

        await page.FillAsync("#Input_Password", "Customer-pass-2026");
        await page.ClickAsync("label:has-text('Customer user')");
        await page.SubmitAsync("[data-testid=create-user]");
        page.Url.ShouldMatch("/admin/users/[0-9a-f-]{36}$", await page.ShownErrorsAsync());
        (await page.TextContentAsync("h2.page-title"))!.Trim().ShouldBe("冯雪 Feng Xue");
        (await page.Locator("#history").TextContentAsync())!.ShouldContain("feng.xue@mingyuan.test");

        // Saving the form unchanged must not deactivate the user (checkbox and its hidden fallback).
        await page.FillAsync("#Input_Reason", "no change");
        await page.SubmitAsync("[data-testid=save-user]");
        await Assertions.Expect(page.Locator("[data-testid=flash]")).ToBeVisibleAsync();
        (await page.IsCheckedAsync("input[type=checkbox][name='Input.IsActive']")).ShouldBeTrue();
        using var client = host.Anonymous();
        (await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "feng.xue@mingyuan.test", password = "Customer-pass-2026" }))
            .StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }
}
