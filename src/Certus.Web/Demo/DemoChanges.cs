using System.Security.Claims;
using Certus.Changes.Domain;
using Certus.Changes.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;

namespace Certus.Web.Demo;

/// <summary>
/// The Xinghe IDC's changes: the authorised change under which its CMDB was first loaded, and a change in each stage
/// of its life: one awaiting the CAB, a standard change scheduled in the maintenance window, an emergency change
/// awaiting its retrospective review, and a draft change to a supplier contract. Board members vote as themselves.
/// </summary>
internal static class DemoChanges
{
    private static readonly Dictionary<string, string> LowRisk = new(StringComparer.Ordinal)
    {
        ["services"] = "several", ["customers"] = "no", ["experience"] = "once", ["backout"] = "easy", ["tested"] = "yes",
    };

    /// <summary>Raises and authorises the initial CMDB load; returns its number for the CMDB's records.</summary>
    public static async Task<(Guid Id, string Number)> InitialAsync(IServiceProvider sp, Guid providerId, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var change = Must(await sp.GetRequiredService<RequestChange>().CreateAsync(new RequestChange.Request(
            Type: "normal", Title: "配置管理数据库初始化 Initial CMDB load",
            Reason: "建立配置管理数据库，登记在用配置项及其关系（手册 §8.1）。Register the CIs in use and their relationships (manual §8.1).",
            OrganisationId: providerId, Services: ["COLO", "DR-LINK", "CDN"],
            ImplementationPlan: "1. 按配置项分类定义表盘点机房、网络、主机与应用。\n2. 按命名规范登记配置项。\n3. 登记依赖关系并建立 2026 年基线。",
            BackoutPlan: "删除本次登记的配置项与关系（登记前 CMDB 为空）。", TestPlan: "抽查 10% 配置项与现场一致；核对影响分析结果。",
            CustomerImpact: "无：仅登记记录，不改动生产环境。No effect on customers: records only.", RiskAnswers: LowRisk,
            PlannedStart: now.AddDays(-40), PlannedEnd: now.AddDays(-38)), ct: ct));
        var move = sp.GetRequiredService<MoveChange>();
        Must(await move.HandleAsync(change.Id, ChangeTrigger.Submit, new MoveChange.Request(), ct: ct));
        Must(await move.HandleAsync(change.Id, ChangeTrigger.Assess, new MoveChange.Request(), ct: ct));
        await VoteAsync(sp, providerId, "yang.lei", Roles.CabMember, change.Id, "盘点方案完整，可以实施。The plan is complete; go ahead.", ct);
        Must(await move.HandleAsync(change.Id, ChangeTrigger.Schedule, new MoveChange.Request(), ct: ct));
        Must(await move.HandleAsync(change.Id, ChangeTrigger.Implement, new MoveChange.Request(), ct: ct));
        return (change.Id, change.Number);
    }

    /// <summary>Completes and reviews the initial load, then raises the other demo changes and the schedule's windows.</summary>
    public static async Task LoadAsync(IServiceProvider sp, Guid providerId, Guid initialId, TimeProvider clock, CancellationToken ct)
    {
        var move = sp.GetRequiredService<MoveChange>();
        var requests = sp.GetRequiredService<RequestChange>();
        var settings = sp.GetRequiredService<ChangeSettings>();
        Must(await move.HandleAsync(initialId, ChangeTrigger.Complete, new MoveChange.Request(), ct: ct));
        Must(await move.HandleAsync(initialId, ChangeTrigger.Review, new MoveChange.Request(Result: "successful",
            Lessons: "盘点前应先冻结资产台账，避免重复登记。Freeze the asset register before the count to avoid duplicates."), ct: ct));
        Must(await move.HandleAsync(initialId, ChangeTrigger.Close, new MoveChange.Request(), ct: ct));

        var china = TimeSpan.FromHours(8);
        var now = clock.GetUtcNow().ToOffset(china);
        var sunday = new DateTimeOffset(now.Date, china).AddDays(((int)DayOfWeek.Sunday - (int)now.DayOfWeek + 7) % 7 + 7);
        for (var week = 0; week < 4; week++)
        {
            var start = sunday.AddDays(7 * week).AddHours(2);
            Must(await settings.SaveWindowAsync(null, null, new ChangeSettings.WindowRequest("maintenance", $"周日维护窗口 Sunday maintenance {start:MM-dd}",
                start, start.AddHours(4), null, "对客户公告的例行维护窗口。Maintenance window announced to customers."), ct));
        }
        Must(await settings.SaveWindowAsync(null, null, new ChangeSettings.WindowRequest("freeze", "春节封网 Spring Festival freeze",
            new DateTimeOffset(2027, 2, 4, 0, 0, 0, china), new DateTimeOffset(2027, 2, 13, 0, 0, 0, china), null,
            "春节期间除紧急变更外不实施变更。Only emergency changes during the Spring Festival."), ct));

        var organisations = await sp.GetRequiredService<IDirectory>().OrganisationsAsync(ct);
        var securities = organisations.First(o => o.Name.Contains("East China", StringComparison.Ordinal)).Id;

        // Awaiting the CAB: a firmware upgrade of a core switch, with the CMDB update it declares.
        var firmware = Must(await requests.CreateAsync(new RequestChange.Request(
            Type: "normal", Title: "SW-CORE-01 固件升级 Core switch firmware upgrade",
            Reason: "厂商公告 CE12800 存在 BGP 会话复位缺陷，需升级至 V200R022C10SPC500。Vendor advisory: BGP session reset defect.",
            OrganisationId: providerId, Cis: ["SW-CORE-01"],
            ImplementationPlan: "1. 切换流量至 SW-CORE-02。\n2. 升级 SW-CORE-01 并重启。\n3. 验证 BGP/OSPF 邻居后切回。",
            BackoutPlan: "回退至原版本 V200R021C00 并切回流量。", TestPlan: "实验室同型号设备已完成升级与 72 小时观察。",
            CustomerImpact: "切换期间可能出现秒级丢包。Possible packet loss for seconds during switchover.",
            RiskAnswers: new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["services"] = "several", ["customers"] = "degraded", ["experience"] = "once", ["backout"] = "hours", ["tested"] = "yes",
            },
            PlannedStart: sunday.AddHours(2), PlannedEnd: sunday.AddHours(5),
            CmdbUpdates: [new RequestChange.UpdateRequest("SW-CORE-01", "V200R022C10SPC500", null, null)]), ct: ct));
        Must(await move.HandleAsync(firmware.Id, ChangeTrigger.Submit, new MoveChange.Request(), ct: ct));
        Must(await move.HandleAsync(firmware.Id, ChangeTrigger.Assess, new MoveChange.Request(), ct: ct));

