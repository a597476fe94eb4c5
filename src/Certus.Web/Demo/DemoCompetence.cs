using Certus.Competence.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Certus.Kernel.Text;

namespace Certus.Web.Demo;

/// <summary>
/// Competence and training at Xinghe IDC (manual §2.3): the competences and the manual's job roles with their staff and
/// assessed levels (a few gaps left open), the ISO/IEC 20000 internal auditor course whose exam Zhou Ting passed, the
/// policy awareness course everyone attended, ITIL 4 Foundation, the 2026 training plan with a cancelled and an upcoming
/// session, certificates (one expiring within 60 days, one expired, one renewed) and 2026 performance reviews.
/// </summary>
internal static class DemoCompetence
{
    public static async Task LoadAsync(IServiceProvider sp, CancellationToken ct)
    {
        // What the records say in their own words (reasons, evidence of exam passes) is written in the demo's main language.
        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo(Kernel.Localization.Cultures.Chinese);
        try
        {
            await LoadInChineseAsync(sp, ct);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = previous;
        }
    }

    private static async Task LoadInChineseAsync(IServiceProvider sp, CancellationToken ct)
    {
        var directory = sp.GetRequiredService<IDirectory>();
        var staff = await directory.StaffAsync(Roles.Staff, ct);
        Guid Person(string email) => staff.First(u => u.Email.StartsWith(email + "@", StringComparison.Ordinal)).Id;
        var today = CalendarDates.Day(sp.GetRequiredService<TimeProvider>().GetUtcNow());

        var catalogue = sp.GetRequiredService<Catalogue>();
        var competences = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var (key, en, zh, category, description) in new (string, string, string, string, string)[]
        {
            ("sm-policy", "Service management policy and objectives", "服务管理方针与目标", "process", "知道方针、目标及自己的贡献 / knows the policy, the objectives and their own part"),
            ("iso20000", "ISO/IEC 20000 requirements", "ISO/IEC 20000 标准要求", "process", "理解标准条款并能对照检查 / understands the clauses and can check against them"),
            ("itil", "ITIL service management practice", "ITIL 服务管理实践", "process", "事件、问题、变更、配置等实践 / incident, problem, change, configuration practices"),
            ("incident-handling", "Incident logging and handling", "事件受理与处理", "process", "记录、分级、派单、跟踪、关闭确认 / logging, prioritising, routing, follow-up, confirmed closure"),
            ("change-management", "Change management", "变更管理", "process", "变更评估、CAB、实施与回退 / assessment, CAB, implementation and back-out"),
            ("configuration-management", "Configuration management (CMDB)", "配置管理（CMDB）", "process", "配置项识别、关系与审核 / identifying CIs, relationships, audits"),
            ("internal-audit", "Internal audit", "内部审核", "management", "策划、实施、报告与跟踪 / planning, conducting, reporting, follow-up"),
            ("project-management", "Project management", "项目管理", "management", "服务项目立项、计划与控制 / service project set-up, planning, control"),
            ("network-ops", "Network operations", "网络运维", "technical", "交换、路由、防火墙与运营商线路 / switching, routing, firewalls, carrier links"),
            ("server-storage", "Servers and storage", "主机与存储运维", "technical", "小型机、x86、SAN/NAS / midrange, x86, SAN/NAS"),
            ("dc-facilities", "Data-centre facilities", "机房动力环境", "technical", "UPS、配电、精密空调、消防 / UPS, power distribution, cooling, fire suppression"),
            ("customer-communication", "Customer communication", "客户沟通", "soft-skill", "电话与书面沟通、投诉处理 / phone and written communication, complaints"),
        })
        {
            competences[key] = Must(await catalogue.CreateCompetenceAsync(new Catalogue.CompetenceRequest(key, en, zh, description, category), ct)).Id;
        }
        Catalogue.RequirementRequest Need(string key, int level) => new(competences[key], level);

