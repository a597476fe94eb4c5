using Certus.Data;
using Certus.Identity.Contracts;
using Certus.Identity.Features;
using Certus.Incidents.Features;
using Certus.Kernel.Security;
using Certus.Kernel.Localization;
using Dapper;

namespace Certus.Web.Demo;

/// <summary>
/// A fictional IDC operator modelled on the company in the seed manual (003): its departments, a user for
/// every role, and two customer organisations with their users. Loading twice changes nothing.
/// </summary>
public static class DemoData
{
    public const string Password = "Certus-demo-2026";
    public const string ProviderName = "星河云数据科技有限公司 Xinghe Cloud Data";
    private const string Domain = "xinghe-idc.example";

    private static readonly (string Name, string Description)[] Departments =
    [
        ("服务台 Service Desk", "7×24 值守，受理事件与服务请求 / 24×7 duty desk for incidents and requests"),
        ("客户服务部 Customer Service", "服务级别、业务关系与服务报告 / service levels, business relationship, reporting"),
        ("技术支持部 Technical Support", "二线支持，网络、主机、存储 / second-line support for network, hosts, storage"),
        ("资源部 Resources", "机房、带宽与运营商资源 / data-centre space, bandwidth and carriers"),
        ("商务部 Procurement", "供应商与采购 / suppliers and purchasing"),
        ("销售部 Sales", "客户合同与变更需求 / customer contracts and change requests"),
        ("财务部 Finance", "IT 服务预算与核算 / IT service budgeting and accounting"),
        ("人事行政部 HR and Administration", "培训与能力记录 / training and competence records"),
        ("IT服务委员会 IT Service Committee", "管理评审与体系决策 / management review and SMS decisions"),
    ];

    private static readonly (string Email, string Name, string Role, string Department, string Culture)[] Staff =
    [
        ("wu.gang", "吴刚 Wu Gang", Roles.ManagementRepresentative, "IT服务委员会 IT Service Committee", Cultures.Chinese),
        ("sun.li", "孙丽 Sun Li", Roles.Administrator, "客户服务部 Customer Service", Cultures.Chinese),
        ("wang.fang", "王芳 Wang Fang", Roles.ServiceDeskAgent, "服务台 Service Desk", Cultures.Chinese),
        ("li.na", "李娜 Li Na", Roles.ServiceDeskAgent, "服务台 Service Desk", Cultures.English),
        ("zhang.wei", "张伟 Zhang Wei", Roles.Technician, "技术支持部 Technical Support", Cultures.Chinese),
        ("liu.yang", "刘洋 Liu Yang", Roles.ProblemManager, "技术支持部 Technical Support", Cultures.Chinese),
        ("chen.jing", "陈静 Chen Jing", Roles.ChangeManager, "技术支持部 Technical Support", Cultures.Chinese),
        ("yang.lei", "杨磊 Yang Lei", Roles.CabMember, "资源部 Resources", Cultures.Chinese),
        ("zhao.min", "赵敏 Zhao Min", Roles.ConfigurationManager, "技术支持部 Technical Support", Cultures.Chinese),
        ("huang.qiang", "黄强 Huang Qiang", Roles.ServiceLevelManager, "客户服务部 Customer Service", Cultures.Chinese),
        ("zhou.ting", "周婷 Zhou Ting", Roles.Auditor, "人事行政部 HR and Administration", Cultures.English),
    ];

    private static readonly (string Name, string Domain, string Description, (string Email, string Name, string Culture)[] Users)[] Customers =
    [
        ("华东证券股份有限公司 East China Securities", "ecsec.example", "托管核心交易系统与灾备机柜 / hosts core trading and DR racks",
            [("zheng.hua", "郑华 Zheng Hua", Cultures.Chinese), ("qian.bo", "钱波 Qian Bo", Cultures.Chinese)]),
        ("明远电商有限公司 Mingyuan E-commerce", "mingyuan.example", "云主机与 CDN 带宽 / cloud hosts and CDN bandwidth",
            [("feng.xue", "冯雪 Feng Xue", Cultures.English)]),
    ];

