using Certus.Data;
using Certus.Identity.Contracts;
using Certus.Identity.Features;
using Certus.Kernel.Security;
using Certus.Kernel.Localization;
using Dapper;

namespace Certus.Web.Demo;

/// <summary>
/// A fictional IDC operator modelled on the company in the seed manual (003): its departments, a user for
/// every role, and two customer organisations with their users. Loading twice changes nothing.
/// </summary>
public static class DemoData
{
    public const string Password = "Certus-demo-2026";
    public const string ProviderName = "星河云数据科技有限公司 Xinghe Cloud Data";
    private const string Domain = "xinghe-idc.example";

    private static readonly (string Name, string Description)[] Departments =
    [
        ("服务台 Service Desk", "7×24 值守，受理事件与服务请求 / 24×7 duty desk for incidents and requests"),
        ("客户服务部 Customer Service", "服务级别、业务关系与服务报告 / service levels, business relationship, reporting"),
        ("技术支持部 Technical Support", "二线支持，网络、主机、存储 / second-line support for network, hosts, storage"),
        ("资源部 Resources", "机房、带宽与运营商资源 / data-centre space, bandwidth and carriers"),
        ("商务部 Procurement", "供应商与采购 / suppliers and purchasing"),
        ("销售部 Sales", "客户合同与变更需求 / customer contracts and change requests"),
        ("财务部 Finance", "IT 服务预算与核算 / IT service budgeting and accounting"),
        ("人事行政部 HR and Administration", "培训与能力记录 / training and competence records"),
        ("IT服务委员会 IT Service Committee", "管理评审与体系决策 / management review and SMS decisions"),
    ];

    private static readonly (string Email, string Name, string Role, string Department, string Culture)[] Staff =
    [
        ("wu.gang", "吴刚 Wu Gang", Roles.ManagementRepresentative, "IT服务委员会 IT Service Committee", Cultures.Chinese),
        ("sun.li", "孙丽 Sun Li", Roles.Administrator, "客户服务部 Customer Service", Cultures.Chinese),
        ("wang.fang", "王芳 Wang Fang", Roles.ServiceDeskAgent, "服务台 Service Desk", Cultures.Chinese),
        ("li.na", "李娜 Li Na", Roles.ServiceDeskAgent, "服务台 Service Desk", Cultures.English),
        ("zhang.wei", "张伟 Zhang Wei", Roles.Technician, "技术支持部 Technical Support", Cultures.Chinese),
        ("liu.yang", "刘洋 Liu Yang", Roles.ProblemManager, "技术支持部 Technical Support", Cultures.Chinese),
        ("chen.jing", "陈静 Chen Jing", Roles.ChangeManager, "技术支持部 Technical Support", Cultures.Chinese),
        ("yang.lei", "杨磊 Yang Lei", Roles.CabMember, "资源部 Resources", Cultures.Chinese),
        ("zhao.min", "赵敏 Zhao Min", Roles.ConfigurationManager, "技术支持部 Technical Support", Cultures.Chinese),
        ("huang.qiang", "黄强 Huang Qiang", Roles.ServiceLevelManager, "客户服务部 Customer Service", Cultures.Chinese),
        ("zhou.ting", "周婷 Zhou Ting", Roles.Auditor, "人事行政部 HR and Administration", Cultures.English),
    ];

    private static readonly (string Name, string Domain, string Description, (string Email, string Name, string Culture)[] Users)[] Customers =
    [
        ("华东证券股份有限公司 East China Securities", "ecsec.example", "托管核心交易系统与灾备机柜 / hosts core trading and DR racks",
            [("zheng.hua", "郑华 Zheng Hua", Cultures.Chinese), ("qian.bo", "钱波 Qian Bo", Cultures.Chinese)]),
        ("明远电商有限公司 Mingyuan E-commerce", "mingyuan.example", "云主机与 CDN 带宽 / cloud hosts and CDN bandwidth",
            [("feng.xue", "冯雪 Feng Xue", Cultures.English)]),
    ];

    public static async Task LoadAsync(IServiceProvider services, TextWriter log, CancellationToken ct = default)
    {
        var database = services.GetRequiredService<Database>();
        await using (var connection = await database.OpenAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM idn_users WHERE email = @email", new { email = $"wang.fang@{Domain}" }, cancellationToken: ct)) > 0)
            {
                await log.WriteLineAsync("Demo data is already loaded.");
                return;
            }
        }

        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider.ActAsSystem();
        var organisations = sp.GetRequiredService<CreateOrganisation>();
        var update = sp.GetRequiredService<UpdateOrganisation>();
        var groups = sp.GetRequiredService<CreateGroup>();
        var users = sp.GetRequiredService<CreateUser>();

        var provider = (await sp.GetRequiredService<GetOrganisation>().ListAsync(OrganisationKinds.Provider, null, Kernel.PageRequest.From(1, 1), ct)).Items.Single();
        Must(await update.HandleAsync(provider.Id, provider.Version,
            new UpdateOrganisation.Request(ProviderName, "IDC 运营商：机房托管、带宽、云主机与运维服务 / IDC operator: colocation, bandwidth, cloud hosts, managed services", "demo data"), ct));

        var departmentIds = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var (name, description) in Departments)
        {
            departmentIds[name] = Must(await groups.HandleAsync(new CreateGroup.Request(provider.Id, name, description), ct)).Id;
        }
        foreach (var (email, name, role, department, culture) in Staff)
        {
            Must(await users.HandleAsync(new CreateUser.Request(
                $"{email}@{Domain}", name, Password, provider.Id, [role], [departmentIds[department]], culture), ct));
        }
        foreach (var (name, domain, description, people) in Customers)
        {
            var customer = Must(await organisations.HandleAsync(new CreateOrganisation.Request(name, OrganisationKinds.Customer, description), ct));
            foreach (var (email, person, culture) in people)
            {
                Must(await users.HandleAsync(new CreateUser.Request(
                    $"{email}@{domain}", person, Password, customer.Id, [Roles.CustomerUser], null, culture), ct));
            }
        }
        await log.WriteLineAsync(
            $"Loaded the demo: {ProviderName}, {Departments.Length} departments, {Staff.Length} staff, {Customers.Length} customers. " +
            $"Every demo user's password is {Password} (e.g. wang.fang@{Domain}).");
    }

    private static T Must<T>(Kernel.Errors.Outcome<T> outcome) =>
        outcome.Succeeded
            ? outcome.Value!
            : throw new InvalidOperationException("Demo data could not be loaded: " + outcome.Failure!.Message + " " +
                string.Join("; ", outcome.Failure.Fields?.Select(f => $"{f.Key}: {string.Join(' ', f.Value)}") ?? []));
}
