using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Competence.Tests.Api;

/// <summary>Competences, job roles and the people holding them, assessments, the matrix, and who may see what.</summary>
public abstract class CatalogueTests(CertusFixture host)
{
    private const string Api = CompetenceWorld.Api;

    [Fact]
    public async Task The_matrix_shows_who_falls_short_of_what_their_job_roles_require()
    {
        var world = await CompetenceWorld.ForAsync(host);
        var network = await world.CompetenceAsync();
        var facilities = await world.CompetenceAsync();
        var desk = await world.CompetenceAsync("process");
        var zhang = await world.StaffAsync();
        var yang = await world.StaffAsync();
        var duty = await world.JobRoleAsync([(network, 2), (facilities, 2)], zhang.Id, yang.Id);
        var support = await world.JobRoleAsync([(network, 3)], zhang.Id);
        await world.AssessAsync(zhang.Id, network, 3);
        await world.AssessAsync(zhang.Id, facilities, 2);
        await world.AssessAsync(yang.Id, network, 1);
        await world.AssessAsync(yang.Id, desk, 4);

        var matrix = await world.Admin.GetFromJsonAsync<JsonElement>($"{Api}/matrix?jobRoleId={duty.GetProperty("id").GetGuid()}");
        matrix.GetProperty("competences").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ShouldBe([network, facilities], ignoreOrder: true);
        var rows = matrix.GetProperty("people").EnumerateArray().ToDictionary(p => p.GetProperty("userId").GetGuid());
        rows.Keys.ShouldBe([zhang.Id, yang.Id], ignoreOrder: true);
        rows[zhang.Id].GetProperty("gaps").GetInt32().ShouldBe(0);
        // Zhang's network requirement is the highest of his two roles (3), and he meets it.
        var zhangNetwork = rows[zhang.Id].GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("competenceId").GetGuid() == network);
        zhangNetwork.GetProperty("required").GetInt32().ShouldBe(3);
        zhangNetwork.GetProperty("level").GetInt32().ShouldBe(3);
        rows[yang.Id].GetProperty("gaps").GetInt32().ShouldBe(2);
        rows[yang.Id].GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("gap").GetBoolean())
            .Select(c => (c.GetProperty("competenceId").GetGuid(), c.GetProperty("level").GetInt32(), c.GetProperty("required").GetInt32()))
            .ShouldBe([(network, 1, 2), (facilities, 0, 2)], ignoreOrder: true);

        var record = await world.RecordAsync(yang.Id);
        record.GetProperty("gaps").GetInt32().ShouldBe(2);
        record.GetProperty("jobRoles").EnumerateArray().Single().GetProperty("id").GetGuid().ShouldBe(duty.GetProperty("id").GetGuid());
        var deskLevel = record.GetProperty("competences").EnumerateArray().Single(c => c.GetProperty("competenceId").GetGuid() == desk);
        deskLevel.GetProperty("required").GetInt32().ShouldBe(0);
        deskLevel.GetProperty("level").GetInt32().ShouldBe(4);
        deskLevel.GetProperty("gap").GetBoolean().ShouldBeFalse();

        // Raising Yang's level closes the gap, and the trail keeps both assessments.
        await world.AssessAsync(yang.Id, network, 2, CompetenceWorld.Day(-1));
        (await world.RecordAsync(yang.Id)).GetProperty("gaps").GetInt32().ShouldBe(1);
        var trail = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=training-record&recordId={yang.Id}");
        trail.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ShouldBe(["assessed", "assessed", "assessed"]);
        trail.EnumerateArray().Last().GetProperty("changes").EnumerateArray().First().GetProperty("old").GetString().ShouldBe("1");

        // Taking Zhang off the support role leaves his network requirement at the duty role's 2.
        var current = await world.Admin.GetFromJsonAsync<JsonElement>($"{Api}/job-roles/{support.GetProperty("id").GetGuid()}");
        await CompetenceWorld.ReadAsync(await world.Admin.SendIfMatchAsync(HttpMethod.Put, $"{Api}/job-roles/{support.GetProperty("id").GetGuid()}/people",
            new { userIds = Array.Empty<Guid>() }, current.GetProperty("version").GetInt32()), HttpStatusCode.OK);
        var after = await world.Admin.GetFromJsonAsync<JsonElement>($"{Api}/matrix?jobRoleId={duty.GetProperty("id").GetGuid()}");
        after.GetProperty("people").EnumerateArray().Single(p => p.GetProperty("userId").GetGuid() == zhang.Id).GetProperty("cells").EnumerateArray()
            .Single(c => c.GetProperty("competenceId").GetGuid() == network).GetProperty("required").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Bad_input_gets_field_errors_and_a_stale_version_is_refused()
    {
        var world = await CompetenceWorld.ForAsync(host);
        var admin = world.Admin;
        var bad = await CompetenceWorld.ReadAsync(await admin.PostAsJsonAsync($"{Api}/competences",
            new { key = "Network Ops", nameEn = "", nameZh = "网络", category = "magic" }), HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors");
        errors.GetProperty("key").EnumerateArray().Single().GetString()!.ShouldContain("Lower-case letters");
        errors.GetProperty("nameEn").EnumerateArray().Single().GetString().ShouldBe("This field is required.");
        errors.GetProperty("category").EnumerateArray().Single().GetString()!.ShouldContain("technical, process, management, soft-skill");

        var key = CompetenceWorld.Key("itil");
        var competence = await world.CompetenceAsync("process", key);
        var duplicate = await CompetenceWorld.ReadAsync(await admin.PostAsJsonAsync($"{Api}/competences",
            new { key, nameEn = "ITIL", nameZh = "ITIL", category = "process" }), HttpStatusCode.BadRequest);
        duplicate.GetProperty("errors").GetProperty("key").EnumerateArray().Single().GetString().ShouldBe("This value is already in use.");

        var body = new { key, nameEn = "ITIL practice", nameZh = "ITIL 实践", category = "process" };
        await CompetenceWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Put, $"{Api}/competences/{competence}", body, 1), HttpStatusCode.OK);
        await CompetenceWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Put, $"{Api}/competences/{competence}", body, 1), HttpStatusCode.PreconditionFailed);
        (await admin.PutAsJsonAsync($"{Api}/competences/{competence}", body)).StatusCode.ShouldBe(HttpStatusCode.PreconditionRequired);

        using var chinese = await host.AdminAsync("zh-CN");
        var role = await CompetenceWorld.ReadAsync(await chinese.PostAsJsonAsync($"{Api}/job-roles", new
        {
            key = CompetenceWorld.Key("duty"), nameEn = "Duty engineer", nameZh = "值守工程师", requirements = new[] { new { competenceId = competence, minLevel = 5 } },
        }), HttpStatusCode.BadRequest);
        role.GetProperty("errors").GetProperty("requirements").EnumerateArray().Single().GetString()!.ShouldContain("等级为 1");

        var customer = await world.Build.UserAsync(await world.Build.OrganisationAsync(), "customer-user");
        var created = await world.JobRoleAsync([(competence, 2)]);
        var refused = await CompetenceWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Put, $"{Api}/job-roles/{created.GetProperty("id").GetGuid()}/people",
            new { userIds = new[] { customer.Id } }, 1), HttpStatusCode.BadRequest);
        refused.GetProperty("errors").GetProperty("userIds").EnumerateArray().Single().GetString()!.ShouldContain(customer.Id.ToString());

        var person = await world.StaffAsync();
        var assess = await CompetenceWorld.ReadAsync(await admin.PostAsJsonAsync($"{Api}/people/{person.Id}/levels",
            new { competenceId = competence, level = 0, assessedOn = CompetenceWorld.Day(3), evidence = "" }), HttpStatusCode.BadRequest);
        assess.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["evidence", "level", "assessedOn"], ignoreOrder: true);
        (await admin.PostAsJsonAsync($"{Api}/people/{Guid.NewGuid()}/levels", new { competenceId = competence, level = 2, evidence = "x" }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await world.RecordAsync(person.Id)).GetProperty("competences").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Customers_are_refused_and_staff_without_competence_read_see_only_their_own_record()
    {
        var world = await CompetenceWorld.ForAsync(host);
        var agent = await world.StaffAsync("service-desk-agent");
        var colleague = await world.StaffAsync("technician");
        var manager = await world.StaffAsync("change-manager");
        var customer = await world.Build.UserAsync(await world.Build.OrganisationAsync(), "customer-user");
        using var asCustomer = await world.Build.ClientAsync(customer);
        foreach (var path in new[] { "/competences", "/job-roles", "/matrix", $"/people/{customer.Id}/record", $"/people/{agent.Id}/record", "/certificates", "/performance-reviews" })
        {
            (await asCustomer.GetAsync(Api + path)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
        }

        using var asAgent = await world.Build.ClientAsync(agent);
        (await asAgent.GetAsync($"{Api}/matrix")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await asAgent.PostAsJsonAsync($"{Api}/competences", new { key = "x", nameEn = "x", nameZh = "x", category = "technical" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var own = await CompetenceWorld.ReadAsync(await asAgent.GetAsync($"{Api}/people/{agent.Id}/record"), HttpStatusCode.OK);
        own.GetProperty("email").GetString().ShouldBe(agent.Email);
        var other = await CompetenceWorld.ReadAsync(await asAgent.GetAsync($"{Api}/people/{colleague.Id}/record"), HttpStatusCode.Forbidden);
        other.GetProperty("detail").GetString().ShouldBe("You may read only your own training record.");
        (await asAgent.GetAsync($"{Api}/people/{agent.Id}/record?format=csv")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // A change manager reads everyone's record but keeps none of them.
        using var asManager = await world.Build.ClientAsync(manager);
        (await asManager.GetAsync($"{Api}/people/{colleague.Id}/record")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await asManager.GetAsync($"{Api}/matrix")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await asManager.PostAsJsonAsync($"{Api}/people/{colleague.Id}/levels", new { competenceId = Guid.NewGuid(), level = 2, evidence = "x" }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await asManager.GetAsync($"{Api}/people/{Guid.NewGuid()}/record")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

public sealed class CatalogueTestsOnSqlite(SqliteCertus host) : CatalogueTests(host), IClassFixture<SqliteCertus>;

public sealed class CatalogueTestsOnPostgres(PostgresCertus host) : CatalogueTests(host), IClassFixture<PostgresCertus>;