        var roles = new Dictionary<string, JobRoleView>(StringComparer.Ordinal);
        foreach (var (key, en, zh, needs, people) in new (string, string, string, Catalogue.RequirementRequest[], string[])[]
        {
            ("top-management", "Top management", "最高管理者", [Need("sm-policy", 3), Need("iso20000", 2)], []),
            ("management-representative", "Management representative", "管理者代表", [Need("sm-policy", 4), Need("iso20000", 3), Need("internal-audit", 2)], ["wu.gang"]),
            ("customer-service-manager", "Customer service manager", "客户服务部经理",
                [Need("sm-policy", 3), Need("itil", 3), Need("customer-communication", 3)], ["sun.li"]),
            ("project-manager", "Project manager", "项目经理", [Need("itil", 3), Need("project-management", 3), Need("customer-communication", 3)], ["huang.qiang"]),
            ("duty-engineer", "Duty engineer", "值守工程师", [Need("incident-handling", 3), Need("dc-facilities", 2), Need("network-ops", 2)], ["zhang.wei", "yang.lei"]),
            ("service-desk", "Service desk", "服务台", [Need("incident-handling", 3), Need("customer-communication", 3), Need("itil", 2)], ["wang.fang", "li.na"]),
            ("technical-support-engineer", "Technical support engineer", "技术支持工程师",
                [Need("network-ops", 3), Need("server-storage", 3), Need("incident-handling", 2)], ["zhang.wei", "liu.yang"]),
            ("product-manager", "Product manager", "产品经理", [Need("itil", 2), Need("project-management", 2)], []),
            ("change-manager", "Change manager", "变更经理", [Need("change-management", 3), Need("configuration-management", 2), Need("itil", 2)], ["chen.jing"]),
            ("configuration-manager", "Configuration manager", "配置管理员", [Need("configuration-management", 3), Need("itil", 2)], ["zhao.min"]),
            ("internal-auditor", "Internal auditor", "内审员", [Need("iso20000", 3), Need("internal-audit", 3)], ["zhou.ting"]),
        })
        {
            var role = Must(await catalogue.CreateJobRoleAsync(new Catalogue.JobRoleRequest(key, en, zh, null, needs), ct));
            if (people.Length > 0)
            {
                role = Must(await catalogue.SetPeopleAsync(role.Id, role.Version, new Catalogue.PeopleRequest([.. people.Select(Person)]), ct));
            }
            roles[key] = role;
        }

        // Levels assessed by the line managers at the start of the year; a few gaps stay open for the matrix to show.
        var assessments = sp.GetRequiredService<Assessments>();
        foreach (var (person, key, level, assessor, evidence) in new (string, string, int, string, string)[]
        {
            ("wu.gang", "sm-policy", 4, "sun.li", "主持制定方针与目标 / led the drafting of the policy and objectives"),
            ("wu.gang", "iso20000", 3, "sun.li", "主导 2025 年认证审核 / led the 2025 certification audit"),
            ("wu.gang", "internal-audit", 3, "sun.li", "2025 年任内审组长 / lead auditor in 2025"),
            ("sun.li", "sm-policy", 3, "wu.gang", "部门方针宣贯 / briefs the department on the policy"),
            ("sun.li", "itil", 3, "wu.gang", "ITIL 4 MP 学员 / ITIL 4 Managing Professional candidate"),
            ("sun.li", "customer-communication", 4, "wu.gang", "重大客户季度服务评审 / runs the key customers' quarterly reviews"),
            ("huang.qiang", "project-management", 3, "sun.li", "PMP，负责华东证券托管项目 / PMP; runs the East China Securities project"),
            ("huang.qiang", "customer-communication", 3, "sun.li", "客户满意度 4.6/5 / customer satisfaction 4.6 of 5"),
            ("wang.fang", "incident-handling", 3, "sun.li", "月均受理 300 起，一次解决率 72% / 300 incidents a month, 72% first-contact resolution"),
            ("wang.fang", "customer-communication", 3, "sun.li", "客户回访满意 / positive caller feedback"),
            ("li.na", "incident-handling", 3, "sun.li", "夜班独立值守 / works the night shift alone"),
            ("li.na", "customer-communication", 2, "sun.li", "中文书面回复需复核 / Chinese written replies still need a check"),
            ("zhang.wei", "incident-handling", 3, "liu.yang", "二线事件平均解决 3.1 小时 / second-line incidents solved in 3.1 h on average"),
            ("zhang.wei", "network-ops", 3, "liu.yang", "CCNP，负责核心交换机 / CCNP; looks after the core switches"),
            ("zhang.wei", "server-storage", 3, "liu.yang", "存储扩容项目 / storage expansion project"),
            ("yang.lei", "incident-handling", 3, "liu.yang", "机房值守 5 年 / five years of data-centre duty"),
            ("yang.lei", "network-ops", 1, "liu.yang", "仅能识别链路告警 / can only read link alarms"),
            ("liu.yang", "network-ops", 3, "sun.li", "问题管理负责人，网络方向 / problem manager, network background"),
            ("liu.yang", "server-storage", 3, "sun.li", "主机故障根因分析 / root-cause analysis of host failures"),
            ("liu.yang", "incident-handling", 3, "sun.li", "重大事件协调 / coordinates major incidents"),
            ("chen.jing", "change-management", 3, "sun.li", "CAB 主持人 / chairs the CAB"),
            ("chen.jing", "configuration-management", 2, "sun.li", "变更与 CMDB 联动 / links changes to the CMDB"),
            ("zhao.min", "configuration-management", 2, "chen.jing", "CMDB 数据维护，审核经验不足 / maintains the CMDB; little audit experience yet"),
            ("zhou.ting", "iso20000", 2, "wu.gang", "体系文件编写 / wrote SMS documents"),
        })
        {
            Must(await assessments.AssessAsync(Person(person), new Assessments.AssessRequest(competences[key], level, "2026-01-08", evidence, Person(assessor)), ct));
        }

