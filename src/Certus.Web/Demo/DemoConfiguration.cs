using System.Text.Json;
using Certus.Configuration.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;

namespace Certus.Web.Demo;

/// <summary>
/// The demo IDC's CMDB: the Shanghai data centre with its power chain, a two-tier network, hosts, storage, VMs,
/// databases and applications, and the three business services, all registered in use under the change that
/// initialised the CMDB (manual §8.1.2 配置管理数据库初始化).
/// </summary>
internal static class DemoConfiguration
{
    /// <summary>Registers the CMDB under <paramref name="initialChange"/>, the authorised change of its initial load.</summary>
    public static async Task LoadAsync(IServiceProvider sp, string initialChange, CancellationToken ct)
    {
        var directory = sp.GetRequiredService<IDirectory>();
        var organisations = await directory.OrganisationsAsync(ct);
        var securities = organisations.First(o => o.Name.Contains("East China", StringComparison.Ordinal)).Id;
        var shop = organisations.First(o => o.Name.Contains("Mingyuan", StringComparison.Ordinal)).Id;
        var staff = await directory.StaffAsync([Roles.ConfigurationManager, Roles.Technician], ct);
        var owner = staff.First(u => u.Email.StartsWith("zhao.min", StringComparison.Ordinal)).Id;
        var support = (await directory.ProviderGroupsAsync(ct)).First(g => g.Name.StartsWith("技术支持部", StringComparison.Ordinal)).Id;
        var items = sp.GetRequiredService<ConfigurationItems>();
        var relationships = sp.GetRequiredService<Relationships>();
        var ids = new Dictionary<string, Guid>(StringComparer.Ordinal);

        async Task Ci(string name, string cls, string location, string criticality, object? attributes = null, Guid[]? customers = null,
            string? serviceCode = null, string version = "", string status = "in-use")
        {
            var values = JsonSerializer.SerializeToElement(attributes ?? new { }).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
            var outcome = await items.RegisterAsync(new ConfigurationItems.Request(name, cls, status, owner, support, location, version, criticality, "",
                serviceCode, customers, values, initialChange, "CMDB 初始化 Initial CMDB load"), ct);
            ids[name] = outcome.Succeeded ? outcome.Value!.Id : throw new InvalidOperationException($"Demo CI {name}: {outcome.Failure!.Message} {string.Join("; ", outcome.Failure.Fields?.SelectMany(f => f.Value) ?? [])}");
        }

        async Task Relate(string source, string type, string target)
        {
            var outcome = await relationships.AddAsync(new Relationships.Request(ids[source], ids[target], type, initialChange), ct);
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException($"Demo relationship {source} {type} {target}: {outcome.Failure!.Message}");
            }
        }

        await Ci("星河上海数据中心 Xinghe Shanghai DC", "data-centre", "上海市浦东新区张江路 88 号", "critical", new { address = "上海市浦东新区张江路 88 号", tier = "Tier III" });
        await Ci("A-01-01", "rack", "上海 A 区", "high", new { units = 42, powerKw = 8 });
        await Ci("B-07-12", "rack", "上海 B 区", "high", new { units = 42, powerKw = 10 });
        await Ci("B-07-13", "rack", "上海 B 区", "high", new { units = 42, powerKw = 10 });
        await Ci("UPS-B1", "facility", "上海 B 区配电室", "critical", new { kind = "UPS", capacityKva = 400 });
        await Ci("PDU-B07-A", "facility", "上海 B 区 07 列", "high", new { kind = "PDU", capacityKva = 22 });
        await Ci("SW-CORE-01", "network-device", "上海 A-01-01", "critical", new { deviceType = "switch", manufacturer = "Huawei", model = "CE12808", ports = 384 });
        await Ci("SW-CORE-02", "network-device", "上海 A-01-01", "critical", new { deviceType = "switch", manufacturer = "Huawei", model = "CE12808", ports = 384 });
        await Ci("SW-ACC-B07", "network-device", "上海 B-07-12", "high", new { deviceType = "switch", manufacturer = "H3C", model = "S6850", ports = 48 });
        await Ci("FW-EDGE-01", "network-device", "上海 A-01-01", "critical", new { deviceType = "firewall", manufacturer = "Hillstone", model = "X7180" });
        await Ci("web01", "server", "上海 B-07-12 U10", "high", new { manufacturer = "Inspur", model = "NF5280M6", cpuCores = 64, memoryGb = 256, operatingSystem = "openEuler 22.03" }, version: "BIOS 4.1");
        await Ci("web02", "server", "上海 B-07-12 U12", "high", new { manufacturer = "Inspur", model = "NF5280M6", cpuCores = 64, memoryGb = 256, operatingSystem = "openEuler 22.03" }, version: "BIOS 4.1");
        await Ci("db01", "server", "上海 B-07-13 U20", "critical", new { manufacturer = "Huawei", model = "2288H V6", cpuCores = 96, memoryGb = 1024, operatingSystem = "Kylin V10" });
        await Ci("esx-b07-01", "server", "上海 B-07-13 U30", "high", new { manufacturer = "Dell", model = "R750", cpuCores = 128, memoryGb = 1024, operatingSystem = "VMware ESXi 8.0" });
        await Ci("san-b-01", "storage", "上海 B-07-13 U36", "high", new { manufacturer = "Huawei", model = "OceanStor 5310", capacityTb = 480 });
        await Ci("vm-trade-gw-01", "virtual-machine", "esx-b07-01", "critical", new { cpuCores = 16, memoryGb = 64, operatingSystem = "CentOS 7.9", ipAddress = "10.8.1.20" }, [securities]);
        await Ci("vm-portal-01", "virtual-machine", "esx-b07-01", "medium", new { cpuCores = 4, memoryGb = 16, operatingSystem = "Ubuntu 22.04", ipAddress = "10.8.2.15" });
        await Ci("交易库 trade-db", "database", "db01", "critical", new { engine = "PostgreSQL", port = 5432 }, [securities], version: "15.6");
        await Ci("商城库 shop-db", "database", "db01", "high", new { engine = "MySQL", port = 3306 }, [shop], version: "8.0.36");
        await Ci("交易网关 Trading gateway", "application", "vm-trade-gw-01", "critical", new { vendor = "华东证券", environment = "production" }, [securities], version: "3.2.1");
        await Ci("明远商城 Mingyuan web shop", "application", "web01, web02", "high", new { vendor = "明远电商", environment = "production", url = "https://shop.mingyuan.example" }, [shop], version: "2026.11");
        await Ci("托管服务 Colocation", "business-service", "上海", "critical", serviceCode: "COLO");
        await Ci("灾备专线 Disaster-recovery link", "business-service", "上海—北京", "critical", serviceCode: "DR-LINK");
        await Ci("CDN 带宽 CDN bandwidth", "business-service", "全国", "high", serviceCode: "CDN");
        await Ci("VMware vSphere Enterprise Plus", "licence", "商务部", "medium", new { vendor = "VMware", seats = 8, expiresOn = "2027-03-31" });
        await Ci("华为设备维保合同 2026 Huawei support contract", "contract", "商务部", "medium", new { supplier = "华为技术有限公司", startsOn = "2026-01-01", endsOn = "2026-12-31" });

