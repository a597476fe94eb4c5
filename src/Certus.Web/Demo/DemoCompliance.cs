using System.Globalization;
using Certus.Compliance.Features;
using Certus.Data;
using Certus.Documents.Domain;
using Certus.Documents.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Web.Demo;

/// <summary>
/// Demo of the management system: a few starter documents filled in and in force with owners and holders (one past
/// its review date), GAP findings with actions, the implementation roadmap through 2026, and twelve weeks of
/// conformity snapshots so the trend has a history.
/// </summary>
internal static class DemoCompliance
{
    public static async Task LoadAsync(IServiceProvider sp, CancellationToken ct)
    {
        var directory = sp.GetRequiredService<IDirectory>();
        var staff = await directory.StaffAsync(Roles.Staff, ct);
        Guid Person(string email) => staff.First(u => u.Email.StartsWith(email, StringComparison.Ordinal)).Id;

        var register = sp.GetRequiredService<DocumentRegister>();
        var workflow = sp.GetRequiredService<DocumentWorkflow>();
        var distribution = sp.GetRequiredService<Distribution>();
        foreach (var (code, owner, body, holders) in new (string, string, string, string[])[]
        {
            ("A-01", "wu.gang", "# IT服务管理手册 IT service management manual\n\n方针：客户至上、全员参与、创新高效、系统管理、追求卓越。\n\nPolicy: customers first, everyone involved, innovative and efficient, managed as a system, striving for excellence.", ["sun.li", "huang.qiang", "chen.jing"]),
            ("B-07", "wang.fang", "# 事件管理程序 Incident management procedure\n\n1. 服务台记录所有事件并确定优先级。The service desk records and prioritises every incident.\n2. 解决后经报告人确认方可关闭，或静默期满自动关闭。Closed on the caller's confirmation or after the quiet period.", ["wang.fang", "li.na", "zhang.wei"]),
            ("B-09", "zhao.min", "# 配置管理程序 Configuration management procedure\n\n配置项须有负责人，每年至少开展一次配置审核。Every CI has an owner; the CMDB is audited at least once a year.", ["zhao.min"]),
            ("B-10", "chen.jing", "# 变更管理程序 Change management procedure\n\n所有变更经评估、授权后实施，并开展实施后评审。Every change is assessed, authorised, implemented and reviewed.", ["chen.jing", "yang.lei"]),
            ("B-02", "huang.qiang", "# 服务级别管理程序 Service level management procedure\n\n每项运行中的服务须有生效的服务级别协议，并按月报告达成情况。Each live service has an SLA in force; attainment is reported monthly.", ["huang.qiang"]),
        })
        {
            var doc = (await register.FindByCodeAsync(code, ct))!;
            doc = Must(await register.UpdateAsync(doc.Id, doc.Version, new DocumentRegister.Request(null, doc.Tier, doc.TitleEn, doc.TitleZh, Person(owner),
                doc.Clauses, doc.ReviewMonths, doc.RetentionMonths, doc.NextReviewOn), ct));
            var draft = doc.Versions![0];
            doc = Must(await workflow.EditDraftAsync(doc.Id, doc.Version, draft.Number, new DocumentWorkflow.DraftRequest("1.0", body, "首次发布 / first issue"), ct));
            foreach (var (trigger, reason) in new (VersionTrigger, string?)[]
            {
                (VersionTrigger.Submit, null), (VersionTrigger.Approve, "管理者代表审批通过 / approved by the management representative"), (VersionTrigger.Publish, null),
            })
            {
                doc = Must(await workflow.MoveAsync(doc.Id, doc.Version, draft.Number, trigger, new DocumentWorkflow.MoveRequest(reason), ct));
            }
            foreach (var holder in holders)
            {
                doc = Must(await distribution.AddHolderAsync(doc.Id, new Distribution.HolderRequest(Person(holder)), ct));
            }
        }
        // One procedure whose yearly review was missed: the conformity view shows it as a gap of 7.5.
        var overdue = (await register.FindByCodeAsync("B-02", ct))!;
        Must(await register.UpdateAsync(overdue.Id, overdue.Version, new DocumentRegister.Request(null, overdue.Tier, overdue.TitleEn, overdue.TitleZh, overdue.OwnerId,
            overdue.Clauses, overdue.ReviewMonths, overdue.RetentionMonths, "2026-10-31"), ct));

        var roadmap = sp.GetRequiredService<Roadmap>();
        var steps = await roadmap.ListAsync(ct);
        foreach (var (phase, owner, starts, due, status, note) in new (string, string, string, string, string, string)[]
        {
            ("training", "sun.li", "2026-01-05", "2026-01-30", "done", "全员基础培训 86 人次，骨干培训 12 人 / 86 staff trained, 12 key people"),
            ("organisation", "wu.gang", "2026-01-12", "2026-02-06", "done", "任命吴刚为管理者代表 / Wu Gang appointed management representative"),
            ("diagnosis", "zhou.ting", "2026-02-09", "2026-03-13", "done", "差距分析报告已提交 / GAP analysis report delivered"),
            ("documents", "sun.li", "2026-03-16", "2026-05-29", "done", "手册与 20 份程序文件 / manual and 20 procedures"),
            ("trial-run", "huang.qiang", "2026-06-01", "2026-08-31", "done", "试运行三个月 / three months' trial run"),
            ("internal-audit", "zhou.ting", "2026-09-07", "2026-11-27", "in-progress", "覆盖全部 13 个过程 / all 13 processes"),
            ("management-review", "wu.gang", "2026-12-01", "2026-12-04", "planned", ""),
            ("certification", "wu.gang", "2026-12-14", "2026-12-18", "planned", "第一、二阶段认证审核 / stage 1 and 2 audits"),
        })
        {
            var step = steps.Single(s => s.Phase == phase);
            Must(await roadmap.UpdateAsync(step.Id, step.Version, new Roadmap.Request(Person(owner), starts, due, status, note), ct));
        }

        var gap = sp.GetRequiredService<GapAnalysis>();
        var audit = Must(await gap.AddFindingAsync(new GapAnalysis.FindingRequest("2018", "9.2", "内部审核方案未覆盖全部过程 Internal audit programme misses processes",
            "2026 年审核方案未包含容量管理和供应商管理。The 2026 programme leaves out capacity and supplier management."), ct));
        Must(await gap.AddActionAsync(new GapAnalysis.ActionRequest(audit.Id, "修订年度审核方案 Revise the yearly audit programme", Person("zhou.ting"), "2026-12-04", "in-progress", ""), ct));
        var continuity = Must(await gap.AddFindingAsync(new GapAnalysis.FindingRequest("2018", "8.7.2", "连续性计划未演练 Continuity plan never tested",
            "灾备切换未在过去 12 个月内演练。No DR switch-over test in the last 12 months."), ct));
        Must(await gap.AddActionAsync(new GapAnalysis.ActionRequest(continuity.Id, "组织灾备切换演练 Run a DR switch-over exercise", Person("zhang.wei"), "2026-11-15", "open", ""), ct));
        var competence = Must(await gap.AddFindingAsync(new GapAnalysis.FindingRequest("2018", "7.2", "培训记录不完整 Training records incomplete", "部分工程师缺少上岗培训记录。"), ct));
        var training = Must(await gap.AddActionAsync(new GapAnalysis.ActionRequest(competence.Id, "补录培训与考试记录 Record the missing training and exams", Person("sun.li"), "2026-06-30", "done", ""), ct));
        _ = training;
        Must(await gap.CloseFindingAsync(competence.Id, competence.Version, new GapAnalysis.CloseRequest("记录已补齐并抽查 / records completed and sampled"), ct));

        await SnapshotsAsync(sp, ct);
    }