        var courses = sp.GetRequiredService<Courses>();
        Courses.CompetenceLevel Develops(string key, int level) => new(competences[key], level);
        var auditor = Must(await courses.CreateAsync(new Courses.Request("ISO20K-IA", "ISO/IEC 20000 internal auditor course", "ISO/IEC 20000 内审员培训",
            "标准条款、审核策划、检查表、不符合项判断与跟踪；考试合格者颁发“ISO20000内部审核员培训合格证书”。/ The clauses, audit planning, checklists, "
            + "judging and following up nonconformities; those who pass the exam receive the internal auditor certificate.",
            "external", "德信诚培训中心 Dexincheng Training", 16, ["policy", "objectives"], true, 60, "ISO20000 内部审核员培训合格证书", 36,
            [Develops("iso20000", 3), Develops("internal-audit", 3)]), ct));
        var awareness = Must(await courses.CreateAsync(new Courses.Request("SMS-AWARE", "Service management policy and objectives briefing", "服务管理方针与目标宣贯",
            "全员培训：方针“客户至上、全员参与、创新高效、系统管理、追求卓越”、年度目标、各岗位的贡献与不符合的后果。/ For everyone: the policy, "
            + "this year's objectives, each role's contribution and the consequences of not meeting the requirements.",
            "internal", "人事行政部 HR and Administration", 2, ["policy", "objectives", "contribution", "consequences"], false, null, null, null,
            [Develops("sm-policy", 2)]), ct));
        var itil = Must(await courses.CreateAsync(new Courses.Request("ITIL4-F", "ITIL 4 Foundation", "ITIL 4 基础培训",
            "服务价值体系与 34 项实践，含官方认证考试。/ The service value system and the 34 practices, with the certification exam.",
            "external", "PeopleCert 授权培训机构 PeopleCert ATO", 24, [], true, 65, "ITIL 4 Foundation", null, [Develops("itil", 2)]), ct));
        var facilities = Must(await courses.CreateAsync(new Courses.Request("DC-SAFETY", "Data-centre power and cooling safety", "机房动力环境安全操作",
            "UPS 切换、配电柜操作、精密空调告警处理与应急预案演练。/ UPS transfer, switchboard operation, cooling alarms and the emergency drill.",
            "internal", "资源部 Resources", 4, [], true, 80, null, null, [Develops("dc-facilities", 2)]), ct));
        var communication = Must(await courses.CreateAsync(new Courses.Request("CUST-COMM", "Customer communication and complaints", "客户沟通与投诉处理",
            "电话礼仪、书面回复规范、投诉升级与安抚。/ Phone manners, written replies, escalating and calming complaints.",
            "internal", "客户服务部 Customer Service", 6, ["contribution"], false, null, null, null, [Develops("customer-communication", 3)]), ct));

        var plans = sp.GetRequiredService<TrainingPlans>();
        Must(await plans.CreateAsync(new TrainingPlans.Request(2026, "2026 年度培训计划 Training plan 2026",
            "1. 全员服务管理方针与目标宣贯（一季度）/ policy and objectives briefing for everyone (Q1)\n"
            + "2. 内审员培训与考试，至少 2 名合格内审员 / internal auditor course and exam: at least two qualified auditors\n"
            + "3. 服务台与项目经理 ITIL 4 基础认证 / ITIL 4 Foundation for the service desk and project managers\n"
            + "4. 值守工程师机房安全操作培训考核 / data-centre safety training and exam for duty engineers\n"
            + "5. 客户沟通与投诉处理（四季度）/ customer communication and complaints (Q4)"), ct));

