using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;

namespace Certus.Testing;

/// <summary>Raises changes through the API for tests of the processes that need one (CMDB control, releases).</summary>
public static class ChangeBuilder
{
    /// <summary>
    /// An authorised standard change from the first active template; its number (<c>CHG-000001</c>) authorises CMDB
    /// edits. The client must be the provider's staff with change permissions (an administrator or change manager).
    /// </summary>
    public static async Task<string> AuthorisedAsync(HttpClient client, string title = "Change for the test")
    {
        var templates = await client.GetFromJsonAsync<JsonElement>("/api/v1/change-settings/templates?active=true");
        var created = await client.PostAsJsonAsync("/api/v1/changes", new
        {
            type = "standard", title, reason = "Needed by the test", templateId = templates[0].GetProperty("id").GetGuid(),
        });
        var body = await created.Content.ReadAsStringAsync();
        created.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        var change = JsonDocument.Parse(body).RootElement;
        var submitted = await client.PostAsJsonAsync($"/api/v1/changes/{change.GetProperty("id").GetGuid()}/submit", new { });
        var state = await submitted.Content.ReadAsStringAsync();
        submitted.StatusCode.ShouldBe(HttpStatusCode.OK, state);
        JsonDocument.Parse(state).RootElement.GetProperty("state").GetString().ShouldBe("authorised");
        return change.GetProperty("number").GetString()!;
    }
}
