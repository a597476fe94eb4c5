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
}