        foreach (var rack in new[] { "A-01-01", "B-07-12", "B-07-13" })
        {
            await Relate(rack, "hosted-in", "星河上海数据中心 Xinghe Shanghai DC");
        }
        await Relate("UPS-B1", "hosted-in", "星河上海数据中心 Xinghe Shanghai DC");
        await Relate("PDU-B07-A", "powered-by", "UPS-B1");
        await Relate("B-07-12", "powered-by", "PDU-B07-A");
        await Relate("B-07-13", "powered-by", "PDU-B07-A");
        foreach (var device in new[] { "SW-CORE-01", "SW-CORE-02", "FW-EDGE-01" })
        {
            await Relate(device, "hosted-in", "A-01-01");
        }
        await Relate("SW-ACC-B07", "hosted-in", "B-07-12");
        await Relate("SW-ACC-B07", "connected-to", "SW-CORE-01");
        await Relate("SW-ACC-B07", "connected-to", "SW-CORE-02");
        await Relate("FW-EDGE-01", "connected-to", "SW-CORE-01");
        foreach (var (box, rack) in new[] { ("web01", "B-07-12"), ("web02", "B-07-12"), ("db01", "B-07-13"), ("esx-b07-01", "B-07-13"), ("san-b-01", "B-07-13") })
        {
            await Relate(box, "hosted-in", rack);
            await Relate(box, "connected-to", "SW-ACC-B07");
        }
        await Relate("vm-trade-gw-01", "runs-on", "esx-b07-01");
        await Relate("vm-portal-01", "runs-on", "esx-b07-01");
        await Relate("vm-trade-gw-01", "licensed-by", "VMware vSphere Enterprise Plus");
        await Relate("交易库 trade-db", "runs-on", "db01");
        await Relate("商城库 shop-db", "runs-on", "db01");
        await Relate("交易库 trade-db", "backed-up-by", "san-b-01");
        await Relate("交易网关 Trading gateway", "runs-on", "vm-trade-gw-01");
        await Relate("交易网关 Trading gateway", "uses", "交易库 trade-db");
        await Relate("交易网关 Trading gateway", "depends-on", "FW-EDGE-01");
        await Relate("明远商城 Mingyuan web shop", "runs-on", "web01");
        await Relate("明远商城 Mingyuan web shop", "runs-on", "web02");
        await Relate("明远商城 Mingyuan web shop", "uses", "商城库 shop-db");
        await Relate("托管服务 Colocation", "depends-on", "B-07-12");
        await Relate("托管服务 Colocation", "depends-on", "B-07-13");
        await Relate("托管服务 Colocation", "depends-on", "SW-CORE-01");
        await Relate("灾备专线 Disaster-recovery link", "depends-on", "交易网关 Trading gateway");
        await Relate("灾备专线 Disaster-recovery link", "depends-on", "FW-EDGE-01");
        await Relate("CDN 带宽 CDN bandwidth", "depends-on", "明远商城 Mingyuan web shop");
        foreach (var box in new[] { "db01", "SW-CORE-01", "SW-CORE-02", "san-b-01" })
        {
            await Relate(box, "covered-by", "华为设备维保合同 2026 Huawei support contract");
        }

        var baselines = sp.GetRequiredService<Baselines>();
        var baseline = await baselines.CreateAsync(new Baselines.Request("2026 年度配置基线 Annual baseline 2026",
            "CMDB 初始化后的三项业务服务及其全部依赖。The three business services and everything they depend on, after the initial load.",
            [ids["托管服务 Colocation"], ids["灾备专线 Disaster-recovery link"], ids["CDN 带宽 CDN bandwidth"]]), ct);
        if (!baseline.Succeeded)
        {
            throw new InvalidOperationException($"Demo baseline: {baseline.Failure!.Message}");
        }
    }
}