    public static async Task LoadAsync(IServiceProvider services, TextWriter log, CancellationToken ct = default)
    {
        var database = services.GetRequiredService<Database>();
        await using (var connection = await database.OpenAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM idn_users WHERE email = @email", new { email = $"wang.fang@{Domain}" }, cancellationToken: ct)) > 0)
            {
                await log.WriteLineAsync("Demo data is already loaded.");
                return;
            }
        }

        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider.ActAsSystem();
        var organisations = sp.GetRequiredService<CreateOrganisation>();
        var update = sp.GetRequiredService<UpdateOrganisation>();
        var groups = sp.GetRequiredService<CreateGroup>();
        var users = sp.GetRequiredService<CreateUser>();

        var provider = (await sp.GetRequiredService<GetOrganisation>().ListAsync(OrganisationKinds.Provider, null, Kernel.PageRequest.From(1, 1), ct)).Items.Single();
        Must(await update.HandleAsync(provider.Id, provider.Version,
            new UpdateOrganisation.Request(ProviderName, "IDC 运营商：机房托管、带宽、云主机与运维服务 / IDC operator: colocation, bandwidth, cloud hosts, managed services", "demo data"), ct));

        var departmentIds = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var (name, description) in Departments)
        {
            departmentIds[name] = Must(await groups.HandleAsync(new CreateGroup.Request(provider.Id, name, description), ct)).Id;
        }
        foreach (var (email, name, role, department, culture) in Staff)
        {
            Must(await users.HandleAsync(new CreateUser.Request(
                $"{email}@{Domain}", name, Password, provider.Id, [role], [departmentIds[department]], culture), ct));
        }
        foreach (var (name, domain, description, people) in Customers)
        {
            var customer = Must(await organisations.HandleAsync(new CreateOrganisation.Request(name, OrganisationKinds.Customer, description), ct));
            foreach (var (email, person, culture) in people)
            {
                Must(await users.HandleAsync(new CreateUser.Request(
                    $"{email}@{domain}", person, Password, customer.Id, [Roles.CustomerUser], null, culture), ct));
            }
        }
        await ServiceLevelsAsync(sp, provider.Id, departmentIds, ct);
        var clock = sp.GetRequiredService<TimeProvider>();
        var initial = await DemoChanges.InitialAsync(sp, provider.Id, clock, ct);
        await DemoConfiguration.LoadAsync(sp, initial.Number, ct);
        await DemoChanges.LoadAsync(sp, provider.Id, initial.Id, clock, ct);
        await DemoReleases.LoadAsync(sp, provider.Id, ct);
        await IncidentsAsync(sp, provider.Id, departmentIds, ct);
        await DemoProblems.LoadAsync(sp, provider.Id, ct);
        await DemoAudits.LoadAsync(sp, ct);
        await DemoCompetence.LoadAsync(sp, ct);
        await DemoRetention.LoadAsync(sp, ct);
        await DemoPlanning.LoadAsync(sp, ct);
        await DemoCompliance.LoadAsync(sp, ct);
        await log.WriteLineAsync(
            $"Loaded the demo: {ProviderName}, {Departments.Length} departments, {Staff.Length} staff, {Customers.Length} customers. " +
            $"Every demo user's password is {Password} (e.g. wang.fang@{Domain}).");
    }

    private static async Task IncidentsAsync(IServiceProvider sp, Guid providerId, Dictionary<string, Guid> departments, CancellationToken ct)
    {
        var settings = sp.GetRequiredService<IncidentSettings>();
        var categories = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var (en, zh, parent) in new (string, string, string?)[]
        {
            ("Network", "网络", null), ("Switch", "交换机", "Network"), ("Bandwidth", "带宽", "Network"),
            ("Server", "服务器", null), ("Hardware", "硬件", "Server"), ("Operating system", "操作系统", "Server"),
            ("Facilities", "机房设施", null), ("Power", "电力", "Facilities"), ("Cooling", "空调", "Facilities"),
            ("Application", "应用", null), ("Accounts and access", "账号与权限", null),
        })
        {
            categories[en] = Must(await settings.AddCategoryAsync(
                new IncidentSettings.CategoryRequest(en, zh, parent is null ? null : categories[parent], categories.Count), ct)).Id;
        }
        var directory = sp.GetRequiredService<Identity.Contracts.IDirectory>();
        var organisations = await directory.OrganisationsAsync(ct);
        var securities = organisations.First(o => o.Name.Contains("East China", StringComparison.Ordinal)).Id;
        var shop = organisations.First(o => o.Name.Contains("Mingyuan", StringComparison.Ordinal)).Id;
        var staff = await directory.StaffAsync([Roles.ServiceDeskAgent, Roles.Technician], ct);
        var wang = staff.First(u => u.Email.StartsWith("wang.fang", StringComparison.Ordinal)).Id;
        var zhang = staff.First(u => u.Email.StartsWith("zhang.wei", StringComparison.Ordinal)).Id;
        var desk = departments["服务台 Service Desk"];
        var support = departments["技术支持部 Technical Support"];
        var log = sp.GetRequiredService<LogIncident>();
        var move = sp.GetRequiredService<MoveIncident>();
        var comment = sp.GetRequiredService<AddComment>();

        async Task<Guid> Log(string title, string description, Guid org, string caller, string category, string impact, string urgency,
            Guid? group = null, Guid? assignee = null, string channel = "phone", string? service = null, string? ci = null, bool major = false) =>
            Must(await log.HandleAsync(new LogIncident.Request(title, description, channel, org, null, caller, null, categories[category], service, ci,
                impact, urgency, group, assignee, major), ct: ct)).Incident.Id;

        var old = await Log("VPN 隧道中断 VPN tunnel down", "华东证券灾备中心到主中心的 IPsec VPN 隧道中断，灾备同步停止。", securities, "郑华 Zheng Hua",
            "Network", "high", "medium", support, zhang, service: "DR-LINK", ci: "FW-SH-01");
        Must(await move.HandleAsync(old, Incidents.Domain.IncidentTrigger.Start, new MoveIncident.Request(), ct: ct));
        Must(await move.HandleAsync(old, Incidents.Domain.IncidentTrigger.Resolve, new MoveIncident.Request(
            ResolutionCode: "configuration-change", ResolutionNotes: "IPsec 证书过期，已续签并重建隧道。Renewed the expired IPsec certificate and re-established the tunnel."), ct: ct));
        Must(await move.HandleAsync(old, Incidents.Domain.IncidentTrigger.Confirm, new MoveIncident.Request(
            Satisfaction: 4, SatisfactionComment: "处理及时，希望证书到期前能提前提醒。Quick fix; please warn us before certificates expire."), ct: ct));
        var major = await Log("A 区机房 UPS 告警，部分机柜断电 UPS alarm in hall A, racks without power",
            "监控于 09:12 报 UPS-A2 输出异常，A 区 14-18 号机柜断电。\n\n- 影响：托管客户服务器离线\n- 现场：值守工程师已到场", securities, "监控系统 Monitoring",
            "Power", "high", "high", support, zhang, channel: "monitoring", ci: "UPS-A2", major: true);
        var child = await Log("交易网关无法访问 Trading gateway unreachable", "客户反映交易网关 10.8.1.20 无法访问。", securities, "钱波 Qian Bo",
            "Network", "high", "high", desk, wang, service: "COLO");
        Must(await sp.GetRequiredService<LinkIncidents>().HandleAsync(child, new LinkIncidents.Request(major, "child-of"), ct));
        Must(await move.HandleAsync(major, Incidents.Domain.IncidentTrigger.Start, new MoveIncident.Request(), ct: ct));
        Must(await comment.HandleAsync(major, new AddComment.Request("已切换至旁路供电，正在联系 UPS 厂商。Switched to bypass power; UPS vendor called.", true), ct));
        Must(await comment.HandleAsync(major, new AddComment.Request("厂商工单 4711，备件预计 2 小时到。Vendor case 4711, spare part ETA 2h.", false, 25), ct));

        var pending = await Log("网站访问缓慢 Web shop slow", "明远电商首页加载超过 10 秒，CDN 命中率下降。", shop, "冯雪 Feng Xue",
            "Bandwidth", "medium", "high", support, zhang, channel: "email", service: "CDN");
        Must(await move.HandleAsync(pending, Incidents.Domain.IncidentTrigger.Start, new MoveIncident.Request(), ct: ct));
        Must(await move.HandleAsync(pending, Incidents.Domain.IncidentTrigger.Pend, new MoveIncident.Request(PendingReason: "awaiting-supplier",
            Reason: "等待运营商回复带宽告警 Waiting for the carrier on the bandwidth alarm"), ct: ct));

        var resolved = await Log("数据库服务器磁盘空间不足 Disk full on db01", "db01 的 /var 分区使用率 98%。", shop, "冯雪 Feng Xue",
            "Operating system", "medium", "medium", support, zhang, channel: "monitoring", ci: "db01");
        Must(await move.HandleAsync(resolved, Incidents.Domain.IncidentTrigger.Resolve, new MoveIncident.Request(
            ResolutionCode: "fixed", ResolutionNotes: "清理归档日志并启用日志轮转。Purged archived logs and enabled log rotation."), ct: ct));

        await Log("核心网络交换机故障 Core switch down", "SW-CORE-02 端口大量抖动，B 区部分机柜网络中断。", securities, "郑华 Zheng Hua",
            "Switch", "high", "medium", ci: "SW-CORE-02");
        await Log("无法登录客户门户 Cannot sign in to the customer portal", "提示密码错误，已重置仍无法登录。", shop, "冯雪 Feng Xue",
            "Accounts and access", "low", "medium", channel: "web");
        await Log("机房温度偏高 Hall B temperature high", "B 区冷通道温度 29°C，超过阈值 27°C。", securities, "监控系统 Monitoring",
            "Cooling", "medium", "medium", desk, channel: "monitoring");

        // Callers rate the handling when they confirm: customer satisfaction for the management review and objectives.
        foreach (var (title, org, caller, category, score, remark) in new[]
        {
            ("机柜门禁卡失效 Rack access card stopped working", securities, "钱波 Qian Bo", "Accounts and access", 5, "五分钟就重新授权了。Re-enabled in five minutes."),
            ("带宽报表缺失 Bandwidth report missing", shop, "冯雪 Feng Xue", "Bandwidth", 2, "等了两天才补发报表。Waited two days for the report."),
            ("远程重启服务器 Remote reboot of web02", shop, "冯雪 Feng Xue", "Server", 5, (string?)null),
        })
        {
            var rated = await Log(title, title, org, caller, category, "low", "medium", desk, wang);
            Must(await move.HandleAsync(rated, Incidents.Domain.IncidentTrigger.Resolve, new MoveIncident.Request(
                ResolutionCode: "fixed", ResolutionNotes: "已处理并与报告人确认。Done and checked with the caller."), ct: ct));
            Must(await move.HandleAsync(rated, Incidents.Domain.IncidentTrigger.Confirm, new MoveIncident.Request(Satisfaction: score, SatisfactionComment: remark), ct: ct));
        }
    }

    /// <summary>Three services, a project and an SLA per customer, and two escalation rules.</summary>
    private static async Task ServiceLevelsAsync(IServiceProvider sp, Guid providerId, Dictionary<string, Guid> departments, CancellationToken ct)
    {
        var directory = sp.GetRequiredService<Identity.Contracts.IDirectory>();
        var organisations = await directory.OrganisationsAsync(ct);
        var securities = organisations.First(o => o.Name.Contains("East China", StringComparison.Ordinal)).Id;
        var shop = organisations.First(o => o.Name.Contains("Mingyuan", StringComparison.Ordinal)).Id;
        var staff = await directory.StaffAsync([Roles.ServiceLevelManager, Roles.ServiceDeskAgent, Roles.Technician, Roles.Administrator], ct);
        var owner = staff.First(u => u.Email.StartsWith("huang.qiang", StringComparison.Ordinal)).Id;
        var portfolio = sp.GetRequiredService<ServiceLevels.Features.ServicePortfolio>();
        var services = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var (code, en, zh, customers) in new (string, string, string, Guid[])[]
        {
            ("COLO", "Colocation", "托管服务", [securities, shop]),
            ("DR-LINK", "Disaster-recovery link", "灾备专线", [securities]),
            ("CDN", "CDN bandwidth", "CDN 带宽", [shop]),
        })
        {
            services[code] = Must(await portfolio.CreateAsync(new ServiceLevels.Features.ServicePortfolio.Request(code, en, zh,
                $"{en}, run from the Xinghe data centres around the clock.", $"{zh}，由星河数据中心全天候提供。", owner, "live", "7×24", customers), ct)).Id;
        }
        var calendars = await sp.GetRequiredService<ServiceLevels.Features.CalendarQueries>().ListAsync(ct);
        var workingWeek = calendars.FirstOrDefault(c => c.Name == ServiceLevels.Features.SeedCalendars.ChinaStandardName)?.Id;
        var projects = sp.GetRequiredService<ServiceLevels.Features.ServiceProjects>();
        Must(await projects.CreateAsync(new ServiceLevels.Features.ServiceProjects.Request("PRJ-ECSEC-2026", "华东证券 IDC 托管项目 2026", securities, owner, "HT-2026-017",
            "2026-01-01", "2026-12-31", ["change", "configuration", "service-level", "availability-continuity", "service-reporting"], [services["COLO"], services["DR-LINK"]]), ct));
        Must(await projects.CreateAsync(new ServiceLevels.Features.ServiceProjects.Request("PRJ-MINGYUAN-2026", "明远电商 CDN 项目 2026", shop, owner, "HT-2026-031",
            "2026-03-01", null, ["service-level", "capacity"], [services["CDN"]]), ct));
        var agreements = sp.GetRequiredService<ServiceLevels.Features.Agreements>();
        ServiceLevels.Features.TargetView[] Targets(params (int Response, int Resolution)[] t) =>
            [.. t.Select((x, i) => new ServiceLevels.Features.TargetView(i + 1, x.Response, x.Resolution))];
        var securitiesSla = Must(await agreements.CreateAsync(new ServiceLevels.Features.Agreements.CreateRequest("sla", "华东证券托管 SLA / Colocation SLA", null, securities, null, null, null,
            new ServiceLevels.Features.Agreements.Terms(null, 99.99, 75, ["pending"], "resume", "7×24 小时，P1 15 分钟响应、4 小时解决。",
                Targets((15, 240), (30, 480), (60, 1440), (240, 2880), (480, 5760)))), ct));
        Must(await agreements.ApproveAsync(securitiesSla.Id, securitiesSla.Version, new ServiceLevels.Features.Agreements.ApproveRequest(DateTimeOffset.UtcNow.AddDays(-30), "签订 / signed"), ct));
        var shopSla = Must(await agreements.CreateAsync(new ServiceLevels.Features.Agreements.CreateRequest("sla", "明远电商 CDN SLA", services["CDN"], shop, null, null, null,
            new ServiceLevels.Features.Agreements.Terms(workingWeek, 99.9, 75, ["pending"], "resume", "工作日 9:00–18:00 计时。",
                Targets((30, 240), (60, 480), (120, 960), (240, 1920), (480, 2880)))), ct));
        Must(await agreements.ApproveAsync(shopSla.Id, shopSla.Version, new ServiceLevels.Features.Agreements.ApproveRequest(DateTimeOffset.UtcNow.AddDays(-30), "签订 / signed"), ct));
        var ola = Must(await agreements.CreateAsync(new ServiceLevels.Features.Agreements.CreateRequest("ola", "技术支持部 OLA", null, null, departments["技术支持部 Technical Support"], null, null,
            new ServiceLevels.Features.Agreements.Terms(null, null, 75, ["pending"], "resume", "", Targets((10, 180), (20, 360), (45, 960), (120, 1920), (240, 2880)))), ct));
        Must(await agreements.ApproveAsync(ola.Id, ola.Version, new ServiceLevels.Features.Agreements.ApproveRequest(DateTimeOffset.UtcNow.AddDays(-30), "内部约定 / internal"), ct));
        var uc = Must(await agreements.CreateAsync(new ServiceLevels.Features.Agreements.CreateRequest("uc", "电信城域网支持合同 / Carrier MAN contract", null, null, null, "中国电信上海分公司", null,
            new ServiceLevels.Features.Agreements.Terms(null, 99.95, 75, ["pending"], "resume", "", Targets((30, 240)))), ct));
        Must(await agreements.ApproveAsync(uc.Id, uc.Version, new ServiceLevels.Features.Agreements.ApproveRequest(DateTimeOffset.UtcNow.AddDays(-30), null), ct));
        var rules = sp.GetRequiredService<ServiceLevels.Features.EscalationRules>();
        Must(await rules.CreateAsync(new ServiceLevels.Features.EscalationRules.Request("预警通知 Warn the assignee and lead", null, "any", "warning", 5, true, true, false, null, false, true), ct));
        Must(await rules.CreateAsync(new ServiceLevels.Features.EscalationRules.Request("违约升级 Breach: raise priority, tell the owner", null, "resolution", "breach", 3, true, true, true, null, true, true), ct));
    }

    private static T Must<T>(Kernel.Errors.Outcome<T> outcome) =>
        outcome.Succeeded
            ? outcome.Value!
            : throw new InvalidOperationException("Demo data could not be loaded: " + outcome.Failure!.Message + " " +
                string.Join("; ", outcome.Failure.Fields?.Select(f => $"{f.Key}: {string.Join(' ', f.Value)}") ?? []));
}
