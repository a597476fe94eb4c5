using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Identity.Tests.Api;

public abstract class TokenTests(CertusFixture host)
{
    [Fact]
    public async Task Email_and_password_give_a_bearer_token_with_its_expiry()
    {
        using var client = host.Anonymous();

        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = CertusFixture.AdminEmail, password = CertusFixture.AdminPassword });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("accessToken").GetString()!.Length.ShouldBeGreaterThan(40);
        body.GetProperty("expiresAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(1));
    }

    [Fact]
    public async Task A_wrong_password_gets_401_without_saying_whether_the_account_exists()
    {
        using var client = host.Anonymous();

        var wrong = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = CertusFixture.AdminEmail, password = "nope-nope-1" });
        var unknown = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "nobody@certus.test", password = "nope-nope-1" });

        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        unknown.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()
            .ShouldBe((await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Five_failed_attempts_lock_the_account_even_against_the_right_password()
    {
        var build = await Builders.ForAsync(host);
        var user = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        using var client = host.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            await client.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = "wrong-password-1" });
        }

        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = user.Password });

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lockedOut").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Failed_attempts_sent_in_parallel_still_lock_the_account()
    {
        var build = await Builders.ForAsync(host);
        var user = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        using var client = host.Anonymous();

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            client.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = "wrong-password-1" })));
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = user.Password });

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lockedOut").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_personal_access_token_works_until_it_is_revoked()
    {
        using var admin = await host.AdminAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/me/tokens", new { name = "zabbix", expiresInDays = 30 });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secret = body.GetProperty("token").GetString()!;
        var id = body.GetProperty("id").GetGuid();
        using var integration = host.Anonymous();
        integration.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        (await integration.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/me/tokens");
        listed.EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == id).GetProperty("token").ValueKind.ShouldBe(JsonValueKind.Null);

        (await admin.DeleteAsync($"/api/v1/me/tokens/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await integration.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_name_is_required_and_its_lifetime_bounded()
    {
        using var admin = await host.AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/me/tokens", new { name = "", expiresInDays = 5000 });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("name")[0].GetString().ShouldBe("This field is required.");
        errors.GetProperty("expiresInDays")[0].GetString().ShouldBe("Between 1 and 366 days.");
    }

    [Fact]
    public async Task A_made_up_token_gets_401_problem_details()
    {
        using var client = host.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "cpt_made-up-token-value-that-is-long-enough");

        var response = await client.GetAsync("/api/v1/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }
}

public sealed class TokenTestsOnSqlite(SqliteCertus host) : TokenTests(host), IClassFixture<SqliteCertus>;

public sealed class TokenTestsOnPostgres(PostgresCertus host) : TokenTests(host), IClassFixture<PostgresCertus>;
