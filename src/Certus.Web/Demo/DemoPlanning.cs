using System.Globalization;
using Certus.Compliance.Domain;
using Certus.Compliance.Features;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Web.Demo;

/// <summary>
/// The demo's policy, objectives and risks (ISO/IEC 20000-1:2018 5.2, 6.1, 6.2): the Xinghe policy approved by the
/// management representative with its next version in draft; six objectives (five measured from live data, one from
/// customer-satisfaction survey readings) with a year and a half of kept history; and the IDC's register of risks and
/// opportunities, from power and cooling to ransomware and MLPS, in every state of treatment.
/// </summary>
internal static class DemoPlanning
{
    public static async Task LoadAsync(IServiceProvider sp, CancellationToken ct)
    {
        var directory = sp.GetRequiredService<IDirectory>();
        var staff = await directory.StaffAsync(Roles.Staff, ct);
        Guid Person(string email) => staff.First(u => u.Email.StartsWith(email + "@", StringComparison.Ordinal)).Id;
        var clock = sp.GetRequiredService<TimeProvider>();
        // Records name the people who did the work, as they would had they done it in the UI.
        T As<T>(string email) where T : notnull
        {
            var user = staff.First(u => u.Email.StartsWith(email + "@", StringComparison.Ordinal));
            var acting = new ActingAs(user.Id, user.DisplayName, user.OrganisationId);
            return ActivatorUtilities.CreateInstance<T>(sp, acting, new AuditTrail(acting, clock));
        }

        await PolicyAsync(As<ServicePolicy>("wu.gang"), ct);
        await ObjectivesAsync(sp, As<Objectives>("wu.gang"), As<Objectives>("huang.qiang"), Person, clock, ct);
        await RisksAsync(As<Risks>("wu.gang"), Person, ct);
    }

    private static async Task PolicyAsync(ServicePolicy policy, CancellationToken ct)
    {
        var draft = Must(await policy.StartDraftAsync(new ServicePolicy.DraftRequest(
            StatementEn: """
                ## Xinghe Cloud Data: IT service management policy

                **Customers first, everyone involved, innovative and efficient, managed as a system, striving for excellence.**

                Xinghe Cloud Data runs colocation, bandwidth, cloud hosts and managed services from its Shanghai data centres for customers whose
                business cannot stop. We run these services through one service management system that meets ISO/IEC 20000-1:

                - every service has an agreement with the customer, and we report honestly against it every month;
                - incidents are restored first and their causes removed after; nothing changes in production without an assessed and authorised change;
                - power, cooling, network and security are planned for the failures we can foresee, and tested;
                - everyone who works on the services knows this policy, their part in it and the objectives that follow from it.
                """,
            StatementZh: """
                ## 星河云数据 IT 服务管理方针

                **客户至上、全员参与、创新高效、系统管理、追求卓越。**

                星河云数据在上海数据中心为业务不能中断的客户提供机房托管、带宽、云主机和运维服务。我们以一套符合 ISO/IEC 20000-1 的服务管理体系运行这些服务：

                - 每项服务都与客户签订服务级别协议，并每月如实报告达成情况；
                - 事件先恢复服务、后消除原因；生产环境的任何改动都须经过评估和授权的变更；
                - 对可预见的电力、制冷、网络和安全故障事先策划并定期演练；
                - 每一位参与服务的员工都了解本方针、自己的职责以及由此确定的目标。
                """,
            CommitRequirementsEn: "We meet the requirements of our customers, the law and regulations that apply to us (including MLPS 2.0), and the service management system.",
            CommitRequirementsZh: "满足客户要求、适用的法律法规（包括网络安全等级保护 2.0）以及服务管理体系的要求。",
            CommitImprovementEn: "We improve the services and the system continually: every breach, audit finding and complaint is a reason to do better, not only to correct.",
            CommitImprovementZh: "持续改进服务和管理体系：每一次违约、审核发现和投诉都是改进的机会，而不仅是纠正。",
            CommitObjectivesEn: "Top management sets measurable service management objectives each year from this policy and reviews them at every management review.",
            CommitObjectivesZh: "最高管理者每年依据本方针确定可测量的服务管理目标，并在每次管理评审中评审其达成情况。",
            DocumentCode: "A-01", ChangeNote: "首次发布 / first issue"), ct));
        Must(await policy.ApproveAsync(draft.Id, draft.Version,
            new ServicePolicy.ApproveRequest("IT 服务委员会审议通过，自即日起施行 / adopted by the IT Service Committee, in force from today"), ct));
        // The next version is being prepared: the MLPS re-assessment adds a security commitment.
        Must(await policy.StartDraftAsync(new ServicePolicy.DraftRequest(null, null, null, null, null, null, null, null, null,
            "增加等保 2.0 三级要求的表述（待 12 月管理评审）/ adds the MLPS level 3 wording, for the December management review"), ct));
    }

