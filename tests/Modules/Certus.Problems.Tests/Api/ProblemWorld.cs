using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;

namespace Certus.Problems.Tests.Api;

/// <summary>
/// Builds what problem management works on through the real API: people in their roles, services, CIs, incidents and
/// problems, and drives problems through their moves.
/// </summary>
public sealed class ProblemWorld(CertusFixture host, Builders build, Guid providerId)
{
    public static async Task<ProblemWorld> ForAsync(CertusFixture host)
    {
        var build = await Builders.ForAsync(host);
        return new ProblemWorld(host, build, await build.ProviderIdAsync());
    }

    public Builders Build => build;

    public HttpClient Admin => build.Admin;

    public Guid ProviderId => providerId;

    /// <summary>A signed-in member of the provider's staff holding <paramref name="role"/>.</summary>
    public async Task<HttpClient> StaffAsync(string role, string culture = "en-US") =>
        await build.ClientAsync(await build.UserAsync(providerId, role), culture);

    public Task<Builders.TestUser> UserAsync(string role) => build.UserAsync(providerId, role);

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static IEnumerable<string> Fields(JsonElement problem) => problem.GetProperty("errors").EnumerateObject().Select(e => e.Name);

    public static Guid Id(JsonElement record) => record.GetProperty("id").GetGuid();

    public static string Number(JsonElement record) => record.GetProperty("number").GetString()!;

    public static string State(JsonElement problem) => problem.GetProperty("state").GetString()!;

    public static int Version(JsonElement problem) => problem.GetProperty("version").GetInt32();

    /// <summary>A live service in the portfolio.</summary>
    public async Task<string> ServiceAsync()
    {
        var code = "P" + Guid.NewGuid().ToString("N")[..7].ToUpperInvariant();
        await ReadAsync(await Admin.PostAsJsonAsync("/api/v1/services", new
        {
            code, nameEn = "Hosting", nameZh = "托管", descriptionEn = "", descriptionZh = "", lifecycle = "live", serviceHours = "7×24", customerIds = Array.Empty<Guid>(),
        }), HttpStatusCode.Created);
        return code;
    }

    /// <summary>A network device in the CMDB; its identifier (<c>NET-000001</c>) and its name.</summary>
    public async Task<(string Identifier, string Name)> CiAsync(string? name = null)
    {
        name ??= "sw-" + Guid.NewGuid().ToString("N")[..8];
        var ci = await ReadAsync(await Admin.PostAsJsonAsync("/api/v1/cis", new { name, classId = "network-device", status = "received" }), HttpStatusCode.Created);
        return (ci.GetProperty("identifier").GetString()!, name);
    }

    /// <summary>An incident logged at the desk for a new customer; its number (<c>INC-000001</c>) and id.</summary>
    public async Task<(string Number, Guid Id)> IncidentAsync(string title, string? ci = null, string? service = null, bool major = false)
    {
        var organisation = await build.OrganisationAsync();
        var incident = await ReadAsync(await Admin.PostAsJsonAsync("/api/v1/incidents", new
        {
            title, organisationId = organisation, callerName = "Zheng Hua", ciRef = ci, serviceRef = service, isMajor = major, impact = "high", urgency = "medium",
        }), HttpStatusCode.Created);
        return (incident.GetProperty("number").GetString()!, incident.GetProperty("id").GetGuid());
    }

    public static async Task<JsonElement> CreateAsync(HttpClient client, object problem) =>
        await ReadAsync(await client.PostAsJsonAsync("/api/v1/problems", problem), HttpStatusCode.Created);

    public static async Task<JsonElement> MoveAsync(HttpClient client, JsonElement problem, string move, object? body = null, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ReadAsync(await client.PostAsJsonAsync($"/api/v1/problems/{Id(problem)}/{move}", body ?? new { }), expected);

    public static async Task<JsonElement> GetAsync(HttpClient client, JsonElement problem) =>
        await ReadAsync(await client.GetAsync($"/api/v1/problems/{Id(problem)}"), HttpStatusCode.OK);

    /// <summary>A problem in known-error state on <paramref name="cis"/>, with its root cause and workaround.</summary>
    public static async Task<JsonElement> KnownErrorAsync(HttpClient manager, string title, string[] cis, string? service = null, string workaround = "Restart the port")
    {
        var problem = await CreateAsync(manager, new { title, cis, service, priority = 2, category = "network" });
        await MoveAsync(manager, problem, "investigate");
        return await MoveAsync(manager, problem, "known-error", new { rootCause = "Ageing optics", workaround, symptoms = "Ports flap 端口抖动" });
    }

    /// <summary>
    /// A release accepted for deployment and a known error on its CI whose fix is the release's change, linked by the
    /// problem manager: the problem answered after the link (fix pending).
    /// </summary>
    public async Task<(Releasing.Prepared Release, JsonElement Problem)> ReleaseFixingAsync(HttpClient changeManager, HttpClient problemManager, string title)
    {
        var release = await new Releasing(Admin).PrepareAsync(changeManager, until: "accepted");
        var problem = await KnownErrorAsync(problemManager, title, [release.CiIdentifier]);
        var linked = await ReadAsync(await problemManager.PostAsJsonAsync($"/api/v1/problems/{Id(problem)}/changes", new { change = release.Change }), HttpStatusCode.OK);
        return (release, linked);
    }

    /// <summary>The problem's audit entries, oldest first.</summary>
    public async Task<List<JsonElement>> HistoryAsync(JsonElement problem) =>
        [.. (await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=problem&recordId={Id(problem)}")).EnumerateArray()];

    /// <summary>Moves a change through the change API (the client must hold changes.manage).</summary>
    public async Task<JsonElement> MoveChangeAsync(string number, string move, object? body = null)
    {
        var page = await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/changes?q={number}");
        var id = page.GetProperty("items")[0].GetProperty("id").GetGuid();
        return await ReadAsync(await Admin.PostAsJsonAsync($"/api/v1/changes/{id}/{move}", body ?? new { }), HttpStatusCode.OK);
    }

    public CertusFixture Host => host;
}
