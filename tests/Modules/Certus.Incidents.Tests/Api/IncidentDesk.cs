using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;

namespace Certus.Incidents.Tests.Api;

/// <summary>A service desk set up for a test: a customer with a user, an agent in a group, and helpers.</summary>
public sealed class IncidentDesk
{
    private IncidentDesk(Builders build, Guid customer, Builders.TestUser customerUser, Builders.TestUser agent, Guid group)
    {
        Build = build;
        Customer = customer;
        CustomerUser = customerUser;
        Agent = agent;
        Group = group;
    }

    public Builders Build { get; }
    public Guid Customer { get; }
    public Builders.TestUser CustomerUser { get; }
    public Builders.TestUser Agent { get; }
    public Guid Group { get; }

    public static async Task<IncidentDesk> CreateAsync(CertusFixture host)
    {
        var build = await Builders.ForAsync(host);
        var provider = await build.ProviderIdAsync();
        var groupResponse = await build.Admin.PostAsJsonAsync("/api/v1/groups", new { organisationId = provider, name = Builders.Unique("Network team") });
        var group = (await groupResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var agent = await build.UserAsync(provider, "service-desk-agent");
        (await build.Admin.PatchIfMatchAsync($"/api/v1/users/{agent.Id}", new { groupIds = new[] { group } }, 1)).EnsureSuccessStatusCode();
        var customer = await build.OrganisationAsync();
        var customerUser = await build.UserAsync(customer, "customer-user");
        return new IncidentDesk(build, customer, customerUser, agent, group);
    }

    public static async Task<JsonElement> LogAsync(HttpClient client, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.PostAsJsonAsync("/api/v1/incidents", body);
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> LogForCustomerAsync(HttpClient client, string title = "Core switch down", string impact = "high", string urgency = "high") =>
        await LogAsync(client, new { title, description = "Ports flapping", channel = "phone", organisationId = Customer, callerName = "Zheng Hua", impact, urgency });

    public static async Task<HttpResponseMessage> MoveAsync(HttpClient client, JsonElement incident, string action, object? body = null) =>
        await client.PostAsJsonAsync($"/api/v1/incidents/{incident.GetProperty("id").GetGuid()}/{action}", body ?? new { });
}
