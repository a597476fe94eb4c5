using System.Text;
using Certus.Data;
using Certus.Documents.Domain;
using Certus.Documents.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Web.Demo;

/// <summary>
/// Demo of records retention: three record series of the manual's tier D with years of editions behind them. The monthly
/// service quality report has an edition past its 36 months (due for disposal) and one coming due; the CMDB
/// initialisation form had an old edition disposed of; the supplier cooperation review is under legal hold for a
/// contract dispute, so its edition past retention is kept.
/// </summary>
internal static class DemoRetention
{
    /// <summary>A record series: code, owner, and its editions (label, date it took effect, text, attached file or none).</summary>
    private sealed record Series(string Code, string Owner, (string Label, DateOnly Effective, string Body, string? File)[] Editions);

    public static async Task LoadAsync(IServiceProvider sp, CancellationToken ct)
    {
        var directory = sp.GetRequiredService<IDirectory>();
        var staff = await directory.StaffAsync(Roles.Staff, ct);
        Guid Person(string email) => staff.First(u => u.Email.StartsWith(email, StringComparison.Ordinal)).Id;
        var register = sp.GetRequiredService<DocumentRegister>();
        var workflow = sp.GetRequiredService<DocumentWorkflow>();
        var retention = sp.GetRequiredService<RecordRetention>();
        var database = sp.GetRequiredService<Database>();
        var today = DateOnly.FromDateTime(DateTime.Today);

        Series[] series =
        [
            new("D-01", "huang.qiang",
            [
                ("2023-Q2", today.AddMonths(-41), "# 2023 年第二季度服务质量分析 / Service quality, Q2 2023\n\n可用性 99.95%，SLA 达成率 96.2%，重大事件 1 起。\nAvailability 99.95 %, SLA attainment 96.2 %, one major incident.", "service-quality-2023Q2.csv"),
                ("2023-Q3", today.AddMonths(-38), "# 2023 年第三季度服务质量分析 / Service quality, Q3 2023\n\n可用性 99.97%，SLA 达成率 97.1%。\nAvailability 99.97 %, SLA attainment 97.1 %.", "service-quality-2023Q3.csv"),
                ("2023-Q4", today.AddMonths(-35), "# 2023 年第四季度服务质量分析 / Service quality, Q4 2023\n\n可用性 99.98%，SLA 达成率 97.8%，客户满意度 4.6/5。\nAvailability 99.98 %, SLA attainment 97.8 %, satisfaction 4.6/5.", "service-quality-2023Q4.csv"),
                ("2026-10", today.AddMonths(-1), "# 2026 年 10 月服务质量分析 / Service quality, October 2026\n\n可用性 99.99%，SLA 达成率 98.4%。\nAvailability 99.99 %, SLA attainment 98.4 %.", "service-quality-2026-10.csv"),
            ]),
            new("D-05", "zhao.min",
            [
                ("2022", today.AddMonths(-52), "# CMDB 初始化表单（2022 年机房 A 区）/ CMDB initialisation, room A, 2022", "cmdb-init-2022.csv"),
                ("2023", today.AddMonths(-40), "# CMDB 初始化表单（2023 年机房 B 区扩容）/ CMDB initialisation, room B extension, 2023", "cmdb-init-2023.csv"),
                ("2026", today.AddMonths(-3), "# CMDB 初始化表单（2026 年云平台）/ CMDB initialisation, cloud platform, 2026", "cmdb-init-2026.csv"),
            ]),
            new("D-04", "sun.li",
            [
                ("2022", today.AddMonths(-50), "# 2022 年供应商合作分析报告 / Supplier cooperation review 2022\n\n光纤线路供应商 3 次中断超出合同约定。\nThe fibre carrier exceeded its contracted outages three times.", "supplier-review-2022.csv"),
                ("2023", today.AddMonths(-39).AddDays(12), "# 2023 年供应商合作分析报告 / Supplier cooperation review 2023", "supplier-review-2023.csv"),
                ("2025", today.AddMonths(-11), "# 2025 年供应商合作分析报告 / Supplier cooperation review 2025", null),
            ]),
        ];
        foreach (var s in series)
        {
            var doc = (await register.FindByCodeAsync(s.Code, ct))!;
            doc = Must(await register.UpdateAsync(doc.Id, doc.Version, new DocumentRegister.Request(null, doc.Tier, doc.TitleEn, doc.TitleZh, Person(s.Owner),
                doc.Clauses, doc.ReviewMonths, 36, doc.NextReviewOn), ct));
            var first = true;
            foreach (var (label, _, body, file) in s.Editions)
            {
                if (first)
                {
                    doc = Must(await workflow.EditDraftAsync(doc.Id, doc.Version, doc.Versions![0].Number, new DocumentWorkflow.DraftRequest(label, body, "定期记录 / periodic record"), ct));
                    first = false;
                }
                else
                {
                    doc = Must(await workflow.StartVersionAsync(doc.Id, doc.Version, new DocumentWorkflow.DraftRequest(label, body, "定期记录 / periodic record"), ct));
                }
                var number = doc.Versions![0].Number;
                if (file is not null)
                {
                    var content = Encoding.UTF8.GetBytes($"\uFEFF指标,数值\nmetric,value\n{label},{body.Length}\n");
                    doc = Must(await workflow.AttachAsync(doc.Id, doc.Version, number, new DocumentWorkflow.UploadedFile(file, "text/csv", content), ct));
                }
                foreach (var (trigger, reason) in new (VersionTrigger, string?)[]
                {
                    (VersionTrigger.Submit, null), (VersionTrigger.Approve, "记录经部门负责人审核 / record checked by the head of department"), (VersionTrigger.Publish, null),
                })
                {
                    doc = Must(await workflow.MoveAsync(doc.Id, doc.Version, number, trigger, new DocumentWorkflow.MoveRequest(reason), ct));
                }
            }
            // The editions took effect, one after another, on their own dates: each was retained the day the next took effect.
            await database.WriteAsync(async (connection, tx) =>
            {
                for (var i = 0; i < s.Editions.Length; i++)
                {
                    var at = new DateTimeOffset(s.Editions[i].Effective.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)).ToUniversalTime();
                    DateTimeOffset? retained = i + 1 < s.Editions.Length
                        ? new DateTimeOffset(s.Editions[i + 1].Effective.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)).ToUniversalTime()
                        : null;
                    await connection.ExecuteAsync(new CommandDefinition(
                        """
                        UPDATE doc_versions SET created_at = @created, submitted_at = @at, approved_at = @at, effective_at = @at,
                            retained_at = CASE WHEN status = 'retained' THEN @retained ELSE retained_at END
                        WHERE document_id = @id AND number = @number
                        """,
                        new { created = at.AddDays(-2), at, retained, id = doc.Id, number = i + 1 }, tx, cancellationToken: ct));
                }
                return 0;
            }, ct);
        }

        // The oldest CMDB initialisation form was disposed of at the records review; the supplier review is held for a dispute.
        var form = (await register.FindByCodeAsync("D-05", ct))!;
        Must(await retention.DisposeAsync(form.Id, form.Version, 1, new RecordRetention.DisposeRequest(
            "保存期满 36 个月，经 2026 年度记录评审批准销毁 / 36-month retention over, disposal approved at the 2026 records review", true), ct));
        var supplier = (await register.FindByCodeAsync("D-04", ct))!;
        Must(await retention.HoldAsync(supplier.Id, supplier.Version, new RecordRetention.HoldRequest(
            "与光纤线路供应商的合同争议仲裁中，相关记录须保留至结案 / contract dispute with the fibre carrier in arbitration: keep every record until it is settled"), ct));
    }

    private static T Must<T>(Kernel.Errors.Outcome<T> outcome) =>
        outcome.Succeeded
            ? outcome.Value!
            : throw new InvalidOperationException("Demo retention could not be loaded: " + outcome.Failure!.Message + " " +
                string.Join("; ", outcome.Failure.Fields?.Select(f => $"{f.Key}: {string.Join(' ', f.Value)}") ?? []));
}