    /// <summary>Twelve weekly snapshots in which the clauses conforming today were reached one by one.</summary>
    private static async Task SnapshotsAsync(IServiceProvider sp, CancellationToken ct)
    {
        var database = sp.GetRequiredService<Database>();
        var readiness = sp.GetRequiredService<Readiness>();
        foreach (var edition in ClauseCatalogue.Editions)
        {
            var today = await readiness.CurrentAsync(edition, ct);
            var rows = new List<object>();
            for (var week = 12; week >= 1; week--)
            {
                var day = DateOnly.FromDateTime(DateTime.Today).AddDays(-7 * week).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                var progress = (12 - week) / 12.0;
                foreach (var (c, i) in today.Clauses.Select((c, i) => (c, i)))
                {
                    // A stable spread: clause i conforms once progress passes its place in the list.
                    var reached = (i * 37 % 100) / 100.0 < progress;
                    var verdict = c.Verdict == Conformity.Conforming && !reached ? (i % 3 == 0 ? Conformity.Gap : Conformity.NoEvidence) : c.Verdict;
                    rows.Add(new { day, edition, clause = c.Clause, verdict });
                }
            }
            await database.WriteAsync(async (connection, tx) => await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO cmp_snapshots (day, edition, clause, verdict) VALUES (@day, @edition, @clause, @verdict) ON CONFLICT (day, edition, clause) DO NOTHING",
                rows, tx, cancellationToken: ct)), ct);
        }
    }

    private static T Must<T>(Kernel.Errors.Outcome<T> outcome) =>
        outcome.Succeeded
            ? outcome.Value!
            : throw new InvalidOperationException("Demo data could not be loaded: " + outcome.Failure!.Message + " " +
                string.Join("; ", outcome.Failure.Fields?.Select(f => $"{f.Key}: {string.Join(' ', f.Value)}") ?? []));
}