        var sessions = sp.GetRequiredService<Sessions>();
        var everyone = new[] { "wu.gang", "sun.li", "wang.fang", "li.na", "zhang.wei", "liu.yang", "chen.jing", "yang.lei", "zhao.min", "huang.qiang", "zhou.ting" };
        async Task Held(CourseView course, string start, string end, string trainer, string location, (string Person, string Status, int? Score)[] attendance)
        {
            var session = Must(await sessions.CreateAsync(new Sessions.Request(course.Id, start, end, trainer, location, true, null,
                [.. attendance.Select(a => Person(a.Person))]), ct));
            session = Must(await sessions.MoveAsync(session.Id, session.Version, new Sessions.MoveRequest("hold", null), ct));
            Must(await sessions.RecordAttendanceAsync(session.Id, session.Version, new Sessions.AttendanceRequest(
                [.. attendance.Select(a => new Sessions.AttendanceRow(Person(a.Person), a.Status, a.Score, null))]), ct));
        }
        await Held(awareness, "2026-01-15", "2026-01-15", "吴刚 Wu Gang", "三楼会议室 Meeting room 3F", [.. everyone.Select(p => (p, "attended", (int?)null))]);
        await Held(auditor, "2026-03-10", "2026-03-11", "德信诚 李老师 Ms Li (Dexincheng)", "德信诚北京培训中心 Dexincheng Beijing",
            [("zhou.ting", "attended", 86), ("liu.yang", "attended", 58), ("zhao.min", "absent", null)]);
        await Held(itil, "2026-05-20", "2026-05-22", "PeopleCert 讲师 PeopleCert trainer", "线上 Online",
            [("wang.fang", "attended", 78), ("li.na", "attended", 70), ("huang.qiang", "attended", 81), ("sun.li", "attended", 88)]);
        await Held(facilities, "2026-09-08", "2026-09-08", "资源部 杨磊 Yang Lei (Resources)", "二号机房 Data hall 2",
            [("zhang.wei", "attended", 92), ("yang.lei", "attended", 85), ("liu.yang", "absent", null)]);
        var cancelled = Must(await sessions.CreateAsync(new Sessions.Request(itil.Id, "2026-10-20", "2026-10-22", "PeopleCert 讲师 PeopleCert trainer", "线上 Online", true, null,
            [Person("chen.jing"), Person("zhao.min")]), ct));
        Must(await sessions.MoveAsync(cancelled.Id, cancelled.Version, new Sessions.MoveRequest("cancel",
            "讲师行程冲突，改至 2027 年 1 月 / trainer unavailable; moved to January 2027"), ct));
        Must(await sessions.CreateAsync(new Sessions.Request(communication.Id, "2026-12-10", "2026-12-10", "孙丽 Sun Li", "三楼会议室 Meeting room 3F", true, null,
            [Person("wang.fang"), Person("yang.lei")]), ct));

        var certificates = sp.GetRequiredService<Certificates>();
        foreach (var (person, name, issuer, number, issued, expires) in new (string, string, string, string, string, string?)[]
        {
            ("zhang.wei", "CCNP Enterprise", "Cisco Systems", "CSCO13579246", "2023-12-20", CalendarDates.AddDays(today, 40)),
            ("yang.lei", "低压电工作业特种作业操作证 / Electrician's licence (low voltage)", "应急管理部 Ministry of Emergency Management", "T310104198803120517",
                "2020-06-01", CalendarDates.AddDays(today, -20)),
            ("zhang.wei", "低压电工作业特种作业操作证 / Electrician's licence (low voltage)", "应急管理部 Ministry of Emergency Management", "T310101199107230833",
                "2022-04-18", "2028-04-17"),
            ("huang.qiang", "PMP", "PMI", "1987654", "2021-03-01", "2024-02-29"),
            ("huang.qiang", "PMP", "PMI", "1987654", "2024-03-01", "2027-02-28"),
            ("wu.gang", "ISO/IEC 20000 审核员 / ISO/IEC 20000 auditor", "中国认证认可协会 CCAA", "2025-ITSMS-0412", "2025-05-10", "2028-05-09"),
        })
        {
            Must(await certificates.CreateAsync(new Certificates.Request(Person(person), name, issuer, number, issued, expires), null, ct));
        }

