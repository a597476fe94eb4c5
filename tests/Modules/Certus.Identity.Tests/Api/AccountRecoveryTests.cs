using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Identity.Tests.Api;

public abstract class AccountRecoveryTests(CertusFixture host)
{
    [Fact]
    public async Task A_user_changes_their_password_only_by_proving_the_current_one()
    {
        var build = await Builders.ForAsync(host);
        var user = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        using var client = await build.ClientAsync(user);

        var wrong = await client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "guess-guess-1", newPassword = "Brand-new-pass-1" });
        var right = await client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = user.Password, newPassword = "Brand-new-pass-1" });

        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("currentPassword")[0].GetString()
            .ShouldBe("The current password is not correct.");
        right.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "sign-in tokens of the old password end with it");
        using var anonymous = host.Anonymous();
        (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = user.Password })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = "Brand-new-pass-1" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var history = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=user&recordId={user.Id}");
        var entry = history.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "password-changed");
        entry.GetRawText().ShouldNotContain("Brand-new-pass-1");
    }

    [Fact]
    public async Task An_administrator_lifts_a_lockout_and_the_user_signs_in_again()
    {
        var build = await Builders.ForAsync(host);
        var user = await build.UserAsync(await build.ProviderIdAsync(), "service-desk-agent");
        using var anonymous = host.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = "wrong-password-1" });
        }
        (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = user.Password })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var unlock = await build.Admin.PostAsJsonAsync($"/api/v1/users/{user.Id}/unlock", new { reason = "verified by phone" });

        unlock.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = user.Password })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var history = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=user&recordId={user.Id}");
        history.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "unlocked").GetProperty("reason").GetString().ShouldBe("verified by phone");
    }

    [Fact]
    public async Task An_administrator_sets_a_new_password_that_meets_the_policy()
    {
        var build = await Builders.ForAsync(host);
        var user = await build.UserAsync(await build.ProviderIdAsync(), "technician");

        var weak = await build.Admin.PostAsJsonAsync($"/api/v1/users/{user.Id}/password", new { password = "aaaa" });
        var strong = await build.Admin.PostAsJsonAsync($"/api/v1/users/{user.Id}/password", new { password = "Reset-by-admin-7", reason = "forgotten" });
        var unknown = await build.Admin.PostAsJsonAsync($"/api/v1/users/{Guid.NewGuid()}/password", new { password = "Reset-by-admin-7" });

        weak.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        strong.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var anonymous = host.Anonymous();
        (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = "Reset-by-admin-7" })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Only_administrators_may_reset_other_peoples_accounts()
    {
        var build = await Builders.ForAsync(host);
        var target = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        using var agent = await build.ClientAsync(await build.UserAsync(await build.ProviderIdAsync(), "service-desk-agent"));

        (await agent.PostAsJsonAsync($"/api/v1/users/{target.Id}/password", new { password = "Taken-over-pass-1" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.PostAsJsonAsync($"/api/v1/users/{target.Id}/reset-two-factor", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}

public sealed class AccountRecoveryTestsOnSqlite(SqliteCertus host) : AccountRecoveryTests(host), IClassFixture<SqliteCertus>;

public sealed class AccountRecoveryTestsOnPostgres(PostgresCertus host) : AccountRecoveryTests(host), IClassFixture<PostgresCertus>;
