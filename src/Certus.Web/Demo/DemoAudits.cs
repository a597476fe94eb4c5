using Certus.Audits.Features;
using Certus.Identity.Contracts;
using Certus.Improvement.Features;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;

namespace Certus.Web.Demo;

/// <summary>
/// The demo's management system at work (manual §2.1.10, §2.1.11, §3.4): the 2026 internal audit programme with one
/// audit completed and its findings, a nonconformity under corrective action, an improvement proposal, and the
/// management review held after the audit; a second audit is planned for December.
/// </summary>
internal static class DemoAudits
{
    public static async Task LoadAsync(IServiceProvider sp, CancellationToken ct)
    {
        // What the records say in their own words (checklist questions, reasons) is written in the demo's main language.
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
        Guid User(string email) => staff.First(u => u.Email.StartsWith(email + "@", StringComparison.Ordinal)).Id;
        var programmes = sp.GetRequiredService<AuditProgrammes>();
        var audits = sp.GetRequiredService<InternalAudits>();

        Must(await programmes.CreateProgrammeAsync(new AuditProgrammes.ProgrammeRequest(2026, "2026 年度内审计划 Internal audit programme 2026",
            "每年至少一次覆盖全部过程的内部审核（手册 §3.4.1）/ at least one audit a year covering every process (manual §3.4.1)"), ct));
        var desk = Must(await programmes.CreateAreaAsync(new AuditProgrammes.AreaRequest("服务台与事件管理 Service desk and incidents",
            "受理、记录、分派与关闭事件 / logging, assigning and closing incidents", User("wang.fang"), [User("li.na"), User("zhang.wei")]), ct));
        var slm = Must(await programmes.CreateAreaAsync(new AuditProgrammes.AreaRequest("服务级别管理 Service level management",
            "SLA、达成率与服务报告 / SLAs, attainment and service reports", User("huang.qiang"), []), ct));
        var change = Must(await programmes.CreateAreaAsync(new AuditProgrammes.AreaRequest("变更与配置管理 Change and configuration",
            "变更审批与 CMDB / change approval and the CMDB", User("chen.jing"), [User("zhao.min"), User("yang.lei")]), ct));

        var audit = Must(await audits.CreateAsync(new InternalAudits.Request(2026, "事件与服务级别管理审核 Incident and service level audit",
            "服务台事件受理至关闭、SLA 计时与报告 / incidents from logging to closure, SLA clocks and reports", ["8.6.1", "8.3.3", "7.5.4"],
            [desk.Id, slm.Id], User("zhou.ting"), [User("liu.yang")], "2026-10-12", "2026-10-13"), ct));
        audit = Must(await audits.MoveAsync(audit.Id, audit.Version, new InternalAudits.MoveRequest("start"), ct));
        string[] results = ["nonconforming", "observation", "conforming"];
        string[] notes =
        [
            "抽查 40 起事件，2 起未记录客户确认 / 40 sampled, 2 without recorded confirmation",
            "月度报告按时发布，但未说明违约原因 / monthly report on time but breach causes not explained",
            "记录编号、保存期限符合要求 / records numbered and retained as required",
        ];
        foreach (var (item, i) in audit.Checklist!.Select((c, i) => (c, i)))
        {
            Must(await audits.AnswerAsync(audit.Id, item.Id, item.Version, new InternalAudits.ChecklistRequest(item.Question, results[i], notes[i]), ct));
        }
        var finding = Must(await audits.AddFindingAsync(audit.Id, new InternalAudits.FindingRequest("minor", "8.6.1", desk.Id,
            "2 起 P3 事件关闭前未记录客户确认 / two P3 incidents closed without recorded customer confirmation", "INC-000003、INC-000005 的处理记录 / work logs of INC-000003, INC-000005"), ct));
        Must(await audits.AddFindingAsync(audit.Id, new InternalAudits.FindingRequest("observation", "8.3.3", slm.Id,
            "月度服务报告未分析 SLA 违约原因 / monthly service report does not analyse the causes of SLA breaches", "2026 年 9 月服务报告 / September 2026 service report"), ct));
        Must(await audits.AddFindingAsync(audit.Id, new InternalAudits.FindingRequest("conformity", "7.5.4", null,
            "事件记录受控、可追溯 / incident records are controlled and traceable", "审计日志哈希链校验通过 / audit trail hash chain verified"), ct));
        audit = (await audits.GetAsync(audit.Id, ct))!;
        Must(await audits.MoveAsync(audit.Id, audit.Version, new InternalAudits.MoveRequest("report", null,
            "服务管理体系总体有效运行。发现轻微不符合 1 项、观察项 1 项。/ The SMS works as a whole: one minor nonconformity, one observation."), ct));

        var ncs = sp.GetRequiredService<Nonconformities>();
        var nc = (await ncs.GetAsync(finding.NcId!.Value, ct))!;
        nc = Must(await ncs.MoveAsync(nc.Id, nc.Version, new Nonconformities.MoveRequest("analyse",
            Correction: "两起事件已重新联系客户确认 / both callers contacted and confirmed",
            RootCause: "夜班交接时解决方案未同步给客户 / on the night shift the resolution was not passed on to the caller"), ct));
        nc = Must(await ncs.MoveAsync(nc.Id, nc.Version, new Nonconformities.MoveRequest("plan",
            ActionText: "交接单增加“客户确认”项，服务台组长每周抽查 / add a confirmation item to the handover sheet; weekly spot checks by the desk lead",
            OwnerId: User("wang.fang"), DueDate: "2026-12-15"), ct));
        Must(await ncs.MoveAsync(nc.Id, nc.Version, new Nonconformities.MoveRequest("implement",
            ImplementationNote: "11 月 3 日起使用新交接单 / new handover sheet in use since 3 November"), ct));
        Must(await ncs.CreateAsync(new Nonconformities.Request("potential", "manual", null,
            "UPS 电池临近更换周期 / UPS batteries near end of life", "二号机房 UPS 电池已使用 4.5 年 / room 2 UPS batteries are 4.5 years old", "minor", "2018:8.7.1",
            User("yang.lei"), "2027-01-31"), ct));

        var improvements = sp.GetRequiredService<Improvements>();
        var improvement = Must(await improvements.CreateAsync(new Improvements.Request("服务报告增加违约原因分析 / add breach cause analysis to service reports",
            "来自内审观察项 / from the internal audit observation", "audit", audit.Number), ct));
        Must(await improvements.MoveAsync(improvement.Id, improvement.Version, new Improvements.MoveRequest("evaluate",
            Evaluation: "客户关注违约原因，投入小 / customers ask for causes; little effort", Benefit: 4, Effort: 2, Priority: "high"), ct));

        Must(await audits.CreateAsync(new InternalAudits.Request(2026, "变更与配置管理审核 Change and configuration audit",
            "变更审批、实施与 CMDB 更新 / change approval, implementation and CMDB updates", ["8.5.1", "8.2.6"], [change.Id], User("zhou.ting"), [], "2026-12-07", "2026-12-08"), ct));

        var reviews = sp.GetRequiredService<ManagementReviews>();
        var review = Must(await reviews.CreateAsync(new ManagementReviews.Request("2026 年度管理评审 Management review 2026", "2026-01-01",
            DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), User("wu.gang"),
            "吴刚（管理者代表）、孙丽、黄强、周婷、王芳 / Wu Gang (management representative), Sun Li, Huang Qiang, Zhou Ting, Wang Fang"), ct));
        Must(await reviews.AddActionAsync(review.Id, new ManagementReviews.ActionRequest("decision",
            "服务管理方针与目标继续适用 / the service management policy and objectives remain suitable", null, null), ct));
        Must(await reviews.AddActionAsync(review.Id, new ManagementReviews.ActionRequest("action",
            "2027 年一季度完成 UPS 电池更换 / replace the UPS batteries in Q1 2027", User("yang.lei"), "2027-03-31"), ct));
        review = (await reviews.GetAsync(review.Id, ct))!;
        Must(await reviews.MoveAsync(review.Id, review.Version, new ManagementReviews.MoveRequest("hold",
            "1. 内审发现轻微不符合 1 项，纠正措施已实施，待验证。\n2. 服务报告增加违约原因分析，列为高优先级改进。\n3. 方针与目标继续适用。\n\n"
            + "1. One minor nonconformity from the internal audit; the corrective action is done and awaits its check.\n"
            + "2. Breach cause analysis in service reports: a high-priority improvement.\n3. Policy and objectives remain suitable."), ct));
    }

    private static T Must<T>(Outcome<T> outcome) =>
        outcome.Succeeded ? outcome.Value! : throw new InvalidOperationException(
            $"Demo audits: {outcome.Failure!.Message} {string.Join("; ", outcome.Failure.Fields?.SelectMany(f => f.Value) ?? [])}");
}
