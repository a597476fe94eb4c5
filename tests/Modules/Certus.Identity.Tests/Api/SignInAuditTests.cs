using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Identity.Tests.Api;

/// <summary>
/// Sign-ins, refusals, lockouts and sign-outs, on the page and for API tokens, as the administrator reads them in the
/// audit trail: who, with which e-mail, from where, for which organisation; never the password.
/// </summary>
public abstract class SignInAuditTests(CertusFixture host)
{
    private const string WrongPassword = "Not-the-password-7";

    private static async Task<List<JsonElement>> TrailAsync(HttpClient admin, string recordId) =>
        [.. (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=sign-in&recordId={Uri.EscapeDataString(recordId)}")).EnumerateArray()];

    private static string? Change(JsonElement entry, string field) =>
        entry.GetProperty("changes").EnumerateArray().SingleOrDefault(c => c.GetProperty("field").GetString() == field) is { ValueKind: JsonValueKind.Object } c
            ? c.GetProperty("new").GetString()
            : null;

    [Fact]
    public async Task A_refused_and_a_good_sign_in_on_the_page_and_the_sign_out_are_in_the_audit_trail()
    {
        var build = await Builders.ForAsync(host);
        var customer = await build.OrganisationAsync();
        var user = await build.UserAsync(customer, "customer-user");

        using (var session = new BrowserSession(host))
        {
            (await session.SignInAsync(user.Email, WrongPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await session.SignInAsync(user.Email, user.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
            (await session.PostFormAsync("/", "/account/sign-out", new Dictionary<string, string>(StringComparer.Ordinal))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }

        var trail = await TrailAsync(build.Admin, user.Id.ToString());
        trail.Select(e => e.GetProperty("action").GetString()).ShouldBe(["sign-in-refused", "signed-in", "signed-out"]);
        var refused = trail[0];
        refused.GetProperty("actorId").ValueKind.ShouldBe(JsonValueKind.Null);
        refused.GetProperty("actorName").GetString().ShouldBe("anonymous");
        refused.GetProperty("organisationId").GetGuid().ShouldBe(customer);
        Change(refused, "email").ShouldBe(user.Email.ToLowerInvariant());
        Change(refused, "method").ShouldBe("page");
        Change(refused, "refusal").ShouldBe("wrong-password");
        Change(refused, "address").ShouldNotBeNullOrWhiteSpace();
        var signedIn = trail[1];
        signedIn.GetProperty("actorId").GetGuid().ShouldBe(user.Id);
        signedIn.GetProperty("organisationId").GetGuid().ShouldBe(customer);
        Change(signedIn, "refusal").ShouldBeNull();
        trail[2].GetProperty("actorId").GetGuid().ShouldBe(user.Id);
        JsonSerializer.Serialize(trail).ShouldNotContain(WrongPassword);
        JsonSerializer.Serialize(trail).ShouldNotContain(user.Password);

        using var page = new BrowserSession(host);
        (await page.SignInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var html = await page.GetHtmlAsync("/audit");
        html.ShouldContain("sign-in refused");
    }

    [Fact]
    public async Task Token_sign_ins_with_an_unknown_e_mail_a_wrong_password_and_a_good_one_are_in_the_audit_trail()
    {
        var build = await Builders.ForAsync(host);
        var provider = await build.ProviderIdAsync();
        var user = await build.UserAsync(provider, "service-desk-agent");
        using var anonymous = host.Anonymous();
        var stranger = $"nobody-{Guid.NewGuid():N}@example.com";

        (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = stranger, password = WrongPassword })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = WrongPassword })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = user.Password })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var unknown = (await TrailAsync(build.Admin, stranger)).ShouldHaveSingleItem();
        unknown.GetProperty("action").GetString().ShouldBe("sign-in-refused");
        unknown.GetProperty("organisationId").ValueKind.ShouldBe(JsonValueKind.Null);
        Change(unknown, "refusal").ShouldBe("unknown-account");
        Change(unknown, "method").ShouldBe("api-token");
        var known = await TrailAsync(build.Admin, user.Id.ToString());
        known.Select(e => (e.GetProperty("action").GetString(), Change(e, "refusal"))).ShouldBe([("sign-in-refused", "wrong-password"), ("signed-in", null)]);
        known.ShouldAllBe(e => e.GetProperty("organisationId").GetGuid() == provider);
        JsonSerializer.Serialize(known).ShouldNotContain(WrongPassword);
        (await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify")).GetProperty("intact").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task The_attempt_that_locks_an_account_records_the_lockout_once()
    {
        var build = await Builders.ForAsync(host);
        var user = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        using var anonymous = host.Anonymous();

        // Certus__Auth__MaxFailedAttempts is 5: the fifth wrong password locks, the sixth finds the account locked.
        for (var i = 0; i < 6; i++)
        {
            (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = WrongPassword })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var trail = await TrailAsync(build.Admin, user.Id.ToString());
        trail.Select(e => e.GetProperty("action").GetString() + ":" + Change(e, "refusal")).ShouldBe(
        [
            "sign-in-refused:wrong-password", "sign-in-refused:wrong-password", "sign-in-refused:wrong-password", "sign-in-refused:wrong-password",
            "sign-in-refused:locked-out", "locked-out:", "sign-in-refused:locked-out",
        ]);
        Change(trail[5], "lockoutEnd").ShouldNotBeNullOrWhiteSpace();
    }
}

public sealed class SignInAuditTestsOnSqlite(SqliteCertus host) : SignInAuditTests(host), IClassFixture<SqliteCertus>;

public sealed class SignInAuditTestsOnPostgres(PostgresCertus host) : SignInAuditTests(host), IClassFixture<PostgresCertus>;
