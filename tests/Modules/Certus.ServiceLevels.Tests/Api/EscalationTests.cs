using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Data;
using Certus.ServiceLevels.Features;
using Certus.Testing;
using Certus.Web.Platform;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shouldly;
using Xunit;

namespace Certus.ServiceLevels.Tests.Api;

public abstract class EscalationTests(CertusFixture host)
{
    [Fact]
    public async Task A_warning_notifies_the_assignee_the_group_lead_and_the_service_owner_in_their_notification_lists()
    {
        var desk = await SlaDesk.CreateAsync(host);
        var provider = await desk.Build.ProviderIdAsync();
        var lead = await desk.Build.UserAsync(provider, "service-desk-agent");
        var owner = await desk.Build.UserAsync(provider, "service-level-manager");
        (await desk.Build.Admin.SendIfMatchAsync(HttpMethod.Patch, $"/api/v1/groups/{desk.Group}", new { name = Builders.Unique("Network team"), leadId = lead.Id }, 1))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var service = await desk.Build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/services/{desk.Service}");
        (await desk.Build.Admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/services/{desk.Service}", new
        {
            code = desk.ServiceCode, nameEn = "IDC hosting", nameZh = "IDC 托管", lifecycle = "live", ownerId = owner.Id, customerIds = new[] { desk.Customer },
        }, service.GetProperty("version").GetInt32())).StatusCode.ShouldBe(HttpStatusCode.OK);
        await SlaDesk.CreatedIdAsync(await desk.Build.Admin.PostAsJsonAsync("/api/v1/escalation-rules", new
        {
            name = Builders.Unique("Warn the team"), agreementId = desk.Agreement, metric = "resolution", level = "warning",
            notifyAssignee = true, notifyGroupLead = true, notifyServiceOwner = true,
        }));
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var incident = await desk.LogAsync(agent);
        var id = incident.GetProperty("id").GetGuid();
        await SlaDesk.MoveAsync(agent, id, "assign", new { assignmentGroupId = desk.Group, assigneeId = desk.Agent.Id });

        await EvaluateAsync(desk, incident.GetProperty("createdAt").GetDateTimeOffset().AddMinutes(181));