        var external = sp.GetRequiredService<TrainingRecords>();
        Must(await external.AddExternalAsync(Person("zhao.min"), new TrainingRecords.ExternalRequest("CMDB 建设与数据治理研讨会 / CMDB and data governance workshop",
            "itSMF 中国 itSMF China", "2026-06-18", 7, "参会证明 PDF / certificate of attendance (PDF)"), ct));
        Must(await external.AddExternalAsync(Person("chen.jing"), new TrainingRecords.ExternalRequest("DevOps 变更发布实践 / DevOps change and release practice",
            "中国信通院 CAICT", "2026-08-27", 14, "结业证书编号 DO-2026-0831 / certificate DO-2026-0831"), ct));

        var reviews = sp.GetRequiredService<PerformanceReviews>();
        async Task Review(string person, string reviewer, string rating, string objectives, string strengths, string needs, Guid? course, bool complete, bool acknowledge)
        {
            var review = Must(await reviews.CreateAsync(new PerformanceReviews.Request(Person(person), 2026, Person(reviewer), objectives, rating, strengths, needs, course), ct));
            if (complete)
            {
                review = Must(await reviews.MoveAsync(review.Id, review.Version, new PerformanceReviews.MoveRequest("complete", null), ct));
            }
            if (acknowledge)
            {
                // Acknowledging is the person's own act; the demo loads as the system and records it directly.
                await AcknowledgeAsync(sp, review.Id, Person(person), ct);
            }
        }
        await Review("zhou.ting", "wu.gang", "A", "内审员资格取得；完成 2026 年内审策划与 IA-2026-01 审核 / qualified as internal auditor; planned the 2026 programme and ran IA-2026-01",
            "审核证据充分，报告清晰 / well-evidenced findings, clear report", "主导变更与配置审核 / lead the change and configuration audit", null, true, true);
        await Review("wang.fang", "sun.li", "B", "一次解决率 72%（目标 70%），ITIL 4 基础认证 / first-contact resolution 72% (target 70%); ITIL 4 Foundation",
            "客户评价好 / callers appreciate her", "投诉处理技巧 / complaint handling", communication.Id, true, false);
        await Review("zhang.wei", "liu.yang", "B", "核心网络零重大事件；机房安全考核 92 分 / no major network incident; data-centre safety exam 92",
            "技术扎实 / solid technical skills", "知识库文章编写 / write more knowledge articles", null, true, false);
        await Review("li.na", "sun.li", "C", "夜班受理及时 / night-shift incidents handled on time", "英语客户支持 / supports English-speaking customers",
            "中文书面沟通 / written Chinese communication", communication.Id, false, false);
    }

    private static async Task AcknowledgeAsync(IServiceProvider sp, Guid reviewId, Guid personId, CancellationToken ct)
    {
        await using var scope = sp.CreateAsyncScope();
        var name = (await sp.GetRequiredService<IDirectory>().FindUserAsync(personId, ct))!.DisplayName;
        var person = new DemoPerson(personId, name);
        var reviews = ActivatorUtilities.CreateInstance<PerformanceReviews>(scope.ServiceProvider, person,
            ActivatorUtilities.CreateInstance<Data.Audit.AuditTrail>(scope.ServiceProvider, person));
        var review = (await reviews.GetAsync(reviewId, ct))!;
        Must(await reviews.MoveAsync(review.Id, review.Version, new PerformanceReviews.MoveRequest("acknowledge", "同意评估结果 / I agree with the review"), ct));
    }

    /// <summary>The person reviewed, acting for themselves.</summary>
    private sealed class DemoPerson(Guid id, string name) : ICurrentUser
    {
        public bool IsAuthenticated => true;

        public Guid UserId => id;

        public string DisplayName => name;

        public Guid OrganisationId => Guid.Empty;

        public bool IsProviderStaff => true;

        public IReadOnlySet<string> Roles { get; } = new HashSet<string>(StringComparer.Ordinal) { Kernel.Security.Roles.Auditor };

        public bool HasPermission(string permission) => false;
    }

    private static T Must<T>(Outcome<T> outcome) =>
        outcome.Succeeded ? outcome.Value! : throw new InvalidOperationException(
            $"Demo competence: {outcome.Failure!.Message} {string.Join("; ", outcome.Failure.Fields?.SelectMany(f => f.Value) ?? [])}");
}