        // A standard change for a customer, raised through sales and scheduled in the maintenance window.
        var template = (await settings.TemplatesAsync(true, ct)).First(t => t.Name.StartsWith("Open a firewall port", StringComparison.Ordinal));
        var port = Must(await requests.CreateAsync(new RequestChange.Request(
            Type: "standard", TemplateId: template.Id, Title: "为华东证券开放 443 端口 Open port 443 for East China Securities",
            Reason: "客户经理转来客户需求：新行情网关对外提供 HTTPS。Customer request via sales: the new quote gateway serves HTTPS.",
            OrganisationId: securities, Cis: ["FW-EDGE-01"]), ct: ct));
        Must(await move.HandleAsync(port.Id, ChangeTrigger.Submit, new MoveChange.Request(), ct: ct));
        Must(await move.HandleAsync(port.Id, ChangeTrigger.Schedule, new MoveChange.Request(
            PlannedStart: sunday.AddDays(7).AddHours(3), PlannedEnd: sunday.AddDays(7).AddHours(4)), ct: ct));

        // An emergency change carried out last night, still owing its retrospective review.
        var psu = Must(await requests.CreateAsync(new RequestChange.Request(
            Type: "emergency", Title: "更换 db01 故障电源 Replace the failed power supply of db01",
            Reason: "db01 电源模块 PSU2 告警失效，单电源运行，存在宕机风险。PSU2 failed; db01 runs on one supply.",
            OrganisationId: providerId, Cis: ["db01"],
            ImplementationPlan: "热插拔更换 PSU2，确认双路供电恢复。", BackoutPlan: "重新插回原电源模块，联系厂商二线。",
            RiskAnswers: LowRisk), ct: ct));
        Must(await move.HandleAsync(psu.Id, ChangeTrigger.Submit, new MoveChange.Request(), ct: ct));
        await VoteAsync(sp, providerId, "chen.jing", Roles.ChangeManager, psu.Id, "单电源运行风险高，立即更换。Running on one supply is too risky: replace now.", ct);
        Must(await move.HandleAsync(psu.Id, ChangeTrigger.Implement, new MoveChange.Request(), ct: ct));
        Must(await move.HandleAsync(psu.Id, ChangeTrigger.Complete, new MoveChange.Request(), ct: ct));

        // A draft change to a supplier contract, with its cost and its effect on customer SLAs (manual §5.4.3, §6.3.5).
        Must(await requests.CreateAsync(new RequestChange.Request(
            Type: "normal", Title: "CDN 带宽扩容至 40 Gbps Expand CDN bandwidth to 40 Gbps",
            Reason: "明远电商大促期间峰值带宽达 92%。Mingyuan's peak reached 92% of the contracted bandwidth.",
            OrganisationId: providerId, Services: ["CDN"], CostEstimate: 120_000m, CostCurrency: "CNY",
            SupplierContract: "中国电信 CDN 带宽合同 2026-CT-017", SlaImpact: "扩容后可用性目标不变（99.95%），响应时间目标不变。SLA targets unchanged.",
            ImplementationPlan: "与运营商签订补充协议，分两批扩容。", BackoutPlan: "补充协议约定 30 天内可退回原带宽。"), ct: ct));
    }

    private static async Task VoteAsync(IServiceProvider sp, Guid providerId, string email, string role, Guid changeId, string reason, CancellationToken ct)
    {
        var user = (await sp.GetRequiredService<IDirectory>().StaffAsync([role], ct)).First(u => u.Email.StartsWith(email + "@", StringComparison.Ordinal));
        await using var scope = sp.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var accessor = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
        var previous = accessor.HttpContext;
        accessor.HttpContext = new DefaultHttpContext
        {
            RequestServices = scope.ServiceProvider,
            User = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()), new Claim(IdentityClaims.OrganisationId, providerId.ToString()),
                new Claim(IdentityClaims.OrganisationKind, OrganisationKinds.Provider), new Claim(IdentityClaims.DisplayName, user.DisplayName),
                new Claim(ClaimTypes.Role, role),
            ], "demo")),
        };
        try
        {
            Must(await scope.ServiceProvider.GetRequiredService<DecideChange>().HandleAsync(changeId, true, new DecideChange.Request(reason), ct: ct));
        }
        finally
        {
            accessor.HttpContext = previous;
        }
    }

    private static T Must<T>(Outcome<T> outcome) =>
        outcome.Succeeded ? outcome.Value! : throw new InvalidOperationException($"Demo change: {outcome.Failure!.Message} {string.Join("; ", outcome.Failure.Fields?.SelectMany(f => f.Value) ?? [])}");
}
