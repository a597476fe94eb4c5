using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Identity.Tests.Api;

/// <summary>Customers never see another customer's data (architecture.md: organisations).</summary>
public abstract class IsolationTests(CertusFixture host)
{
    [Fact]
    public async Task A_customer_user_lists_only_their_own_organisation()
    {
        var build = await Builders.ForAsync(host);
        var mine = await build.OrganisationAsync();
        await build.OrganisationAsync();
        using var customer = await build.ClientAsync(await build.UserAsync(mine, "customer-user"));

        var page = await customer.GetFromJsonAsync<JsonElement>("/api/v1/organisations");

        page.GetProperty("total").GetInt64().ShouldBe(1);
        page.GetProperty("items")[0].GetProperty("id").GetGuid().ShouldBe(mine);
    }

    [Fact]
    public async Task Another_customers_organisation_is_404_never_its_contents()
    {
        var build = await Builders.ForAsync(host);
        var mine = await build.OrganisationAsync();
        var theirs = await build.OrganisationAsync(name: Builders.Unique("Secret customer"));
        using var customer = await build.ClientAsync(await build.UserAsync(mine, "customer-user"));

        var response = await customer.GetAsync($"/api/v1/organisations/{theirs}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("Secret customer");
    }

    [Fact]
    public async Task Customer_users_cannot_read_users_audit_or_manage_anything()
    {
        var build = await Builders.ForAsync(host);
        var mine = await build.OrganisationAsync();
        using var customer = await build.ClientAsync(await build.UserAsync(mine, "customer-user"));

        (await customer.GetAsync("/api/v1/users")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await customer.GetAsync("/api/v1/audit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await customer.GetAsync("/api/v1/audit/verify")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await customer.PostAsJsonAsync("/api/v1/organisations", new { name = "x", kind = "customer" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await customer.PatchIfMatchAsync($"/api/v1/organisations/{mine}", new { name = "hijacked" }, 1)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await customer.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Every_endpoint_with_a_record_id_refuses_another_customers_record()
    {
        var build = await Builders.ForAsync(host);
        var mine = await build.OrganisationAsync();
        var theirs = await build.OrganisationAsync();
        var theirUser = await build.UserAsync(theirs, "customer-user");
        using var customer = await build.ClientAsync(await build.UserAsync(mine, "customer-user"));
        var ids = new[] { theirs, theirUser.Id };

        foreach (var route in EndpointCatalogue.Routes(host).Where(r => r.Pattern.Contains("{id", StringComparison.Ordinal)))
        {
            foreach (var id in ids)
            {
                var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Pattern.Replace("{id:guid}", id.ToString(), StringComparison.Ordinal)
                    .Replace("{attachmentId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal))
                {
                    Content = route.Method is not ("POST" or "PATCH" or "PUT") ? null
                        : route.Pattern.EndsWith("/attachments", StringComparison.Ordinal)
                            ? new MultipartFormDataContent { { new ByteArrayContent("x"u8.ToArray()), "file", "x.txt" } }
                            : JsonContent.Create(new { }),
                };
                request.Headers.IfMatch.ParseAdd("\"1\"");
                var response = await customer.SendAsync(request);
                ((int)response.StatusCode).ShouldBeOneOf([403, 404], $"{route.Method} {route.Pattern} with another customer's id");
            }
        }
    }
}

public sealed class IsolationTestsOnSqlite(SqliteCertus host) : IsolationTests(host), IClassFixture<SqliteCertus>;

public sealed class IsolationTestsOnPostgres(PostgresCertus host) : IsolationTests(host), IClassFixture<PostgresCertus>;
