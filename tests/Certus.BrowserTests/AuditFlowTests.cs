using System.Net;
using System.Net.Http.Json;
using Certus.Testing;
using Microsoft.Playwright;
using Shouldly;
using Xunit;

namespace Certus.BrowserTests;

public sealed class AuditFlowTests(BrowserFixture host) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_auditor_plans_an_audit_is_kept_from_their_own_area_answers_the_checklist_records_a_nonconformity_and_issues_the_report()
    {
        var build = await Builders.ForAsync(host);
        var provider = await build.ProviderIdAsync();
        var auditor = await build.UserAsync(provider, "auditor");
        var owner = await build.UserAsync(provider, "technician");
        var area = Builders.Unique("服务台 Service desk");
        (await build.Admin.PostAsJsonAsync("/api/v1/internal-audits/programmes", new { year = 2026, title = "2026 年度内审计划" })).StatusCode
            .ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.BadRequest);
        (await build.Admin.PostAsJsonAsync("/api/v1/internal-audits/areas", new { name = area, ownerId = owner.Id, memberIds = new[] { auditor.Id } }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var ownArea = Builders.Unique("配置管理 Configuration");
        var areaResponse = await build.Admin.PostAsJsonAsync("/api/v1/internal-audits/areas", new { name = ownArea, ownerId = owner.Id });
        var areaId = (await areaResponse.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        var page = await host.NewPageAsync("zh-CN");
        var errors = page.WatchErrors();

        await page.SignInAsync(auditor.Email, auditor.Password);

        // Planned with the area's owner as lead auditor, the plan is refused at that field.
        await page.GotoAsync("/audits?year=2026");
        await page.FillAsync("[data-testid=audit-title]", "配置管理过程审核");
        await page.FillAsync("[data-testid=audit-scope]", "CMDB 与配置审计");
        await page.FillAsync("[data-testid=audit-criteria]", "8.2.6, 7.5.4");
        await page.SelectOptionAsync("[data-testid=audit-areas]", new SelectOptionValue { Value = areaId });
        await page.SelectOptionAsync("[data-testid=audit-lead]", new SelectOptionValue { Value = owner.Id.ToString() });
        await page.FillAsync("[data-testid=audit-start]", "2026-11-23");
        await page.FillAsync("[data-testid=audit-end]", "2026-11-24");
        await page.SubmitAsync("[data-testid=audit-plan]");
        (await page.Locator("[data-testid=lead-error]").TextContentAsync())!.ShouldContain("不得审核自己的工作");

        await page.SelectOptionAsync("[data-testid=audit-lead]", new SelectOptionValue { Value = auditor.Id.ToString() });
        await page.SubmitAsync("[data-testid=audit-plan]");
        page.Url.ShouldMatch("/audits/[0-9a-f-]{36}$");
        (await page.Locator("[data-testid=audit-status]").TextContentAsync())!.ShouldBe("已策划");
        (await page.Locator("[data-testid=checklist]").TextContentAsync())!.ShouldContain("2018:8.2.6");

        await page.SubmitAsync("[data-testid=do-start]");
        await page.WaitForSelectorAsync("[data-testid=finding-form]");
        foreach (var (row, result) in new[] { ("item-1", "nonconforming"), ("item-2", "conforming") })
        {
            await page.SelectOptionAsync($"[data-testid={row}] select[name=result]", result);
            await page.SubmitAsync($"[data-testid={row}] button[type=submit]");
            await page.WaitForSelectorAsync($"[data-testid={row}] select[name=result] option[value={result}][selected]", new() { State = WaitForSelectorState.Attached });
        }
        await page.SelectOptionAsync("[data-testid=finding-kind]", "minor");
        await page.SelectOptionAsync("[data-testid=finding-clause]", "2018:8.2.6");
        await page.FillAsync("[data-testid=finding-statement]", "3 台服务器的 CMDB 记录与实物不符");
        await page.FillAsync("[data-testid=finding-evidence]", "配置审计 CA-000001");
        await page.SubmitAsync("[data-testid=finding-add]");
        await page.WaitForSelectorAsync("[data-testid=finding-1] [data-testid=finding-nc]");
        (await page.Locator("[data-testid=finding-1] [data-testid=finding-nc]").TextContentAsync())!.ShouldMatch("^NC-[0-9]{6}$");

        await page.FillAsync("[data-testid=audit-summary]", "配置管理基本有效，轻微不符合 1 项。");
        await page.SubmitAsync("[data-testid=do-report]");
        await page.WaitForSelectorAsync("[data-testid=move-close]");
        (await page.Locator("[data-testid=audit-status]").TextContentAsync())!.ShouldBe("已报告");
        // The finding stays open until its corrective action is found effective.
        await page.SubmitAsync("[data-testid=close-1] button");
        (await page.Locator("[data-testid=errors]").TextContentAsync())!.ShouldContain("有效性验证");

        await page.SubmitAsync("[data-testid=audit-report]");
        page.Url.ShouldEndWith("/report");
        var report = (await page.Locator("[data-testid=report]").TextContentAsync())!;
        report.ShouldContain("内部审核报告");
        report.ShouldContain("3 台服务器的 CMDB 记录与实物不符");
        errors.ShouldBeEmpty();
    }
}
