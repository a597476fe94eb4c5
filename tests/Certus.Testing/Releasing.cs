using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;

namespace Certus.Testing;

/// <summary>Sets up what a release needs through the API: a service with its release policy, CIs in use, authorised changes.</summary>
public sealed class Releasing(HttpClient admin)
{
    public HttpClient Admin => admin;

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static IEnumerable<string> Fields(JsonElement problem) => problem.GetProperty("errors").EnumerateObject().Select(e => e.Name);

    /// <summary>A live service in the portfolio and its release policy (types major, minor, emergency; change managers authorise).</summary>
    public async Task<(string Code, Guid PolicyId)> PolicyAsync(string scheme = "{service}-{yyyy}.{seq}", string role = "change-manager")
    {
        var code = "R" + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant();
        await ReadAsync(await admin.PostAsJsonAsync("/api/v1/services", new
        {
            code, nameEn = "Hosting", nameZh = "托管", descriptionEn = "", descriptionZh = "", lifecycle = "live", serviceHours = "7×24", customerIds = Array.Empty<Guid>(),
        }), HttpStatusCode.Created);
        var policy = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/release-policies", new
        {
            serviceCode = code, name = $"{code} release policy", description = "Releases go out in the Saturday maintenance window.",
            types = new[] { new { key = "major", frequency = "quarterly" }, new { key = "minor", frequency = "monthly" }, new { key = "emergency", frequency = "as needed" } },
            identificationScheme = scheme, authorisingRole = role, rolesDescription = "变更经理验收；技术支持部部署。",
        }), HttpStatusCode.Created);
        return (code, policy.GetProperty("id").GetGuid());
    }

    /// <summary>An application CI in use at <paramref name="version"/>, registered under an authorised change.</summary>
    public async Task<(Guid Id, string Identifier)> ApplicationAsync(string version)
    {
        var change = await ChangeBuilder.AuthorisedAsync(admin, "Register the application");
        var ci = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/cis", new
        {
            name = "交易网关 " + Guid.NewGuid().ToString("N")[..6], classId = "application", status = "in-use", versionLabel = version,
            attributes = new { environment = "production" }, changeRef = change,
        }), HttpStatusCode.Created);
        return (ci.GetProperty("id").GetGuid(), ci.GetProperty("identifier").GetString()!);
    }

    public Task<string> AuthorisedChangeAsync(string title = "Upgrade the trading gateway") => ChangeBuilder.AuthorisedAsync(admin, title);

    public static object Plan(string code, string title, string[] changes, object[] items, string type = "minor") => new
    {
        serviceCode = code, type, title,
        description = "网关升级到 3.3 / gateway upgrade to 3.3",
        plannedStart = DateTimeOffset.UtcNow.AddDays(2), plannedEnd = DateTimeOffset.UtcNow.AddDays(2).AddHours(4),
        deliverables = "Gateway 3.3.0 package, runbook", siteActivities = "上海：02:00 停止网关，部署，03:00 恢复",
        backOutPlan = "Reinstall 3.2.1 from the package repository and restore the configuration backup.",
        acceptanceCriteria = "Orders flow end to end; latency p95 under 50 ms.", communication = "Notify East China Securities two days ahead.",
        risks = "Session loss during the switch.", problemsClosed = "PRB-000012", changes, items,
    };

    public async Task<JsonElement> CreateAsync(object plan) =>
        await ReadAsync(await admin.PostAsJsonAsync("/api/v1/releases", plan), HttpStatusCode.Created);

    public static async Task<JsonElement> MoveAsync(HttpClient client, Guid id, string move, object? body = null, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ReadAsync(await client.PostAsJsonAsync($"/api/v1/releases/{id}/{move}", body ?? new { }), expected);

    /// <summary>A release of one CI (3.2.1 → 3.3.0) under one authorised change, moved to <paramref name="until"/> by <paramref name="manager"/>.</summary>
    public async Task<Prepared> PrepareAsync(HttpClient manager, string until = "planned")
    {
        var (code, policy) = await PolicyAsync();
        var ci = await ApplicationAsync("3.2.1");
        var change = await AuthorisedChangeAsync();
        var release = await CreateAsync(Plan(code, "Trading gateway 3.3", [change], [new { ci = ci.Identifier, versionLabel = "3.3.0" }]));
        var id = release.GetProperty("id").GetGuid();
        var steps = new (string Move, object? Body)[]
        {
            ("build", null),
            ("test", new { kind = "integration", environment = "staging", result = "passed", summary = "Order flow end to end" }),
            ("accept", new { reason = "Criteria met" }),
            ("deploy", null),
        };
        foreach (var (move, body) in steps)
        {
            if (release.GetProperty("state").GetString() == until)
            {
                break;
            }
            release = await MoveAsync(manager, id, move, body);
        }
        release.GetProperty("state").GetString().ShouldBe(until);
        return new Prepared(id, code, policy, change, ci.Id, ci.Identifier);
    }

    public sealed record Prepared(Guid Id, string ServiceCode, Guid PolicyId, string Change, Guid CiId, string CiIdentifier);
}
