using Certus.Data;
using Certus.Kernel.Modules;
using Dapper;
using A = Certus.Configuration.Features.CiClasses.AttributeRequest;

namespace Certus.Configuration.Features;

/// <summary>
/// On first start, the class model an IT service provider starts from (配置项分类定义表, manual §8.1.1): business
/// services down to racks, data centres and power, licences, documents and contracts, with the usual relationship
/// types and which classes they join. Configuration managers change it afterwards like any other record.
/// </summary>
public sealed class SeedConfigurationModel(Database database, CiClasses classes, RelationshipTypes types) : IStartupSeed
{
    private static readonly string[] HostnameHint = ["Host name: letters, digits, '-', '.' or '_', no spaces (e.g. sh-web-01)", "主机名：字母、数字、“-”“.”“_”，不含空格（如 sh-web-01）"];
    private const string Hostname = "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$";

    public async Task SeedAsync(CancellationToken ct)
    {
        await using (var connection = await database.OpenAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM cmdb_classes", cancellationToken: ct)) > 0)
            {
                return;
            }
        }
        var ids = new Dictionary<string, Guid>(StringComparer.Ordinal);
        async Task Class(string key, string? parent, string en, string zh, string prefix, string? pattern, string[]? hint, params A[] attributes)
        {
            var outcome = await classes.CreateAsync(new CiClasses.Request(
                key, parent is null ? null : ids[parent], en, zh, "", prefix, pattern, hint?[0], hint?[1], attributes), ct);
            ids[key] = outcome.Succeeded ? outcome.Value!.Id : throw new InvalidOperationException($"Seeding CI class {key} failed: {outcome.Failure!.Message}");
        }
        static A Text(string key, string en, string zh, bool required = false) => new(key, en, zh, "text", required);
        static A Number(string key, string en, string zh) => new(key, en, zh, "number");
        static A Date(string key, string en, string zh, bool required = false) => new(key, en, zh, "date", required);
        static A Enum(string key, string en, string zh, params string[] options) => new(key, en, zh, "enum", false, options);

        await Class("business-service", null, "Business service", "业务服务", "BSV", null, null);
        await Class("application", null, "Application", "应用系统", "APP", null, null,
            Text("vendor", "Vendor", "厂商"), Enum("environment", "Environment", "环境", "production", "staging", "test", "development"), Text("url", "URL", "访问地址"));
        await Class("database", null, "Database", "数据库", "DB", null, null,
            Enum("engine", "Engine", "数据库类型", "MySQL", "PostgreSQL", "Oracle", "SQL Server", "DM", "KingbaseES", "Other"), Number("port", "Port", "端口"));
        await Class("hardware", null, "Hardware", "硬件设备", "HW", null, null,
            Text("manufacturer", "Manufacturer", "制造商"), Text("model", "Model", "型号"), Text("serialNumber", "Serial number", "序列号"),
            Date("warrantyEnds", "Warranty ends", "保修截止"));
        await Class("server", "hardware", "Server", "服务器", "SRV", Hostname, HostnameHint,
            Number("cpuCores", "CPU cores", "CPU 核数"), Number("memoryGb", "Memory (GB)", "内存（GB）"), Text("operatingSystem", "Operating system", "操作系统"),
            Text("managementIp", "Management IP", "管理 IP"));
        await Class("network-device", "hardware", "Network device", "网络设备", "NET", Hostname, HostnameHint,
            Enum("deviceType", "Device type", "设备类型", "switch", "router", "firewall", "load-balancer", "wireless"), Text("managementIp", "Management IP", "管理 IP"),
            Number("ports", "Ports", "端口数"));
        await Class("storage", "hardware", "Storage", "存储设备", "STO", Hostname, HostnameHint, Number("capacityTb", "Capacity (TB)", "容量（TB）"));
        await Class("virtual-machine", null, "Virtual machine", "虚拟机", "VM", Hostname, HostnameHint,
            Number("cpuCores", "vCPUs", "虚拟 CPU"), Number("memoryGb", "Memory (GB)", "内存（GB）"), Text("operatingSystem", "Operating system", "操作系统"),
            Text("ipAddress", "IP address", "IP 地址"));
        await Class("data-centre", null, "Data centre", "数据中心", "DC", null, null,
            Text("address", "Address", "地址"), Enum("tier", "Tier", "等级", "Tier I", "Tier II", "Tier III", "Tier IV"));
        await Class("rack", null, "Rack", "机柜", "RCK", "^[A-Za-z0-9]+(-[A-Za-z0-9]+)+$",
            ["Room-row-position, e.g. A1-03-12", "机房-列-位置，如 A1-03-12"], Number("units", "Units (U)", "高度（U）"), Number("powerKw", "Power (kW)", "功率（kW）"));
        await Class("facility", null, "Power and cooling facility", "动力环境设施", "FAC", null, null,
            Enum("kind", "Kind", "类型", "UPS", "PDU", "generator", "precision air conditioning", "chiller", "transformer"), Number("capacityKva", "Capacity (kVA)", "容量（kVA）"));
        await Class("licence", null, "Licence", "许可证", "LIC", null, null,
            Text("vendor", "Vendor", "厂商", required: true), Number("seats", "Seats", "授权数"), Date("expiresOn", "Expires on", "到期日"));
        await Class("document", null, "Document", "文档", "DOC", null, null,
            Text("documentNumber", "Document number", "文件编号"), Text("storedAt", "Stored at", "存放位置"));
        await Class("contract", null, "Contract", "合同", "CTR", null, null,
            Text("supplier", "Supplier", "供应商", required: true), Date("startsOn", "Starts on", "生效日期"), Date("endsOn", "Ends on", "到期日期"));

        async Task Type(string key, string en, string zh, string inverseEn, string inverseZh, string impact, bool acyclic, params (string? Source, string? Target)[] rules)
        {
            var outcome = await types.CreateAsync(new RelationshipTypes.Request(key, en, zh, inverseEn, inverseZh, impact, acyclic,
                [.. rules.Select(r => new RelationshipTypes.RuleRequest(r.Source is null ? null : ids[r.Source], r.Target is null ? null : ids[r.Target]))]), ct);
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException($"Seeding relationship type {key} failed: {outcome.Failure!.Message}");
            }
        }

