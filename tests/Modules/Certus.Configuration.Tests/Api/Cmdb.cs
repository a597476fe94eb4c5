using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;

namespace Certus.Configuration.Tests.Api;

/// <summary>Registers CIs and relationships through the API, for tests.</summary>
public sealed class Cmdb(HttpClient client)
{
    public HttpClient Client => client;

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<JsonElement> RegisterAsync(string classKey, string name, string status = "received", object? attributes = null,
        Guid[]? customers = null, string? changeRef = null, string? serviceCode = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/cis", new
        {
            name, classId = classKey, status, attributes = attributes ?? new { }, customerIds = customers ?? [], changeRef, serviceCode,
            location = "上海一号机房",
        });
        return await ReadAsync(response, HttpStatusCode.Created);
    }

    public async Task<Guid> IdAsync(string classKey, string name, string status = "received", object? attributes = null, Guid[]? customers = null,
        string? changeRef = null, string? serviceCode = null) =>
        (await RegisterAsync(classKey, name, status, attributes, customers, changeRef, serviceCode)).GetProperty("id").GetGuid();

    public async Task<Guid> RelateAsync(Guid source, string type, Guid target, string? changeRef = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/ci-relationships", new { sourceId = source, targetId = target, type, changeRef });
        return (await ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    public Task<HttpResponseMessage> TryRelateAsync(Guid source, string type, Guid target, string? changeRef = null) =>
        client.PostAsJsonAsync("/api/v1/ci-relationships", new { sourceId = source, targetId = target, type, changeRef });

    public async Task<JsonElement> GetAsync(Guid id) => await ReadAsync(await client.GetAsync($"/api/v1/cis/{id}"), HttpStatusCode.OK);

    public Task<HttpResponseMessage> MoveAsync(Guid id, string status, int version, string? changeRef = null, string reason = "test") =>
        client.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/cis/{id}/status", new { status, reason, changeRef }, version);

    /// <summary>
    /// A small IDC: a data centre, a rack, two servers and a core switch in it, a VM on the web server, the trading
    /// application on the VM using the trading database on the DB server, the business service depending on the
    /// application, and a backup array the database is backed up to.
    /// </summary>
    public async Task<Idc> IdcAsync(Builders build)
    {
        var customer = await build.OrganisationAsync();
        var code = $"TRD{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";
        var service = (await ReadAsync(await client.PostAsJsonAsync("/api/v1/services", new
        {
            code, nameEn = "Online trading", nameZh = "网上交易", descriptionEn = "", descriptionZh = "", lifecycle = "live", serviceHours = "24×7",
            customerIds = new[] { customer },
        }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var calendars = await client.GetFromJsonAsync<JsonElement>("/api/v1/calendars");
        var calendarId = calendars.EnumerateArray().First().GetProperty("id").GetGuid();
        var agreement = (await ReadAsync(await client.PostAsJsonAsync("/api/v1/agreements", new
        {
            kind = "sla", title = "Online trading SLA", serviceId = service, organisationId = customer,
            terms = new
            {
                calendarId, warningPercent = 75, pauseStatuses = new[] { "pending" }, onReopen = "resume",
                targets = Enumerable.Range(1, 5).Select(p => new { priority = p, responseMinutes = 30 * p, resolutionMinutes = 240 * p }).ToArray(),
            },
        }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await client.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/agreements/{agreement}/approve",
            new { effectiveFrom = DateTimeOffset.UtcNow.AddDays(-1) }, 1)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var suffix = Guid.NewGuid().ToString("N")[..6];
        var dc = await IdAsync("data-centre", $"上海数据中心 {suffix}");
        var rack = await IdAsync("rack", $"A1-03-{suffix}");
        var web = await IdAsync("server", $"sh-web-{suffix}", attributes: new { cpuCores = 32, memoryGb = 256, manufacturer = "Huawei" });
        var db = await IdAsync("server", $"sh-db-{suffix}");
        var sw = await IdAsync("network-device", $"sh-core-sw-{suffix}", attributes: new { deviceType = "switch" });
        var vm = await IdAsync("virtual-machine", $"vm-app-{suffix}");
        var app = await IdAsync("application", $"网上交易系统 {suffix}", attributes: new { environment = "production" });
        var database = await IdAsync("database", $"交易库 {suffix}", attributes: new { engine = "PostgreSQL", port = 5432 }, customers: [customer]);
        var business = await IdAsync("business-service", $"网上交易服务 {suffix}", serviceCode: code);
        var backup = await IdAsync("storage", $"sh-backup-{suffix}");
        await RelateAsync(rack, "hosted-in", dc);
        foreach (var box in new[] { web, db, sw })
        {
            await RelateAsync(box, "hosted-in", rack);
        }
        await RelateAsync(web, "connected-to", sw);
        await RelateAsync(db, "connected-to", sw);
        await RelateAsync(vm, "runs-on", web);
        await RelateAsync(app, "runs-on", vm);
        await RelateAsync(database, "runs-on", db);
        await RelateAsync(app, "uses", database);
        await RelateAsync(business, "depends-on", app);
        await RelateAsync(database, "backed-up-by", backup);
        return new Idc(customer, code, agreement, dc, rack, web, db, sw, vm, app, database, business, backup);
    }

    public sealed record Idc(
        Guid Customer, string ServiceCode, Guid Agreement, Guid Dc, Guid Rack, Guid Web, Guid Db, Guid Switch, Guid Vm, Guid App, Guid Database,
        Guid Business, Guid Backup);
}
