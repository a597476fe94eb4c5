using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Data;
using Certus.Kernel.Conformity;
using Certus.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace Certus.Compliance.Tests.Planning;

/// <summary>What the policy, objective and risk tests share: reading answers, running a check or a measure, and the database.</summary>
internal static class Planning
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static int Version(JsonElement record) => record.GetProperty("version").GetInt32();

    public static Guid Id(JsonElement record) => record.GetProperty("id").GetGuid();

    public static IReadOnlyList<string> ErrorFields(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal)];

    public static decimal Figure(IEnumerable<CheckFigure> figures, string label) => figures.Single(f => f.Label == label).Value;

    public static async Task<CheckResult> CheckAsync(CertusFixture host, string key, DateTimeOffset? now = null)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetServices<IConformityCheck>().Single(c => c.Key == key).RunAsync(now ?? DateTimeOffset.UtcNow, CancellationToken.None);
    }

    public static async Task<MeasureValue> MeasureAsync(CertusFixture host, string key, DateTimeOffset from, DateTimeOffset to)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetServices<IObjectiveMeasure>().Single(m => m.Key == key).MeasureAsync(from, to, CancellationToken.None);
    }

    public static async Task SqlAsync(CertusFixture host, string sql, object? parameters = null)
    {
        await using var connection = await host.Services.GetRequiredService<Database>().OpenAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    public static async Task<T> ScalarAsync<T>(CertusFixture host, string sql, object? parameters = null)
    {
        await using var connection = await host.Services.GetRequiredService<Database>().OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    /// <summary>The audit entries of one record, oldest first: action and reason.</summary>
    public static async Task<IReadOnlyList<(string Action, string? Reason, string ActorName)>> HistoryAsync(CertusFixture host, string recordType, Guid id)
    {
        await using var connection = await host.Services.GetRequiredService<Database>().OpenAsync();
        return [.. await connection.QueryAsync<(string, string?, string)>(
            "SELECT action, reason, actor_name FROM sys_audit_entries WHERE record_type = @recordType AND record_id = @id ORDER BY seq",
            new { recordType, id = id.ToString("D") })];
    }

    public static async Task<HttpClient> StaffAsync(Builders build, string role) => await build.ClientAsync(await build.UserAsync(await build.ProviderIdAsync(), role));

    public static Task<HttpResponseMessage> PostIfMatchAsync(this HttpClient client, string url, object body, int version) =>
        client.SendIfMatchAsync(HttpMethod.Post, url, body, version);

    public static Task<HttpResponseMessage> PutIfMatchAsync(this HttpClient client, string url, object body, int version) =>
        client.SendIfMatchAsync(HttpMethod.Put, url, body, version);

    public static Task<JsonElement> GetJsonAsync(this HttpClient client, string url) => client.GetFromJsonAsync<JsonElement>(url);
}