    private static async Task ObjectivesAsync(IServiceProvider sp, Objectives manager, Objectives owner, Func<string, Guid> person, TimeProvider clock, CancellationToken ct)
    {
        var created = new List<(ObjectiveView Objective, decimal[] History)>();
        foreach (var (en, zh, who, process, measure, target, direction, plan, resources, evaluation, history) in new (string, string, string, string, string, decimal, string, string, string, string, decimal[])[]
        {
            ("SLA attainment of at least 99% each quarter", "每季度 SLA 达成率不低于 99%", "huang.qiang", "service-level", "service-levels.attainment", 99m, "at-least",
                "每周复核即将违约的工单；P1/P2 事件升级至值班经理；季度服务报告分析每次违约原因。Weekly review of breaching-soon tickets; P1/P2 escalated to the duty manager; each breach analysed in the quarterly report.",
                "服务台 2 人/班次；SLA 看板 / two desk staff per shift; the SLA board", "季度服务报告与管理评审 / quarterly service report and management review",
                [98.1m, 98.6m, 99.2m, 99.4m, 98.9m]),
            ("Change success rate of at least 95%", "变更成功率不低于 95%", "chen.jing", "change", "changes.success-rate", 95m, "at-least",
                "所有正常变更须有回退计划和测试记录；CAB 每周例会；失败变更必须做实施后评审。Every normal change has a back-out plan and test record; weekly CAB; every failed change reviewed.",
                "CAB 成员；预生产环境 / CAB members; the pre-production environment", "变更月报中的成功率与失败原因 / success rate and causes in the monthly change report",
                [93.8m, 96.0m, 97.5m, 95.2m, 100m]),
            ("No more than 2 major incidents a quarter", "每季度重大事件不超过 2 起", "liu.yang", "incident", "incidents.major", 2m, "at-most",
                "重大事件后 5 个工作日内完成问题根因分析；电力与制冷设备按季度预防性维护。Root cause within five working days of each major incident; quarterly preventive maintenance of power and cooling.",
                "问题经理；设备厂商维保合同 / the problem manager; vendor maintenance contracts", "重大事件报告与问题记录的关闭情况 / major incident reports and problems closed",
                [3m, 2m, 1m, 2m, 1m]),
            ("At least 90% of nonconformities closed by their due date", "不符合项按期关闭率不低于 90%", "zhou.ting", "improvement", "improvement.nonconformities-on-time", 90m, "at-least",
                "每月跟踪不符合项整改进度，逾期项提交管理者代表。Monthly follow-up of corrective actions; overdue ones go to the management representative.",
                "内审员；不符合项登记册 / internal auditors; the nonconformity register", "每月不符合项统计与管理评审输入 / monthly statistics and management review input",
                [80m, 85.7m, 88.9m, 92.3m, 90m]),
            ("Every document in force reviewed on time", "有效文件 100% 按期评审", "sun.li", "documents", "documents.reviewed-on-time", 100m, "at-least",
                "文件到期前 14 天提醒负责人；每季度检查文件清单。Owners reminded 14 days before the review date; the register checked quarterly.",
                "文件管理员 / the document controller", "文件清单中逾期评审文件数为零 / no document in force past its review date",
                [100m, 95m, 100m, 100m, 90m]),
        })
        {
            var o = Must(await manager.CreateAsync(new Objectives.Request(en, zh, "", person(who), process, measure, null, null, target, direction, "quarter",
                plan, resources, person(who), $"{DateTime.Today.Year}-12-31", evaluation), ct));
            created.Add((o, history));
        }

        var satisfaction = Must(await manager.CreateAsync(new Objectives.Request(
            "Customer satisfaction of at least 90 points", "客户满意度不低于 90 分", "每季度向全部托管和 CDN 客户发放满意度问卷（百分制），取加权平均分。Quarterly survey of every colocation and CDN customer (out of 100), weighted average.",
            person("huang.qiang"), "customer-satisfaction", ObjectiveRules.Manual, "客户满意度调查得分 Customer satisfaction score", "分", 90m, "at-least", "quarter",
            "季度回访重点客户；对低于 80 分的问卷逐项回复并纳入改进登记。Quarterly visits to key customers; every answer under 80 followed up and entered as an improvement.",
            "客户服务部；问卷系统 / Customer Service; the survey tool", person("huang.qiang"), $"{DateTime.Today.Year}-12-31",
            "季度满意度报告，管理评审输入 / quarterly satisfaction report, management review input"), ct));
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var quarter = ObjectivePeriod.Containing(PeriodKind.Quarter, today);
        foreach (var (period, value, note) in new[]
        {
            (quarter.Previous().Previous(), 88.5m, "调查回收 23 份，机房温度投诉拉低得分 / 23 replies; cooling complaints pulled it down"),
            (quarter.Previous(), 91.2m, "回收 26 份，CDN 客户评分提升 / 26 replies; CDN customers happier"),
            (quarter, 92m, "中期抽样回访 12 家客户 / mid-quarter sample of 12 customers"),
        })
        {
            var day = period == quarter ? today : period.Start.AddDays(60);
            Must(await owner.RecordReadingAsync(satisfaction.Id, new Objectives.ReadingRequest(value, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), note), ct));
        }

