using Certus.Data.Search;

namespace Certus.Bench;

/// <summary>
/// Deterministic incidents for benchmarks: the same seed gives the same million rows, in Chinese and English,
/// with a realistic mix of statuses, priorities and ages, and one reply each.
/// </summary>
public sealed class IncidentGenerator(int seed = 20261121)
{
    private static readonly string[] ZhSubjects = ["核心交换机", "防火墙", "负载均衡器", "数据库服务器", "存储阵列", "虚拟机", "UPS 电源", "精密空调", "VPN 隧道", "邮件网关", "DNS 服务", "备份任务", "监控代理", "客户门户", "CDN 节点"];
    private static readonly string[] ZhProblems = ["故障", "无法访问", "响应缓慢", "告警", "频繁重启", "磁盘空间不足", "证书过期", "丢包严重", "配置错误", "连接中断"];
    private static readonly string[] EnSubjects = ["Core switch", "Firewall", "Load balancer", "Database server", "Storage array", "Virtual machine", "UPS", "Cooling unit", "VPN tunnel", "Mail gateway", "DNS service", "Backup job", "Monitoring agent", "Customer portal", "CDN node"];
    private static readonly string[] EnProblems = ["down", "unreachable", "slow", "alarm", "rebooting", "disk full", "certificate expired", "packet loss", "misconfigured", "connection lost"];
    private static readonly string[] Sites = ["A", "B", "C", "D"];
    private static readonly string[] Open = ["new", "assigned", "in-progress", "pending"];
    private static readonly string[] Levels = ["high", "medium", "low"];

    public sealed record Row(
        Guid Id, long Number, Guid OrganisationId, string CallerName, string Channel, string Title, string Description, string Impact, string Urgency,
        int Priority, string Status, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt, string Reply, string Doc);

    public IEnumerable<Row> Rows(long firstNumber, long count, IReadOnlyList<Guid> organisations, DateTimeOffset now)
    {
        var random = new Random(seed + (int)(firstNumber % 1_000_003));
        for (var n = firstNumber; n < firstNumber + count; n++)
        {
            var chinese = random.Next(2) == 0;
            var s = random.Next(ZhSubjects.Length);
            var p = random.Next(ZhProblems.Length);
            var site = Sites[random.Next(Sites.Length)];
            var device = $"{random.Next(1, 40):00}";
            var title = chinese ? $"{site} 区{ZhSubjects[s]} {device} {ZhProblems[p]}" : $"{EnSubjects[s]} {device} in hall {site} {EnProblems[p]}";
            var description = chinese
                ? $"监控在 {random.Next(24):00}:{random.Next(60):00} 报告 {ZhSubjects[s]}{device} {ZhProblems[p]}，影响客户业务。"
                : $"Monitoring reported {EnSubjects[s]} {device} {EnProblems[p]} at {random.Next(24):00}:{random.Next(60):00}; customer services affected.";
            var reply = chinese ? "工程师已到场处理，稍后更新进展。" : "An engineer is on site; we will update you shortly.";
            var impact = Levels[random.Next(3)];
            var urgency = Levels[random.Next(3)];
            var priority = Certus.Incidents.Domain.PriorityMatrix.Default.PriorityOf(
                Certus.Incidents.Domain.IncidentNames.ParseLevel(impact)!.Value, Certus.Incidents.Domain.IncidentNames.ParseLevel(urgency)!.Value);
            var created = now.AddMinutes(-random.Next(2 * 365 * 24 * 60));
            var roll = random.Next(100);
            var status = roll < 30 ? Open[random.Next(Open.Length)] : roll < 45 ? "resolved" : "closed";
            var resolved = status is "resolved" or "closed" ? created.AddMinutes(random.Next(10, 5000)) : (DateTimeOffset?)null;
            var number = new Certus.Incidents.Contracts.IncidentNumber(n).ToString();
            yield return new Row(
                new Guid(random.Next(), (short)random.Next(short.MaxValue), (short)random.Next(short.MaxValue), [.. Enumerable.Range(0, 8).Select(_ => (byte)random.Next(256))]),
                n, organisations[random.Next(organisations.Count)], chinese ? "值班监控" : "NOC", "monitoring", title, description, impact, urgency, priority,
                status, created, resolved, reply, SearchText.Document(number, title, description, reply));
        }
    }
}