        await Type("runs-on", "runs on", "运行于", "runs", "运行", "source", true,
            ("application", "server"), ("application", "virtual-machine"), ("database", "server"), ("database", "virtual-machine"), ("virtual-machine", "server"));
        await Type("depends-on", "depends on", "依赖于", "is needed by", "被依赖于", "source", true,
            ("business-service", null), ("application", "application"), ("application", "database"), ("application", "network-device"),
            ("application", "storage"), ("database", "storage"));
        await Type("hosted-in", "is hosted in", "安装于", "hosts", "安装有", "source", true,
            ("hardware", "rack"), ("facility", "rack"), ("hardware", "data-centre"), ("rack", "data-centre"), ("facility", "data-centre"));
        await Type("connected-to", "is connected to", "连接到", "connects", "连接", "source", false,
            ("hardware", "network-device"), ("virtual-machine", "network-device"));
        await Type("uses", "uses", "使用", "is used by", "被使用于", "source", false,
            ("application", "database"), ("application", "storage"), ("business-service", "application"));
        await Type("powered-by", "is powered by", "供电自", "powers", "供电给", "source", true,
            ("rack", "facility"), ("hardware", "facility"), ("facility", "facility"));
        await Type("part-of", "is part of", "属于", "consists of", "包含", "target", true,
            ("hardware", "hardware"), ("application", "application"), ("business-service", "business-service"));
        await Type("backed-up-by", "is backed up by", "备份于", "backs up", "备份", "none", false,
            ("application", "storage"), ("database", "storage"), ("server", "storage"), ("virtual-machine", "storage"));
        await Type("licensed-by", "is licensed by", "授权自", "licenses", "授权", "none", false,
            ("application", "licence"), ("database", "licence"), ("hardware", "licence"), ("virtual-machine", "licence"));
        await Type("covered-by", "is covered by", "受合同保障", "covers", "保障", "none", false, (null, "contract"));
        await Type("documented-in", "is documented in", "记录于", "documents", "记录", "none", false, (null, "document"));
    }
}
