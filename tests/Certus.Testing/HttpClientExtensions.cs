using System.Net.Http.Json;

namespace Certus.Testing;

public static class HttpClientExtensions
{
    /// <summary>PATCH with the version the caller read, as an If-Match ETag.</summary>
    public static Task<HttpResponseMessage> PatchIfMatchAsync(this HttpClient client, string url, object body, int version)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.ParseAdd($"\"{version}\"");
        return client.SendAsync(request);
    }

    /// <summary>Sends <paramref name="body"/> with <paramref name="method"/> and If-Match for <paramref name="version"/>.</summary>
    public static Task<HttpResponseMessage> SendIfMatchAsync(this HttpClient client, HttpMethod method, string url, object? body, int version)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.IfMatch.ParseAdd($"\"{version}\"");
        return client.SendAsync(request);
    }
}
