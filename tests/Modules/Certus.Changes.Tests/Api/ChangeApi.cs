using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;

namespace Certus.Changes.Tests.Api;

/// <summary>Drives changes through the API for tests.</summary>
public sealed class ChangeApi(HttpClient client)
{
    public static readonly Dictionary<string, string> LowRisk = new(StringComparer.Ordinal)
    {
        ["services"] = "one", ["customers"] = "no", ["experience"] = "often", ["backout"] = "easy", ["tested"] = "yes",
    };

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<JsonElement> CreateAsync(object request) =>
        await ReadAsync(await client.PostAsJsonAsync("/api/v1/changes", request), HttpStatusCode.Created);

    /// <summary>A complete normal change on the CIs or services given, ready to submit.</summary>
    public Task<JsonElement> NormalAsync(string title, string[]? cis = null, string[]? services = null, object? cmdbUpdates = null) =>
        CreateAsync(new
        {
            type = "normal", title, reason = "Vendor advisory", cis = cis ?? [], services = services ?? [], riskAnswers = LowRisk,
            implementationPlan = "Upgrade in the window", backoutPlan = "Reinstall the previous image", testPlan = "Lab upgrade passed",
            cmdbUpdates = cmdbUpdates ?? Array.Empty<object>(),
        });

    public Task<HttpResponseMessage> MoveAsync(JsonElement change, string trigger, object? body = null) =>
        client.PostAsJsonAsync($"/api/v1/changes/{Id(change)}/{trigger}", body ?? new { });

    public async Task<JsonElement> MovedAsync(JsonElement change, string trigger, object? body = null) =>
        await ReadAsync(await MoveAsync(change, trigger, body), HttpStatusCode.OK);

    public async Task<JsonElement> GetAsync(JsonElement change) =>
        await ReadAsync(await client.GetAsync($"/api/v1/changes/{Id(change)}"), HttpStatusCode.OK);

    /// <summary>Makes the named board decide by these members under this rule (and no role).</summary>
    public async Task BoardAsync(string key, string mode, int quorum, params Guid[] members)
    {
        var boards = await client.GetFromJsonAsync<JsonElement>("/api/v1/change-settings/boards");
        var board = boards.EnumerateArray().Single(b => b.GetProperty("key").GetString() == key);
        await ReadAsync(await client.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/change-settings/boards/{board.GetProperty("id").GetGuid()}",
            new { approvalMode = mode, quorum, memberRole = (string?)null, memberIds = members }, board.GetProperty("version").GetInt32()), HttpStatusCode.OK);
    }

    public static Guid Id(JsonElement change) => change.GetProperty("id").GetGuid();

    public static string State(JsonElement change) => change.GetProperty("state").GetString()!;

    public static IEnumerable<string> Fields(JsonElement problem) => problem.GetProperty("errors").EnumerateObject().Select(e => e.Name);

    public static async Task<string> NewCiAsync(HttpClient admin, string classKey, string name, string status = "received", string? changeRef = null)
    {
        var ci = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/cis", new { name, classId = classKey, status, changeRef }), HttpStatusCode.Created);
        return ci.GetProperty("identifier").GetString()!;
    }
}
