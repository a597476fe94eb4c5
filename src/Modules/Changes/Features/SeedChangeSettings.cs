using System.Text.Json;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Changes.Features;

/// <summary>
/// On first start: the change advisory board (CAB members; every member must approve) and the emergency CAB (change
/// managers; one approval suffices), a five-question risk questionnaire, and three standard-change templates an IDC
/// runs every week. Change managers change all of it afterwards.
/// </summary>
public sealed class SeedChangeSettings(Database database, AuditTrail audit, TimeProvider clock) : IStartupSeed
{
    private static readonly (string Key, string En, string Zh, (string Key, string En, string Zh, int Score)[] Answers)[] Questions =
    [
        ("services", "How many business services does the change touch?", "变更涉及多少项业务服务？",
            [("none", "None", "无", 0), ("one", "One", "一项", 1), ("several", "Several", "多项", 3)]),
        ("customers", "Will customers notice the change while it is carried out?", "实施期间客户是否会感知到变更？",
            [("no", "No", "不会", 0), ("degraded", "Degraded service", "服务降级", 2), ("outage", "Service outage", "服务中断", 4)]),
        ("experience", "Has this kind of change been done successfully before?", "此类变更以前是否成功实施过？",
            [("often", "Often", "经常", 0), ("once", "Once or twice", "一两次", 1), ("never", "Never", "从未", 3)]),
        ("backout", "How easily can the change be backed out?", "变更回退的难易程度？",
            [("easy", "Easily, within minutes", "容易，数分钟内", 0), ("hours", "Within hours", "数小时内", 2), ("hard", "Hard or not at all", "困难或无法回退", 4)]),
        ("tested", "Has the change been tested in a test environment?", "变更是否已在测试环境验证？",
            [("yes", "Yes, fully", "已完整测试", 0), ("partly", "Partly", "部分测试", 1), ("no", "No", "未测试", 3)]),
    ];

    private static readonly (string Name, string Description, string Implementation, string Backout, string Test)[] Templates =
    [
        ("Add a customer to an existing rack power circuit / 为现有机柜增加客户电源回路",
            "Connect a new customer device to a rack PDU with spare, rated capacity. 将客户设备接入有余量的机柜PDU。",
            "1. Check the PDU load is below 60%.\n2. Connect the device to a free outlet.\n3. Label the cable and update the CMDB.",
            "Disconnect the device and remove the label.", "Read the PDU load after connecting; confirm the device powers on."),
        ("Open a firewall port for a customer service / 为客户业务开放防火墙端口",
            "A single inbound port to a single customer host, requested by the customer through sales. 经销售提交的单端口、单主机开放请求。",
            "1. Add the rule to the customer's zone.\n2. Save and push the policy.\n3. Record the rule id on the change.",
            "Delete the rule and push the policy again.", "Test the port from outside with the customer on the phone."),
        ("Monthly operating system patching (non-production) / 非生产环境月度补丁",
            "Vendor security patches on test and staging hosts in the maintenance window. 维护窗口内为测试与预生产主机安装厂商安全补丁。",
            "1. Snapshot each VM.\n2. Apply the patches.\n3. Reboot and check services.",
            "Revert to the snapshot.", "Run the smoke test of each hosted application."),
    ];

    public async Task SeedAsync(CancellationToken ct)
    {
        await using (var connection = await database.OpenAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM chg_boards", cancellationToken: ct)) > 0)
            {
                return;
            }
        }
        var now = clock.GetUtcNow();
        await database.WriteAsync(async (connection, tx) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO chg_boards (id, key, name_en, name_zh, member_role, approval_mode, quorum, updated_at, version) VALUES
                    (@cab, 'cab', 'Change advisory board', '变更咨询委员会', @cabRole, 'all', 0, @now, 1),
                    (@ecab, 'ecab', 'Emergency change advisory board', '紧急变更咨询委员会', @ecabRole, 'any', 0, @now, 1)
                """,
                new { cab = Guid.CreateVersion7(), ecab = Guid.CreateVersion7(), cabRole = Roles.CabMember, ecabRole = Roles.ChangeManager, now }, tx, cancellationToken: ct));
            var position = 10;
            foreach (var (key, en, zh, answers) in Questions)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO chg_risk_questions (id, key, position, text_en, text_zh, answers, active, updated_at, version) VALUES (@id, @key, @position, @en, @zh, @answers, @yes, @now, 1)",
                    new
                    {
                        id = Guid.CreateVersion7(), key, position, en, zh, yes = true, now,
                        answers = JsonSerializer.Serialize(answers.Select(a => new RiskAnswer(a.Key, a.En, a.Zh, a.Score)), ChangeView.Json),
                    }, tx, cancellationToken: ct));
                position += 10;
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO chg_settings (key, value, updated_at) VALUES ('risk-scale', @value, @now)",
                new { value = JsonSerializer.Serialize(Domain.RiskScale.Default, ChangeView.Json), now }, tx, cancellationToken: ct));
            foreach (var (name, description, implementation, backout, test) in Templates)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO chg_templates (id, name, description, risk_level, implementation_plan, backout_plan, test_plan, active, created_at, updated_at, version)
                    VALUES (@id, @name, @description, 'low', @implementation, @backout, @test, @yes, @now, @now, 1)
                    """, new { id = Guid.CreateVersion7(), name, description, implementation, backout, test, yes = true, now }, tx, cancellationToken: ct));
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(ChangeSettings.RecordType, "defaults", "seeded", null,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["boards"] = "cab (all cab-member), ecab (any change-manager)",
                    ["riskQuestions"] = Questions.Length,
                    ["templates"] = Templates.Length,
                })), ct);
            return true;
        }, ct);
    }
}
