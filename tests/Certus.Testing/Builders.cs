using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;

namespace Certus.Testing;

/// <summary>Creates organisations and users through the real API, with readable defaults.</summary>
public sealed class Builders(CertusFixture host, HttpClient admin)
{
    public const string Password = "Builder-pass-2026";

    private static int _counter;

    public static string Unique(string prefix) => $"{prefix} {Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..8]}";

    public static async Task<Builders> ForAsync(CertusFixture host) => new(host, await host.AdminAsync());

    public HttpClient Admin => admin;

    public async Task<Guid> OrganisationAsync(string kind = "customer", string? name = null)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/organisations", new { name = name ?? Unique("Customer"), kind });
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<Guid> ProviderIdAsync()
    {
        var page = await admin.GetFromJsonAsync<JsonElement>("/api/v1/organisations?kind=provider");
        return page.GetProperty("items")[0].GetProperty("id").GetGuid();
    }

    public sealed record TestUser(Guid Id, string Email, string Password, Guid OrganisationId);

    public async Task<TestUser> UserAsync(Guid organisationId, params string[] roles)
    {
        var email = $"user{Interlocked.Increment(ref _counter)}.{Guid.NewGuid().ToString("N")[..8]}@example.test";
        var response = await admin.PostAsJsonAsync("/api/v1/users", new
        {
            email, displayName = "Test " + email[..8], password = Password, organisationId, roles,
        });
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return new TestUser(id, email, Password, organisationId);
    }

    public Task<HttpClient> ClientAsync(TestUser user, string culture = "en-US") => host.ClientAsync(user.Email, user.Password, culture);
}
