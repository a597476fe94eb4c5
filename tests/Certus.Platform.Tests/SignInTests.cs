using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Platform.Tests;

public abstract class SignInTests(CertusFixture host)
{
    [Fact]
    public async Task Signing_in_on_the_page_opens_the_home_page_and_signing_out_closes_it()
    {
        using var session = new BrowserSession(host);

        var response = await session.SignInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe("/");
        (await session.GetHtmlAsync("/")).ShouldContain("Welcome, Administrator");
        await session.PostFormAsync("/", "/account/sign-out", new Dictionary<string, string>(StringComparer.Ordinal));
        (await session.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_wrong_password_on_the_page_shows_a_message_and_no_session()
    {
        using var session = new BrowserSession(host);

        var response = await session.SignInAsync(CertusFixture.AdminEmail, "not-the-password-1");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("The email or password is not correct.");
        (await session.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Turning_on_two_step_verification_makes_sign_in_and_tokens_ask_for_the_code()
    {
        var build = await Builders.ForAsync(host);
        var user = await build.UserAsync(await build.ProviderIdAsync(), "change-manager");
        using (var session = new BrowserSession(host))
        {
            await session.SignInAsync(user.Email, user.Password);
            var settings = await session.GetHtmlAsync("/account/settings");
            var key = Regex.Match(settings, "data-testid=\"totp-key\">(?<key>[a-z0-9 ]+)<", RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1)).Groups["key"].Value;
            key.ShouldNotBeNullOrWhiteSpace();

            var wrong = await session.PostFormAsync("/account/settings", "/account/settings?handler=EnableTwoFactor",
                new Dictionary<string, string>(StringComparer.Ordinal) { ["Code"] = "000000" });
            (await wrong.Content.ReadAsStringAsync()).ShouldContain("That code is not correct.");

            var enabled = await session.PostFormAsync("/account/settings", "/account/settings?handler=EnableTwoFactor",
                new Dictionary<string, string>(StringComparer.Ordinal) { ["Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
            enabled.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            (await session.GetHtmlAsync("/account/settings")).ShouldContain("Two-step verification is on.");

            using var anonymous = host.Anonymous();
            var withoutCode = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = user.Password });
            withoutCode.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await withoutCode.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("twoFactorRequired").GetBoolean().ShouldBeTrue();
            var withCode = await anonymous.PostAsJsonAsync("/api/v1/auth/token",
                new { email = user.Email, password = user.Password, code = Totp.Code(key, DateTimeOffset.UtcNow) });
            withCode.StatusCode.ShouldBe(HttpStatusCode.OK);

            using var second = new BrowserSession(host);
            var signIn = await second.SignInAsync(user.Email, user.Password);
            signIn.Headers.Location!.ToString().ShouldStartWith("/account/two-factor");
            (await second.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
            var verified = await second.PostFormAsync(signIn.Headers.Location!.ToString(), signIn.Headers.Location!.ToString(),
                new Dictionary<string, string>(StringComparer.Ordinal) { ["Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
            verified.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            (await second.GetHtmlAsync("/")).ShouldContain("Welcome,");
        }
        var history = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=user&recordId={user.Id}");
        history.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ShouldContain("two-factor-enabled");
    }

    [Fact]
    public async Task Opening_settings_does_not_end_sessions_and_turning_two_step_off_really_turns_it_off()
    {
        var build = await Builders.ForAsync(host);
        var user = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        using var session = new BrowserSession(host);
        await session.SignInAsync(user.Email, user.Password);
        var stamp = await StampAsync(user.Id);
        var settings = await session.GetHtmlAsync("/account/settings");
        (await StampAsync(user.Id)).ShouldBe(stamp, "showing the set-up key must not sign anybody out");
        var key = Regex.Match(settings, "data-testid=\"totp-key\">(?<key>[a-z0-9 ]+)<", RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1)).Groups["key"].Value;
        await session.PostFormAsync("/account/settings", "/account/settings?handler=EnableTwoFactor",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });

        var off = await session.PostFormAsync("/account/settings", "/account/settings?handler=DisableTwoFactor", new Dictionary<string, string>(StringComparer.Ordinal));

        off.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        using var anonymous = host.Anonymous();
        (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = user.Password })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Wrong_authenticator_codes_count_towards_the_lockout()
    {
        var build = await Builders.ForAsync(host);
        var user = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        using (var session = new BrowserSession(host))
        {
            await session.SignInAsync(user.Email, user.Password);
            var settings = await session.GetHtmlAsync("/account/settings");
            var key = Regex.Match(settings, "data-testid=\"totp-key\">(?<key>[a-z0-9 ]+)<", RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1)).Groups["key"].Value;
            await session.PostFormAsync("/account/settings", "/account/settings?handler=EnableTwoFactor",
                new Dictionary<string, string>(StringComparer.Ordinal) { ["Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        }
        using var anonymous = host.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = user.Password, code = "000000" });
        }

        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = user.Password, code = "000000" });

        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lockedOut").GetBoolean().ShouldBeTrue();
    }

    private async Task<string> StampAsync(Guid userId)
    {
        await using var connection = await host.Database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SELECT security_stamp FROM idn_users WHERE id = @userId", new { userId }) ?? "";
    }
}

public sealed class SignInTestsOnSqlite(SqliteCertus host) : SignInTests(host), IClassFixture<SqliteCertus>;

public sealed class SignInTestsOnPostgres(PostgresCertus host) : SignInTests(host), IClassFixture<PostgresCertus>;

/// <summary>A host whose sign-in limit is low enough to reach in a test.</summary>
public sealed class LowRateLimitCertus : SqliteCertus
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["Certus:Auth:SignInRequestsPerMinute"] = "3",
    };
}

public sealed class RateLimitTests(LowRateLimitCertus host) : IClassFixture<LowRateLimitCertus>
{
    [Fact]
    public async Task Hammering_the_token_endpoint_gets_429_with_retry_after()
    {
        using var client = host.Anonymous();
        for (var i = 0; i < 3; i++)
        {
            (await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "guess@x.test", password = "guess-guess-1" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "guess@x.test", password = "guess-guess-1" });

        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter.ShouldNotBeNull();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        // Showing the form is not an attempt.
        (await client.GetAsync("/account/sign-in")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
