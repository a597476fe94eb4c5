using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Identity.Tests.Api;

public abstract class UserApiTests(CertusFixture host)
{
    [Fact]
    public async Task An_administrator_creates_a_user_who_can_then_sign_in_and_see_themselves()
    {
        var build = await Builders.ForAsync(host);
        var provider = await build.ProviderIdAsync();

        var response = await build.Admin.PostAsJsonAsync("/api/v1/users", new
        {
            email = "wang.fang@xinghe.test", displayName = "王芳", password = "Service-desk-1", organisationId = provider, roles = new[] { "service-desk-agent" },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var agent = await host.ClientAsync("wang.fang@xinghe.test", "Service-desk-1");
        var me = await agent.GetFromJsonAsync<JsonElement>("/api/v1/me");
        me.GetProperty("displayName").GetString().ShouldBe("王芳");
        me.GetProperty("roles")[0].GetString().ShouldBe("service-desk-agent");
        me.GetProperty("organisation").GetProperty("kind").GetString().ShouldBe("provider");
        me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ShouldContain("users.read");
    }

    [Fact]
    public async Task Weak_passwords_unknown_roles_and_bad_emails_are_refused_field_by_field()
    {
        var build = await Builders.ForAsync(host);
        var provider = await build.ProviderIdAsync();

        var response = await build.Admin.PostAsJsonAsync("/api/v1/users", new
        {
            email = "not-an-email", displayName = "X", password = "short", organisationId = provider, roles = new[] { "superuser" },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("email")[0].GetString().ShouldBe("Enter a valid email address.");
        errors.GetProperty("password").EnumerateArray().Select(e => e.GetString()).ShouldContain("At least 10 characters.");
        errors.GetProperty("roles")[0].GetString()!.ShouldStartWith("Must be one of:");
    }

    [Fact]
    public async Task Customer_users_can_only_be_customer_users()
    {
        var build = await Builders.ForAsync(host);
        var customer = await build.OrganisationAsync();

        var response = await build.Admin.PostAsJsonAsync("/api/v1/users", new
        {
            email = $"x{Guid.NewGuid():N}@c.test", displayName = "X", password = "Customer-pass-1", organisationId = customer, roles = new[] { "administrator" },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("roles")[0].GetString()
            .ShouldBe("Users of a customer organisation can only hold the customer-user role.");
    }

    [Fact]
    public async Task The_same_email_twice_is_refused()
    {
        var build = await Builders.ForAsync(host);
        var user = await build.UserAsync(await build.ProviderIdAsync(), "technician");

        var response = await build.Admin.PostAsJsonAsync("/api/v1/users", new
        {
            email = user.Email.ToUpperInvariant(), displayName = "Twin", password = "Another-pass-1", organisationId = user.OrganisationId, roles = new[] { "technician" },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("email")[0].GetString().ShouldBe("This value is already in use.");
    }

    [Fact]
    public async Task Changing_roles_is_audited_and_takes_effect_on_the_next_request()
    {
        var build = await Builders.ForAsync(host);
        var user = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        using var client = await build.ClientAsync(user);
        (await client.GetAsync("/api/v1/audit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var response = await build.Admin.PatchIfMatchAsync(
            $"/api/v1/users/{user.Id}", new { roles = new[] { "technician", "auditor" }, reason = "joins the internal audit team" }, 1);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/api/v1/audit")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var history = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=user&recordId={user.Id}");
        var change = history[history.GetArrayLength() - 1].GetProperty("changes")[0];
        change.GetProperty("field").GetString().ShouldBe("roles");
        change.GetProperty("old").GetString().ShouldBe("technician");
        change.GetProperty("new").GetString().ShouldBe("auditor, technician");
    }

    [Fact]
    public async Task Listing_users_shows_each_ones_roles_and_groups()
    {
        var build = await Builders.ForAsync(host);
        var provider = await build.ProviderIdAsync();
        var group = await build.Admin.PostAsJsonAsync("/api/v1/groups", new { organisationId = provider, name = Builders.Unique("Desk") });
        var groupId = (await group.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var user = await build.UserAsync(provider, "technician", "problem-manager");
        (await build.Admin.PatchIfMatchAsync($"/api/v1/users/{user.Id}", new { groupIds = new[] { groupId } }, 1)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var page = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/users?q={Uri.EscapeDataString(user.Email)}");

        var listed = page.GetProperty("items").EnumerateArray().Single();
        listed.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldBe(["problem-manager", "technician"]);
        listed.GetProperty("groupIds")[0].GetGuid().ShouldBe(groupId);
    }

    [Fact]
    public async Task A_deactivated_user_can_no_longer_get_a_token_or_use_one()
    {
        var build = await Builders.ForAsync(host);
        var user = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        using var client = await build.ClientAsync(user);

        (await build.Admin.PatchIfMatchAsync($"/api/v1/users/{user.Id}", new { isActive = false, reason = "left the company" }, 1)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await client.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var anonymous = host.Anonymous();
        (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = user.Password })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}

public sealed class UserApiTestsOnSqlite(SqliteCertus host) : UserApiTests(host), IClassFixture<SqliteCertus>;

public sealed class UserApiTestsOnPostgres(PostgresCertus host) : UserApiTests(host), IClassFixture<PostgresCertus>;
