using Certus.Data;
using Certus.Kernel.Modules;
using Dapper;

namespace Certus.Documents.Features;

/// <summary>
/// The manual's document list (manual §10 "输出的文件" and the procedures and forms it names elsewhere) as stubs in the
/// register: one draft each with an outline an organisation fills in. Seeded once per document, by its starter key,
/// so a renamed or edited stub is never touched again and a deleted one cannot exist (documents are never deleted).
/// </summary>
public sealed class SeedStarterDocuments(Database database, DocumentRegister register, DocumentWorkflow workflow) : IStartupSeed
{
    /// <summary>A starter document: code, tier, titles, clauses of the 2018 edition and, for records, months kept.</summary>
    public sealed record Starter(string Code, string Tier, string En, string Zh, string[] Clauses, int? RetentionMonths = null);

    public static readonly IReadOnlyList<Starter> All =
    [
        new("A-01", "A", "IT service management manual", "IT服务管理手册", ["4.3", "4.4", "5.2", "5.3", "6.3", "7.5.4"]),
        new("B-01", "B", "Service planning procedure", "服务策划管理程序", ["6.3", "8.2.2", "8.5.2"]),
        new("B-02", "B", "Service level management procedure", "服务级别管理程序", ["8.2.4", "8.3.3"]),
        new("B-03", "B", "Availability and IT service continuity procedure", "可用性与IT服务持续性管理程序", ["8.7.1", "8.7.2"]),
        new("B-04", "B", "IT financial management procedure", "IT财务管理程序", ["8.4.1"]),
        new("B-05", "B", "Capacity management procedure", "容量管理程序", ["8.4.2", "8.4.3"]),
        new("B-06", "B", "Business relationship management procedure", "业务关系管理程序", ["8.3.1", "8.3.2"]),
        new("B-07", "B", "Incident management procedure", "事件管理程序", ["8.6.1", "8.6.2"]),
        new("B-08", "B", "Problem management procedure", "问题管理程序", ["8.6.3"]),
        new("B-09", "B", "Configuration management procedure", "配置管理程序", ["8.2.5", "8.2.6"]),
        new("B-10", "B", "Change management procedure", "变更管理程序", ["8.5.1"]),
        new("B-11", "B", "Release management procedure", "发布管理程序", ["8.5.3"]),
        new("B-12", "B", "Corrective and preventive action procedure", "纠正和预防措施控制程序", ["10.1", "10.2"]),
        new("B-13", "B", "Document control procedure", "文件控制程序", ["7.5.1", "7.5.2", "7.5.3"]),
        new("B-14", "B", "Record control procedure", "记录控制程序", ["7.5.3"]),
        new("B-15", "B", "Internal audit procedure", "内部审核程序", ["9.2"]),
        new("B-16", "B", "Management review procedure", "管理评审程序", ["9.3"]),
        new("B-17", "B", "Human resources procedure", "人力资源管理程序", ["7.1", "7.2", "7.3"]),
        new("B-18", "B", "Supplier management procedure", "供应商管理程序", ["8.3.4"]),
        new("B-19", "B", "Customer satisfaction measurement procedure", "客户满意度测量程序", ["8.3.2", "9.1"]),
        new("B-20", "B", "Service quality improvement procedure", "服务质量改进程序", ["6.2", "10.2"]),
        new("C-01", "C", "Information security management manual", "信息安全管理手册", ["8.7.3"]),
        new("C-02", "C", "Complaint handling workflow", "投诉受理流程", ["8.3.2"]),
        new("C-03", "C", "Customer service guide", "客户服务指导手册", ["7.6", "8.6.1"]),
        new("C-04", "C", "Service level agreement template", "服务级别协议", ["8.3.3"]),
        new("C-05", "C", "Capacity plan", "容量管理计划", ["8.4.3"]),
        new("C-06", "C", "Availability and IT service continuity plan", "可用性与IT服务持续性计划", ["8.7.1", "8.7.2"]),
        new("C-07", "C", "Configuration management plan", "配置管理计划", ["8.2.6"]),
        new("C-08", "C", "Release plan", "发布计划", ["8.5.3"]),
        new("C-09", "C", "CI classification table", "配置项分类定义表", ["8.2.6"]),
        new("D-01", "D", "Monthly service quality analysis report", "月度服务质量分析报告", ["9.1", "9.4"], 36),
        new("D-02", "D", "Configuration item report", "配置项管理报告", ["8.2.6"], 36),
        new("D-03", "D", "Approved supplier list", "合格供应商名单", ["8.3.4.1"], 36),
        new("D-04", "D", "Supplier cooperation review report", "供应商合作分析报告", ["8.3.4.1"], 36),
        new("D-05", "D", "CMDB initialisation form", "配置管理数据库初始化表单", ["8.2.6"], 36),
    ];

    private const string Outline =
        "## 1 目的 Purpose\n\n（填写 / to fill in）\n\n## 2 范围 Scope\n\n## 3 职责 Responsibilities\n\n## 4 程序 Procedure\n\n## 5 相关文件 Related documents\n\n## 6 记录 Records\n";

    public async Task SeedAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var present = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT starter_key FROM doc_documents WHERE starter_key IS NOT NULL", cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        foreach (var s in All.Where(s => !present.Contains(s.Code)))
        {
            var created = await register.CreateAsync(new DocumentRegister.Request(s.Code, s.Tier, s.En, s.Zh, null, s.Clauses, 12, s.RetentionMonths), s.Code, ct);
            if (created.Value is { } doc)
            {
                await workflow.StartVersionAsync(doc.Id, doc.Version, new DocumentWorkflow.DraftRequest("0.1", Outline, "Starter outline / 初始大纲"), ct);
            }
        }
    }
}