        foreach (var person in new[] { desk.Agent, lead, owner })
        {
            using var client = await desk.Build.ClientAsync(person);
            var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications");
            list.GetProperty("items").EnumerateArray().Count(n => n.GetProperty("title").GetString()!.Contains(incident.GetProperty("number").GetString()!, StringComparison.Ordinal))
                .ShouldBe(1, $"{person.Email} is told once");
        }
    }

    [Fact]
    public async Task An_escalation_to_another_group_hands_the_incident_over_and_leaves_the_old_assignee_off()
    {
        var desk = await SlaDesk.CreateAsync(host);
        var provider = await desk.Build.ProviderIdAsync();
        var managers = (await (await desk.Build.Admin.PostAsJsonAsync("/api/v1/groups", new { organisationId = provider, name = Builders.Unique("Duty managers") }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await SlaDesk.CreatedIdAsync(await desk.Build.Admin.PostAsJsonAsync("/api/v1/escalation-rules", new
        {
            name = Builders.Unique("Breach to duty managers"), agreementId = desk.Agreement, metric = "resolution", level = "breach", reassignGroupId = managers,
        }));
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var incident = await desk.LogAsync(agent);
        var id = incident.GetProperty("id").GetGuid();
        await SlaDesk.MoveAsync(agent, id, "assign", new { assignmentGroupId = desk.Group, assigneeId = desk.Agent.Id });

        await EvaluateAsync(desk, incident.GetProperty("createdAt").GetDateTimeOffset().AddMinutes(241));

        var view = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        view.GetProperty("assignmentGroupId").GetGuid().ShouldBe(managers);
        view.GetProperty("assigneeId").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task An_ola_clock_starts_when_its_group_takes_the_incident()
    {
        var desk = await SlaDesk.CreateAsync(host);
        var ola = await SlaDesk.CreatedIdAsync(await desk.Build.Admin.PostAsJsonAsync("/api/v1/agreements", new
        {
            kind = "ola", title = "Network team OLA", groupId = desk.Group,
            terms = new { targets = new[] { new { priority = 1, responseMinutes = 10, resolutionMinutes = 120 } } },
        }));
        (await desk.Build.Admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/agreements/{ola}/approve", new { effectiveFrom = DateTimeOffset.UtcNow.AddDays(-1) }, 1))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var id = (await desk.LogAsync(agent)).GetProperty("id").GetGuid();
        var before = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        before.GetProperty("sla").GetProperty("clocks").EnumerateArray().ShouldAllBe(c => c.GetProperty("agreement").GetProperty("kind").GetString() == "sla");

        await SlaDesk.MoveAsync(agent, id, "assign", new { assignmentGroupId = desk.Group });

        var after = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        var olaClock = after.GetProperty("sla").GetProperty("clocks").EnumerateArray()
            .Single(c => c.GetProperty("agreement").GetProperty("kind").GetString() == "ola" && c.GetProperty("metric").GetString() == "resolution");
        olaClock.GetProperty("targetMinutes").GetInt32().ShouldBe(120);
        olaClock.GetProperty("startedAt").GetDateTimeOffset().ShouldBeGreaterThan(after.GetProperty("createdAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Customers_see_their_own_slas_but_no_olas_and_no_other_customers_agreements()
    {
        var desk = await SlaDesk.CreateAsync(host);
        var other = await SlaDesk.CreateAsync(host);
        using var customer = await desk.Build.ClientAsync(desk.CustomerUser);

        var agreements = await customer.GetFromJsonAsync<JsonElement>("/api/v1/agreements");
        agreements.EnumerateArray().Select(a => a.GetProperty("id").GetGuid()).ShouldBe([desk.Agreement]);
        (await customer.GetAsync($"/api/v1/agreements/{other.Agreement}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await customer.GetAsync($"/api/v1/services/{other.Service}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var catalogue = await customer.GetFromJsonAsync<JsonElement>("/api/v1/services");
        catalogue.EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ShouldBe([desk.Service]);
        (await customer.PostAsJsonAsync("/api/v1/services", new { code = "X", nameEn = "x", nameZh = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    protected static async Task EvaluateAsync(SlaDesk desk, DateTimeOffset asOf)
    {
        var response = await desk.Build.Admin.PostAsync($"/api/v1/sla/evaluate?asOf={Uri.EscapeDataString(asOf.ToString("O"))}", null);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}

public sealed class EscalationTestsOnSqlite(SqliteCertus host) : EscalationTests(host), IClassFixture<SqliteCertus>;

public sealed class EscalationTestsOnPostgres(PostgresCertus host) : EscalationTests(host), IClassFixture<PostgresCertus>
{
    private readonly PostgresCertus _postgres = host;

    [Fact]
    public async Task With_two_instances_on_one_database_an_escalation_fires_once()
    {
        var desk = await SlaDesk.CreateAsync(_postgres);
        await SlaDesk.CreatedIdAsync(await desk.Build.Admin.PostAsJsonAsync("/api/v1/escalation-rules", new
        {
            name = Builders.Unique("Raise on breach"), agreementId = desk.Agreement, metric = "resolution", level = "breach", raisePriority = true,
        }));
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var incident = await desk.LogAsync(agent, "low", "low");
        var id = incident.GetProperty("id").GetGuid();
        var asOf = incident.GetProperty("createdAt").GetDateTimeOffset().AddMinutes(2881);
        await using var second = CertusHost.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["Certus:Database:Provider"] = "postgres",
                ["Certus:Database:ConnectionString"] = _postgres.Services.GetRequiredService<DatabaseOptions>().ConnectionString,
            });
            builder.Logging.ClearProviders();
        }, RepositoryPaths.WebProject);
        await second.StartAsync();
        try
        {
            // Both instances evaluate the same overdue clock at the same moment, several times over.
            var runs = Enumerable.Range(0, 4).SelectMany(_ => new[]
            {
                _postgres.Services.GetRequiredService<EvaluateClocks>().RunOnceAsync(CancellationToken.None, asOf),
                second.Services.GetRequiredService<EvaluateClocks>().RunOnceAsync(CancellationToken.None, asOf),
            });
            var results = await Task.WhenAll(runs);

            results.Sum(r => r.Escalations).ShouldBe(1);
            var view = await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
            view.GetProperty("priority").GetInt32().ShouldBe(4, "P5 raised one step, once");
            await using var connection = await _postgres.Database.OpenAsync();
            (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sla_escalations WHERE incident_id = @id", new { id })).ShouldBe(1);
            (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sla_breaches WHERE incident_id = @id AND metric = 'resolution'", new { id })).ShouldBe(1);
        }
        finally
        {
            await second.StopAsync();
        }
    }
}
