using System.Net.Http.Json;
using Certus.Web.Platform;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Testing;

/// <summary>Creates with an <c>Idempotency-Key</c>, the keys a module keeps, and the housekeeping that purges them.</summary>
public static class Idempotency
{
    /// <summary>POSTs <paramref name="body"/> as JSON to <paramref name="path"/> with the key.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    /// <summary>How many rows of the module's key table (such as <c>chg_idempotency</c>) hold <paramref name="key"/>.</summary>
    public static async Task<long> KeysAsync(CertusFixture host, string table, string key)
    {
        await using var connection = await host.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE idempotency_key = @key", new { key });
    }

    /// <summary>Runs the hourly housekeeping now; the rows each purge deleted, by table.</summary>
    public static Task<IReadOnlyDictionary<string, int>> HousekeepAsync(CertusFixture host) =>
        host.Services.GetRequiredService<Housekeeping>().RunOnceAsync(CancellationToken.None);
}
