using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Identity.Tests.Api;

public abstract class OrganisationApiTests(CertusFixture host)
{
    [Fact]
    public async Task Creating_a_customer_returns_201_with_its_id_location_and_etag()
    {
        using var admin = await host.AdminAsync();
        var name = Builders.Unique("华东证券");

        var response = await admin.PostAsJsonAsync("/api/v1/organisations", new { name, kind = "customer" });

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/organisations/{id}");
        response.Headers.ETag!.Tag.ShouldBe("\"1\"");
        var read = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/organisations/{id}");
        read.GetProperty("name").GetString().ShouldBe(name);
        read.GetProperty("kind").GetString().ShouldBe("customer");
    }

    [Fact]
    public async Task Bad_input_gets_400_problem_details_per_field_and_writes_nothing()
    {
        using var admin = await host.AdminAsync();
        var before = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/organisations")).GetProperty("total").GetInt64();

        var response = await admin.PostAsJsonAsync("/api/v1/organisations", new { name = "  ", kind = "partner" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        errors.GetProperty("name")[0].GetString().ShouldBe("This field is required.");
        errors.GetProperty("kind")[0].GetString()!.ShouldContain("provider, customer");
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/organisations")).GetProperty("total").GetInt64().ShouldBe(before);
    }

    [Fact]
    public async Task Validation_messages_come_in_the_callers_language()
    {
        using var admin = await host.AdminAsync("zh-CN");

        var response = await admin.PostAsJsonAsync("/api/v1/organisations", new { kind = "customer" });

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("title").GetString().ShouldBe("一个或多个字段无效。");
        problem.GetProperty("errors").GetProperty("name")[0].GetString().ShouldBe("此项为必填项。");
    }

    [Fact]
    public async Task A_second_provider_organisation_is_refused()
    {
        using var admin = await host.AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/organisations", new { name = Builders.Unique("Other provider"), kind = "provider" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("already a provider");
    }

    [Fact]
    public async Task Duplicate_names_are_refused_whatever_their_case()
    {
        var build = await Builders.ForAsync(host);
        var name = Builders.Unique("Mingyuan");
        await build.OrganisationAsync(name: name);

        var response = await build.Admin.PostAsJsonAsync("/api/v1/organisations", new { name = name.ToUpperInvariant(), kind = "customer" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("name")[0].GetString().ShouldBe("This value is already in use.");
    }

    [Fact]
    public async Task A_stale_if_match_gets_412_and_the_first_write_survives()
    {
        var build = await Builders.ForAsync(host);
        var id = await build.OrganisationAsync();
        (await build.Admin.PatchIfMatchAsync($"/api/v1/organisations/{id}", new { description = "first agent" }, 1)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await build.Admin.PatchIfMatchAsync($"/api/v1/organisations/{id}", new { description = "second agent" }, 1);

        response.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        var read = await build.Admin.GetAsync($"/api/v1/organisations/{id}");
        read.Headers.ETag!.Tag.ShouldBe("\"2\"");
        (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("description").GetString().ShouldBe("first agent");
    }

    [Fact]
    public async Task A_write_without_if_match_gets_428()
    {
        var build = await Builders.ForAsync(host);
        var id = await build.OrganisationAsync();

        var response = await build.Admin.PatchAsJsonAsync($"/api/v1/organisations/{id}", new { description = "blind write" });

        response.StatusCode.ShouldBe((HttpStatusCode)428);
    }

    [Fact]
    public async Task Every_change_is_in_the_records_history_with_old_and_new_values_and_reason()
    {
        var build = await Builders.ForAsync(host);
        var name = Builders.Unique("History");
        var id = await build.OrganisationAsync(name: name);
        (await build.Admin.PatchIfMatchAsync($"/api/v1/organisations/{id}", new { name = name + " Ltd", reason = "legal name changed" }, 1)).EnsureSuccessStatusCode();

        var history = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=organisation&recordId={id}");

        history.GetArrayLength().ShouldBe(2);
        history[0].GetProperty("action").GetString().ShouldBe("created");
        var update = history[1];
        update.GetProperty("action").GetString().ShouldBe("updated");
        update.GetProperty("actorName").GetString().ShouldBe("Administrator");
        update.GetProperty("reason").GetString().ShouldBe("legal name changed");
        var change = update.GetProperty("changes")[0];
        change.GetProperty("field").GetString().ShouldBe("name");
        change.GetProperty("old").GetString().ShouldBe(name);
        change.GetProperty("new").GetString().ShouldBe(name + " Ltd");
    }

    [Fact]
    public async Task Unknown_id_gets_404_problem_details()
    {
        using var admin = await host.AdminAsync();

        var response = await admin.GetAsync($"/api/v1/organisations/{Guid.NewGuid()}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }
}

public sealed class OrganisationApiTestsOnSqlite(SqliteCertus host) : OrganisationApiTests(host), IClassFixture<SqliteCertus>;

public sealed class OrganisationApiTestsOnPostgres(PostgresCertus host) : OrganisationApiTests(host), IClassFixture<PostgresCertus>;
