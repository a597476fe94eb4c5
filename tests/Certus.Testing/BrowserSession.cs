using System.Net;
using System.Text.RegularExpressions;

namespace Certus.Testing;

/// <summary>
/// A cookie-carrying HTTP client that uses the pages the way a browser does: reads the antiforgery token
/// from the form and posts it back. For page behaviour that does not need JavaScript.
/// </summary>
public sealed partial class BrowserSession : IDisposable
{
    private readonly HttpClient _client;

    public BrowserSession(CertusFixture host, string culture = "en-US")
    {
        Cookies = new CookieContainer();
        _client = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        _client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
        _client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml");
    }

    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(path);

    public async Task<string> GetHtmlAsync(string path)
    {
        var response = await _client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts a form found on <paramref name="formPage"/>, with its antiforgery token.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string action, IDictionary<string, string> fields)
    {
        var html = await GetHtmlAsync(formPage);
        var token = Antiforgery().Match(html).Groups["token"].Value;
        var values = new Dictionary<string, string>(fields, StringComparer.Ordinal) { ["__RequestVerificationToken"] = token };
        return await _client.PostAsync(action, new FormUrlEncodedContent(values));
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        await PostFormAsync("/account/sign-in", "/account/sign-in", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    public Task<HttpResponseMessage> PostRawAsync(string action, IDictionary<string, string> fields) =>
        _client.PostAsync(action, new FormUrlEncodedContent(fields));

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"(?<token>[^\"]+)\"", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex Antiforgery();
}
