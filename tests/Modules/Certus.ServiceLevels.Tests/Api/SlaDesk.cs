using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;

namespace Certus.ServiceLevels.Tests.Api;

/// <summary>
/// A customer who takes one service under an approved 24×7 SLA, an agent in a group, and helpers to log and move
/// incidents and read their clocks.
/// </summary>
public sealed class SlaDesk
{
    public required Builders Build { get; init; }
    public required Guid Customer { get; init; }
    public required Builders.TestUser CustomerUser { get; init; }
    public required Builders.TestUser Agent { get; init; }
    public required Guid Group { get; init; }
    public required Guid Service { get; init; }
    public required string ServiceCode { get; init; }
    public required Guid Agreement { get; init; }

    /// <summary>Targets in minutes per priority: response, resolution.</summary>
    public static readonly object[] DefaultTargets =
    [
        new { priority = 1, responseMinutes = 15, resolutionMinutes = 240 },
        new { priority = 2, responseMinutes = 30, resolutionMinutes = 480 },
        new { priority = 3, responseMinutes = 60, resolutionMinutes = 960 },
        new { priority = 4, responseMinutes = 120, resolutionMinutes = 1920 },
        new { priority = 5, responseMinutes = 240, resolutionMinutes = 2880 },
    ];

    public static async Task<SlaDesk> CreateAsync(CertusFixture host, object[]? targets = null, string onReopen = "resume", Guid? calendarId = null)
    {
        var build = await Builders.ForAsync(host);
        var provider = await build.ProviderIdAsync();
        var groupResponse = await build.Admin.PostAsJsonAsync("/api/v1/groups", new { organisationId = provider, name = Builders.Unique("Network team") });
        var group = (await groupResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var agent = await build.UserAsync(provider, "service-desk-agent");
        (await build.Admin.PatchIfMatchAsync($"/api/v1/users/{agent.Id}", new { groupIds = new[] { group } }, 1)).EnsureSuccessStatusCode();
        var customer = await build.OrganisationAsync();
        var customerUser = await build.UserAsync(customer, "customer-user");
        var code = "IDC-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var service = await CreatedIdAsync(await build.Admin.PostAsJsonAsync("/api/v1/services", new
        {
            code, nameEn = "IDC hosting", nameZh = "IDC 托管", descriptionEn = "Racks, power and network", descriptionZh = "机柜、电力和网络",
            lifecycle = "live", serviceHours = "24×7", customerIds = new[] { customer },
        }));
        var agreement = await CreatedIdAsync(await build.Admin.PostAsJsonAsync("/api/v1/agreements", new
        {
            kind = "sla", title = "IDC hosting SLA", serviceId = service, organisationId = customer,
            terms = new { calendarId, warningPercent = 75, pauseStatuses = new[] { "pending" }, onReopen, targets = targets ?? DefaultTargets },
        }));
        (await build.Admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/agreements/{agreement}/approve",
            new { effectiveFrom = DateTimeOffset.UtcNow.AddDays(-1) }, 1)).StatusCode.ShouldBe(HttpStatusCode.OK);
        return new SlaDesk
        {
            Build = build, Customer = customer, CustomerUser = customerUser, Agent = agent, Group = group, Service = service, ServiceCode = code, Agreement = agreement,
        };
    }

    public static async Task<Guid> CreatedIdAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<JsonElement> LogAsync(HttpClient client, string impact = "high", string urgency = "high", string? serviceRef = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/incidents", new
        {
            title = "Core switch down", description = "Ports flapping", channel = "phone", organisationId = Customer, callerName = "Zheng Hua",
            impact, urgency, serviceRef = serviceRef ?? ServiceCode,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task MoveAsync(HttpClient client, Guid incident, string action, object? body = null)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/incidents/{incident}/{action}", body ?? new { });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The incident's clock for <paramref name="metric"/> under the desk's SLA.</summary>
    public static async Task<JsonElement> ClockAsync(HttpClient client, Guid incident, string metric)
    {
        var view = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incident}");
        return view.GetProperty("sla").GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("metric").GetString() == metric);
    }
}
