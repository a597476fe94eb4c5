using System.Security.Claims;
using Certus.Changes.Domain;
using Certus.Changes.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Certus.Releases.Domain;
using Certus.Releases.Features;

namespace Certus.Web.Demo;

/// <summary>
/// The Xinghe IDC's release management for its colocation service: the release policy, a release of the edge firewall
/// that went out, updated the CMDB and was closed with its notes, and the next one under test, waiting for the change
/// manager's acceptance. Everything is done as the change manager, 陈静 Chen Jing, who authorises releases.
/// </summary>
internal static class DemoReleases
{
    public static async Task LoadAsync(IServiceProvider sp, Guid providerId, CancellationToken ct)
    {
        var manager = (await sp.GetRequiredService<IDirectory>().StaffAsync([Roles.ChangeManager], ct))
            .First(u => u.Email.StartsWith("chen.jing@", StringComparison.Ordinal));
        await using var scope = sp.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var accessor = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
        var previous = accessor.HttpContext;
        accessor.HttpContext = new DefaultHttpContext
        {
            RequestServices = scope.ServiceProvider,
            User = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, manager.Id.ToString()), new Claim(IdentityClaims.OrganisationId, providerId.ToString()),
                new Claim(IdentityClaims.OrganisationKind, OrganisationKinds.Provider), new Claim(IdentityClaims.DisplayName, manager.DisplayName),
                new Claim(ClaimTypes.Role, Roles.ChangeManager),
            ], "demo")),
        };
        try
        {
            await ReleasesAsync(scope.ServiceProvider, providerId, ct);
        }
        finally
        {
            accessor.HttpContext = previous;
        }
    }

    private static async Task ReleasesAsync(IServiceProvider sp, Guid providerId, CancellationToken ct)
    {
        Must(await sp.GetRequiredService<ReleasePolicies>().CreateAsync(new ReleasePolicies.Request(
            "COLO", "托管服务发布策略 Colocation release policy",
            """
            - 重大发布须经变更咨询委员会评审，在春节等封网期之外的周日维护窗口实施。Major releases go to the CAB and out in a Sunday maintenance window, never in a freeze.
            - 每个发布至少有一次集成测试和一次验收测试记录，验收依据发布计划中的验收标准。Every release has at least an integration and an acceptance test record, accepted against its criteria.
            - 同一配置项的变更尽量合并到同一发布。Changes to the same CI are grouped into one release where possible.
            """,
            [
                new ReleasePolicies.TypeInput("major", "每季度 quarterly"),
                new ReleasePolicies.TypeInput("minor", "每月 monthly"),
                new ReleasePolicies.TypeInput("emergency", "按需 as needed"),
            ],
            "{service}-{yyyy}.{seq}", Roles.ChangeManager,
            "变更经理计划并验收发布；技术支持部构建、测试和部署；服务台和客户经理负责沟通。The change manager plans and accepts; Technical Support builds, tests and deploys; the desk and account managers communicate."), ct));

        var requests = sp.GetRequiredService<RequestChange>();
        var move = sp.GetRequiredService<MoveChange>();
        var template = (await sp.GetRequiredService<ChangeSettings>().TemplatesAsync(true, ct)).First(t => t.Name.StartsWith("Open a firewall port", StringComparison.Ordinal));
        var portal = Must(await requests.CreateAsync(new RequestChange.Request(
            Type: "standard", TemplateId: template.Id, Title: "为客户门户开放 8443 端口 Open port 8443 for the customer portal",
            Reason: "客户门户改用 8443 端口对外提供服务。The customer portal moves to port 8443.", OrganisationId: providerId, Cis: ["FW-EDGE-01"]), ct: ct));
        Must(await move.HandleAsync(portal.Id, ChangeTrigger.Submit, new MoveChange.Request(), ct: ct));

        var plan = sp.GetRequiredService<PlanRelease>();
        var releases = sp.GetRequiredService<MoveRelease>();
        var now = DateTimeOffset.UtcNow;
        var done = Must(await plan.CreateAsync(new PlanRelease.CreateRequest(
            "COLO", "minor", "边界防火墙策略与固件 5.5R9P2 Edge firewall policy and firmware 5.5R9P2",
            "开放客户门户 8443 端口，并将 FW-EDGE-01 升级到 5.5R9P2。Opens 8443 for the customer portal and upgrades FW-EDGE-01 to 5.5R9P2.",
            now.AddDays(-6).AddHours(-2), now.AddDays(-6),
            "防火墙固件 5.5R9P2、策略变更单、操作手册 Firmware 5.5R9P2, policy sheet, runbook",
            "上海 A-01-01：02:00 切换至备机，升级主机，03:00 切回。Shanghai A-01-01: fail over at 02:00, upgrade, fail back at 03:00.",
            "回装 5.5R9P1 并恢复策略备份。Reinstall 5.5R9P1 and restore the policy backup.",
            "门户经 8443 可访问；交易网关会话无中断。Portal reachable on 8443; no trading gateway session lost.",
            "提前两天邮件通知华东证券与明远电商。Mail East China Securities and Mingyuan two days ahead.",
            "切换期间可能出现秒级丢包。Possible packet loss for seconds during the switchover.", "",
            """
            ## 5.5R9P2

            - 客户门户现经 **8443** 端口访问。The customer portal is now served on port **8443**.
            - 修复厂商公告 SA-2026-031 所述会话表溢出问题。Fixes the session table overflow of vendor advisory SA-2026-031.
            """,
            [portal.Number], [new PlanRelease.ItemInput("FW-EDGE-01", "5.5R9P2")]), ct: ct));
        Must(await releases.HandleAsync(done.Id, ReleaseTrigger.Build, new MoveRelease.Request(), ct: ct));
        Must(await releases.HandleAsync(done.Id, ReleaseTrigger.Test, new MoveRelease.Request(
            Kind: "integration", Environment: "实验室同型号设备 lab twin", Result: "passed", Summary: "策略与固件在实验室验证通过。Policy and firmware verified on the lab twin."), ct: ct));
        Must(await releases.HandleAsync(done.Id, ReleaseTrigger.Test, new MoveRelease.Request(
            Kind: "acceptance", Environment: "生产备机 standby unit", Result: "passed", Summary: "门户 8443 访问正常。Portal answers on 8443."), ct: ct));
        Must(await releases.HandleAsync(done.Id, ReleaseTrigger.Accept, new MoveRelease.Request("满足验收标准 Criteria met"), ct: ct));
        Must(await releases.HandleAsync(done.Id, ReleaseTrigger.Deploy, new MoveRelease.Request(), ct: ct));
        Must(await releases.HandleAsync(done.Id, ReleaseTrigger.Complete, new MoveRelease.Request(), ct: ct));
        Must(await sp.GetRequiredService<PublishReleaseNotes>().HandleAsync(done.Id, null, ct));
        Must(await releases.HandleAsync(done.Id, ReleaseTrigger.Close, new MoveRelease.Request(), ct: ct));

        var port443 = await sp.GetRequiredService<Changes.Contracts.IChangeRecords>().AuthorisedAsync("port 443", 5, ct) is [var found, ..] ? found : null;
        var next = Must(await plan.CreateAsync(new PlanRelease.CreateRequest(
            "COLO", "minor", "华东证券行情网关 HTTPS 接入 HTTPS for the East China Securities quote gateway",
            "为华东证券新行情网关开放 443 端口并启用 TLS 1.3 策略。Opens 443 for the new quote gateway and enables the TLS 1.3 profile.",
            now.AddDays(8).AddHours(3), now.AddDays(8).AddHours(4),
            "策略变更单 Policy sheet", "上海 A-01-01：03:00-04:00 变更防火墙策略。Shanghai A-01-01: policy change 03:00-04:00.",
            "删除新增策略并恢复 TLS 配置。Remove the new rule and restore the TLS profile.",
            "外部探测 443 握手成功且行情推送正常。External probe completes the 443 handshake; quotes flow.",
            "客户经理通知华东证券实施时间。The account manager tells East China Securities when.", "TLS 1.3 与老客户端不兼容。TLS 1.3 may lock out old clients.", "",
            null, port443 is null ? [] : [port443.Number], [new PlanRelease.ItemInput("FW-EDGE-01", "5.5R9P2-tls13")]), ct: ct));
        if (port443 is not null)
        {
            Must(await releases.HandleAsync(next.Id, ReleaseTrigger.Build, new MoveRelease.Request(), ct: ct));
            Must(await releases.HandleAsync(next.Id, ReleaseTrigger.Test, new MoveRelease.Request(
                Kind: "integration", Environment: "实验室同型号设备 lab twin", Result: "passed", Summary: "443 策略与 TLS 1.3 配置验证通过。Rule and TLS 1.3 profile verified."), ct: ct));
        }
    }

    private static T Must<T>(Outcome<T> outcome) =>
        outcome.Succeeded ? outcome.Value! : throw new InvalidOperationException($"Demo release: {outcome.Failure!.Message} {string.Join("; ", outcome.Failure.Fields?.SelectMany(f => f.Value) ?? [])}");
}
