using Certus.Incidents.Contracts;
using System.Security.Claims;
using Certus.Data;
using Certus.Identity.Contracts;
using Certus.Incidents.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Certus.Problems.Domain;
using Certus.Problems.Features;
using Dapper;

namespace Certus.Web.Demo;

/// <summary>
/// The Xinghe IDC's problem management, run by the problem manager 刘洋 Liu Yang: the hall A power failure (the demo's
/// major incident) under investigation; the flapping core switch, a known error with its workaround and the change raised
/// to remove the cause; the expired VPN certificate, resolved and closed after verification; and two more incidents on
/// db01, so that the trend page shows a server with repeated incidents and no problem yet.
/// </summary>
internal static class DemoProblems
{
    public static async Task LoadAsync(IServiceProvider sp, Guid providerId, CancellationToken ct)
    {
        await MoreIncidentsAsync(sp, providerId, ct);
        var manager = (await sp.GetRequiredService<IDirectory>().StaffAsync([Roles.ProblemManager], ct))
            .First(u => u.Email.StartsWith("liu.yang@", StringComparison.Ordinal));
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
                new Claim(ClaimTypes.Role, Roles.ProblemManager),
            ], "demo")),
        };
        try
        {
            await ProblemsAsync(scope.ServiceProvider, ct);
        }
        finally
        {
            accessor.HttpContext = previous;
        }
    }

    private static async Task ProblemsAsync(IServiceProvider sp, CancellationToken ct)
    {
        var raise = sp.GetRequiredService<RaiseProblem>();
        var move = sp.GetRequiredService<MoveProblem>();
        var links = sp.GetRequiredService<ProblemLinks>();
        var database = sp.GetRequiredService<Database>();
        async Task<string> Incident(string title)
        {
            await using var connection = await database.OpenAsync(ct);
            var number = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT number FROM inc_incidents WHERE title LIKE @title ORDER BY number LIMIT 1", new { title = $"%{title}%" }, cancellationToken: ct));
            return new IncidentNumber(number).ToString();
        }

        // The major incident of the demo: root cause analysis under way.
        var power = Must(await raise.CreateAsync(new RaiseProblem.Request(
            Title: "A 区 UPS 输出异常导致机柜断电 UPS output fault cut power to racks in hall A",
            Description: "重大事件中 UPS-A2 输出异常，A 区 14-18 号机柜断电约 40 分钟。需查明 UPS 输出异常及旁路未自动切换的原因。\n\n"
                + "During the major incident UPS-A2's output failed and racks 14-18 in hall A lost power for about 40 minutes. Why did the output fail, and why did the static bypass not take over?",
            Symptoms: "UPS 输出告警，机柜 PDU 失电 UPS output alarm, rack PDUs without power",
            Service: "COLO", Priority: 1, Category: "facilities",
            SourceKind: "major-incident", SourceRef: await Incident("UPS alarm in hall A"),
            Incidents: [await Incident("Trading gateway unreachable")]), ct: ct));
        Must(await move.HandleAsync(power.Id, ProblemTrigger.Investigate, new MoveProblem.Request(
            Reason: "厂商工单 4711 已开，调取 UPS 事件日志。Vendor case 4711 opened; UPS event log requested."), ct: ct));

        // A known error: the workaround is with the service desk, the change that removes the cause is on its way.
        var flapping = Must(await raise.CreateAsync(new RaiseProblem.Request(
            Title: "SW-CORE-02 光模块老化导致端口抖动 Ageing optics make ports on SW-CORE-02 flap",
            Description: "B 区机柜网络中断由 SW-CORE-02 上行端口反复 up/down 引起。The hall B outage came from uplink ports on SW-CORE-02 going up and down.",
            Symptoms: "B 区部分机柜网络时断时续，交换机日志 “port flapping” / Intermittent network loss in hall B racks, switch log shows port flapping",
            Service: "COLO", Cis: ["SW-CORE-02"], Priority: 2, Category: "network",
            SourceKind: "incident", SourceRef: await Incident("Core switch down")), ct: ct));
        Must(await move.HandleAsync(flapping.Id, ProblemTrigger.Investigate, new MoveProblem.Request(), ct: ct));
        Must(await move.HandleAsync(flapping.Id, ProblemTrigger.KnownError, new MoveProblem.Request(
            RootCause: "端口 1/0/12 与 1/0/14 的 10G SFP+ 光模块接收光功率低于 -14 dBm，已超出寿命（2019 年批次）。\n"
                + "The 10G SFP+ optics on ports 1/0/12 and 1/0/14 receive below -14 dBm; they are past their service life (2019 batch).",
            Workaround: "1. 关闭抖动端口：`interface 10GE1/0/12` → `shutdown`。\n2. 确认流量已切换到 SW-CORE-01 的上行链路。\n3. 通知客户网络已恢复。\n\n"
                + "Shut the flapping port, check that traffic moved to SW-CORE-01's uplink, tell the customer service is back.",
            Reason: "光功率测试结果确认根因。Optical power readings confirm the cause."), ct: ct));
        Must(await links.ChangeAsync(flapping.Id, new ProblemLinks.ChangeRequest(
            Type: "normal", Title: "更换 SW-CORE-02 老化光模块 Replace the ageing optics on SW-CORE-02",
            Reason: "消除问题的根本原因：2019 年批次光模块老化。Removes the cause of the flapping: ageing 2019-batch optics.",
            Description: "在周日维护窗口更换 1/0/12、1/0/14 光模块。Replace the optics of 1/0/12 and 1/0/14 in the Sunday window."), ct));

        // Resolved without a change (monitoring configuration) and closed after a quiet month.
        var certificate = Must(await raise.CreateAsync(new RaiseProblem.Request(
            Title: "IPsec 证书过期前无预警 IPsec certificates expire without warning",
            Description: "灾备 VPN 隧道因证书过期中断。The DR VPN tunnel went down because its certificate expired.",
            Service: "DR-LINK", Priority: 3, Category: "process", SourceKind: "incident", SourceRef: await Incident("VPN tunnel down")), ct: ct));
        Must(await move.HandleAsync(certificate.Id, ProblemTrigger.Investigate, new MoveProblem.Request(), ct: ct));
        Must(await move.HandleAsync(certificate.Id, ProblemTrigger.KnownError, new MoveProblem.Request(
            RootCause: "证书有效期不在监控范围内，续签依赖人工记忆。Certificate validity was not monitored; renewal relied on memory.",
            Workaround: "隧道中断时检查证书有效期，过期则手工续签。When the tunnel drops, check the certificate's validity and renew it by hand."), ct: ct));
        Must(await move.HandleAsync(certificate.Id, ProblemTrigger.Resolve, new MoveProblem.Request(
            Resolution: "监控系统新增证书到期检查，到期前 30 天告警并生成服务台工单。Monitoring now checks certificate expiry and raises a ticket 30 days ahead."), ct: ct));
        Must(await move.HandleAsync(certificate.Id, ProblemTrigger.Close, new MoveProblem.Request(
            ClosureNote: "告警已对两张即将到期的证书生效，此后无同类事件。The alert fired for two certificates due to expire; no incident of the kind since."), ct: ct));
    }

    /// <summary>Two more incidents on db01, which with "Disk full on db01" make a trend no problem explains yet.</summary>
    private static async Task MoreIncidentsAsync(IServiceProvider sp, Guid providerId, CancellationToken ct)
    {
        var organisations = await sp.GetRequiredService<IDirectory>().OrganisationsAsync(ct);
        var shop = organisations.First(o => o.Name.Contains("Mingyuan", StringComparison.Ordinal)).Id;
        var log = sp.GetRequiredService<LogIncident>();
        foreach (var (title, description) in new[]
        {
            ("db01 磁盘 I/O 延迟高 High disk I/O latency on db01", "商城库查询超时，db01 磁盘 await 超过 200 ms。Shop database queries time out; disk await on db01 above 200 ms."),
            ("db01 夜间备份失败 Nightly backup of db01 failed", "备份任务报 “No space left on device”。The backup job reports No space left on device."),
        })
        {
            Must(await log.HandleAsync(new LogIncident.Request(title, description, "monitoring", shop, null, "监控系统 Monitoring", null, null, null, "db01",
                "medium", "medium", null, null, false), ct: ct));
        }
    }

    private static T Must<T>(Outcome<T> outcome) =>
        outcome.Succeeded ? outcome.Value! : throw new InvalidOperationException($"Demo problem: {outcome.Failure!.Message} {string.Join("; ", outcome.Failure.Fields?.SelectMany(f => f.Value) ?? [])}");
}