        // A year and a half of kept quarters behind each live objective, so the trend has a history.
        var database = sp.GetRequiredService<Database>();
        var rows = new List<object>();
        foreach (var (o, history) in created)
        {
            var period = quarter;
            for (var i = history.Length - 1; i >= 0; i--)
            {
                period = period.Previous();
                var direction = ObjectiveRules.ParseDirection(o.Direction)!.Value;
                rows.Add(new
                {
                    id = o.Id, period = "quarter", from = period.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    to = period.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), label = period.Label, value = history[i], target = o.Target,
                    direction = o.Direction, result = ObjectiveRules.Judge(history[i], o.Target, direction), now = clock.GetUtcNow(),
                });
            }
        }
        await database.WriteAsync(async (connection, tx) => await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cmp_objective_snapshots (objective_id, period, period_start, period_end, label, value, target, direction, result, computed_at, final)
            VALUES (@id, @period, @from, @to, @label, @value, @target, @direction, @result, @now, 'yes')
            """, rows, tx, cancellationToken: ct)), ct);
    }

    private static async Task RisksAsync(Risks risks, Func<string, Guid> person, CancellationToken ct)
    {
        async Task<RiskView> RecordAsync(string kind, string title, string category, string cause, string consequence, string[] services, string owner,
            int likelihood, int impact, string? treatment, string plan) =>
            Must(await risks.CreateAsync(new Risks.Request(kind, title, "", category, cause, consequence, services, person(owner), likelihood, impact, treatment, plan,
                null, null, null), ct));

        async Task<RiskView> ActAsync(RiskView risk, params (string Action, string Owner, int DueInDays, bool Done)[] actions)
        {
            foreach (var (action, owner, due, _) in actions)
            {
                risk = Must(await risks.AddActionAsync(risk.Id, risk.Version, new Risks.ActionRequest(action, person(owner),
                    DateTime.Today.AddDays(due).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ct));
            }
            risk = Must(await risks.MoveAsync(risk.Id, risk.Version, new Risks.MoveRequest("treat", null), ct));
            foreach (var (action, _, _, done) in actions.Where(a => a.Done))
            {
                risk = Must(await risks.CompleteActionAsync(risk.Id, risk.Version, risk.Actions.First(a => a.Description == action).Id, ct));
            }
            return risk;
        }

        async Task MonitorAsync(RiskView risk, int likelihood, int impact, string? reason = null)
        {
            risk = Must(await risks.UpdateAsync(risk.Id, risk.Version, new Risks.Request(risk.Kind, risk.Title, risk.Description, risk.Category, risk.Cause,
                risk.Consequence, risk.Services, risk.OwnerId, risk.Likelihood, risk.Impact, risk.Treatment, risk.TreatmentPlan, likelihood, impact, risk.ReviewOn), ct));
            Must(await risks.MoveAsync(risk.Id, risk.Version, new Risks.MoveRequest("monitor", reason), ct));
        }

        var power = await RecordAsync("risk", "市电中断或 UPS 故障导致机柜断电 Utility outage or UPS failure cuts power to racks", "continuity",
            "单路市电检修、UPS 电池老化、切换失败。Maintenance on one utility feed, ageing UPS batteries, a failed transfer.",
            "托管客户服务器宕机，SLA 违约与赔偿。Customer servers down, SLA breaches and penalties.", ["COLO", "DR-LINK"], "yang.lei", 3, 5, "reduce",
            "双路市电 + UPS N+1 + 柴油发电机（储油 72 小时）；每季度带载切换演练。Two utility feeds, UPS N+1, diesel generator with 72 hours of fuel; quarterly on-load transfer test.");
        power = await ActAsync(power, ("更换 A 区 UPS-A2 电池组 Replace the UPS-A2 battery strings in hall A", "yang.lei", -20, true),
            ("完成柴油发电机带载切换演练 Run an on-load generator transfer test", "zhang.wei", -5, true));
        await MonitorAsync(power, 2, 4);

        var cooling = await RecordAsync("risk", "B 区制冷不足导致设备过热 Insufficient cooling overheats hall B", "continuity",
            "B 区机柜功率密度上升，精密空调无冗余。Rack power density in hall B has grown; the precision air conditioning has no redundancy.",
            "服务器降频或宕机；温度告警已多次出现（29°C）。Throttling or shutdown; temperature alarms already seen (29°C).", ["COLO"], "yang.lei", 3, 4, "reduce",
            "增加一台精密空调实现 N+1；冷通道封闭；温度告警阈值下调至 26°C。Add a precision unit for N+1; contain the cold aisles; alarm at 26°C.");
        await ActAsync(cooling, ("B 区冷通道封闭改造 Contain the cold aisles in hall B", "yang.lei", 30, false),
            ("采购并安装第 4 台精密空调 Buy and install a fourth precision air-conditioning unit", "yang.lei", 75, false));

        var staffLoss = await RecordAsync("risk", "核心网络工程师流失 Loss of senior network engineers", "organisation",
            "两名资深工程师掌握核心网络配置，市场挖角激烈。Two senior engineers hold the core network know-how; the market is hiring them away.",
            "故障处理时间延长，变更风险上升。Longer outages and riskier changes.", [], "sun.li", 3, 3, "reduce",
            "关键岗位 AB 角；网络配置与操作手册文档化；年度调薪与职业通道。Deputies for key roles; network configuration and runbooks documented; pay review and career path.");
        await ActAsync(staffLoss, ("编写核心网络操作手册 Write the core network runbook", "zhang.wei", 45, false));

        var carrier = await RecordAsync("risk", "CDN 带宽依赖单一运营商 CDN bandwidth depends on a single carrier", "supplier",
            "CDN 出口仅接入中国电信一家。Only one carrier (China Telecom) carries the CDN egress.",
            "运营商故障时明远电商网站不可用。A carrier outage takes Mingyuan's web shop down.", ["CDN"], "yang.lei", 2, 5, "reduce",
            "引入第二家运营商（联通）并配置 BGP 多线。Bring in a second carrier (China Unicom) with multi-homed BGP.");
        await ActAsync(carrier, ("完成联通带宽采购合同 Sign the China Unicom bandwidth contract", "yang.lei", 20, true),
            ("BGP 多线联调 Commission multi-homed BGP", "zhang.wei", 50, false));

        var ransomware = await RecordAsync("risk", "勒索软件入侵运维管理网 Ransomware in the management network", "security",
            "运维终端钓鱼邮件、跳板机弱口令。Phishing on operator workstations, weak passwords on jump hosts.",
            "监控与配置系统被加密，客户数据泄露风险。Monitoring and configuration systems encrypted; customer data at risk.", ["COLO", "CDN"], "zhang.wei", 3, 5, "reduce",
            "堡垒机 + 双因素认证；离线备份；终端 EDR；每半年钓鱼演练。Bastion host with two-factor sign-in; offline backups; EDR; phishing drills twice a year.");
        ransomware = await ActAsync(ransomware, ("堡垒机启用双因素认证 Two-factor sign-in on the bastion host", "zhang.wei", -30, true),
            ("配置离线备份并完成恢复演练 Offline backups with a restore test", "zhao.min", -10, true));
        await MonitorAsync(ransomware, 2, 4);

        var mlps = await RecordAsync("risk", "等保 2.0 测评要求变化 MLPS 2.0 assessment requirements change", "compliance",
            "金融客户要求托管环境通过等保三级测评，测评机构标准更新。Financial customers require an MLPS level 3 assessed environment; the assessors' criteria changed.",
            "测评不通过将失去金融客户或被监管通报。Failing the assessment loses financial customers or draws a regulator's notice.", ["COLO"], "wu.gang", 4, 3, "reduce",
            "聘请测评机构开展差距评估；按整改清单落实技术与管理措施。Commission a gap assessment from the assessors; carry out the remediation list.");
        await ActAsync(mlps, ("完成等保三级差距评估 Complete the MLPS level 3 gap assessment", "wu.gang", 40, false));

        await RecordAsync("risk", "A 区机柜与电力容量接近上限 Hall A racks and power near capacity", "capacity",
            "A 区机柜使用率 85%，配电容量使用率 80%。Hall A racks 85% used, power distribution 80%.",
            "无法承接新客户或扩容需求。New customers or expansions cannot be taken on.", ["COLO"], "huang.qiang", 3, 3, "reduce",
            "C 区扩建立项；容量月报跟踪。Approve the hall C build-out; track capacity monthly.");

        var vendor = await RecordAsync("risk", "UPS 厂商维保响应慢 Slow UPS vendor maintenance response", "supplier",
            "厂商上海备件库存不足。The vendor keeps few spare parts in Shanghai.", "故障修复时间延长。Longer repair times.", ["COLO"], "yang.lei", 2, 3, null, "");
        Must(await risks.MoveAsync(vendor.Id, vendor.Version, new Risks.MoveRequest("accept",
            "已自备关键备件（电池模块、控制板），剩余风险可接受 / we hold key spares ourselves; the remaining risk is acceptable"), ct));

        var site = await RecordAsync("risk", "单一数据中心站点，无异地灾备 One data-centre site, no geographic DR", "continuity",
            "A、B 区位于同一园区。Halls A and B share one campus.", "园区级灾难（火灾、洪水）时服务全部中断。A campus-wide disaster stops every service.",
            ["COLO", "CDN"], "wu.gang", 2, 5, null, "");
        Must(await risks.MoveAsync(site.Id, site.Version, new Risks.MoveRequest("accept",
            "客户灾备由其自行签约（华东证券已有灾备专线）；第二站点投资列入 2027 年预算评估 / customers contract their own DR; a second site is in the 2027 budget review"), ct));

        var change = await RecordAsync("risk", "未经充分测试的变更引发故障 Poorly tested changes cause outages", "service",
            "紧急变更占比高，测试环境与生产不一致。Many emergency changes; test and production differ.", "变更后事件与 SLA 违约。Incidents and breaches after changes.",
            ["COLO", "CDN"], "chen.jing", 2, 4, "reduce", "预生产环境与生产同构；变更风险问卷；失败变更复盘。Pre-production like production; risk questionnaire; every failed change reviewed.");
        change = await ActAsync(change, ("搭建与生产同构的预生产环境 Build a production-like pre-production environment", "chen.jing", -40, true));
        await MonitorAsync(change, 1, 4);

        var finance = await RecordAsync("opportunity", "金融客户等保三级托管需求增长 Growing demand for MLPS level 3 hosting from financial customers", "customer",
            "券商与基金公司监管要求提高。Stricter regulation of brokers and fund managers.", "新增托管收入约 800 万元/年。About CNY 8 million a year of new hosting revenue.",
            ["COLO"], "huang.qiang", 4, 4, "exploit", "推出“等保三级托管”服务包，联合测评机构营销。Launch an MLPS level 3 hosting package, marketed with the assessors.");
        await ActAsync(finance, ("设计等保三级托管服务目录条目 Design the catalogue entry for MLPS level 3 hosting", "huang.qiang", 30, false));
        Must(await risks.CreateAsync(new Risks.Request("opportunity", "绿色数据中心节能补贴 Energy-efficiency subsidies for green data centres", "",
            "financial", "上海市对 PUE 低于 1.3 的数据中心给予补贴。Shanghai subsidises data centres with a PUE under 1.3.",
            "降低电费并获得补贴。Lower power bills and a subsidy.", [], person("sun.li"), 3, 3, "enhance",
            "冷通道封闭与变频改造同时申报节能项目。File the cold-aisle and variable-speed work as an energy-saving project.", null, null, null), ct));
        Must(await risks.CreateAsync(new Risks.Request("opportunity", "智能运维减少重复事件 AIOps to cut repeat incidents", "",
            "technology", "监控告警量大，重复事件多。Many alarms and repeat incidents.", "事件量下降、响应更快。Fewer incidents, faster response.", ["COLO", "CDN"],
            person("liu.yang"), 3, 3, "share", "与监控软件厂商共建告警关联规则。Build alarm-correlation rules with the monitoring vendor.", null, null, null), ct));
    }

    private static T Must<T>(Outcome<T> outcome) =>
        outcome.Succeeded
            ? outcome.Value!
            : throw new InvalidOperationException("Demo data could not be loaded: " + outcome.Failure!.Message + " " +
                string.Join("; ", outcome.Failure.Fields?.Select(f => $"{f.Key}: {string.Join(' ', f.Value)}") ?? []));

    /// <summary>A member of staff the demo's records name as having done the work.</summary>
    private sealed class ActingAs(Guid id, string name, Guid organisationId) : ICurrentUser
    {
        public bool IsAuthenticated => true;
        public Guid UserId => id;
        public string DisplayName => name;
        public Guid OrganisationId => organisationId;
        public bool IsProviderStaff => true;
        public IReadOnlySet<string> Roles { get; } = new HashSet<string>(StringComparer.Ordinal);
        public bool HasPermission(string permission) => true;
    }
}
