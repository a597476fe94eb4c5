using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.ServiceLevels.Tests.Api;

public abstract class PortfolioApiTests(CertusFixture host)
{
    [Fact]
    public async Task A_service_project_keeps_the_mandatory_processes_on_and_audits_each_choice()
    {
        var build = await Builders.ForAsync(host);
        var customer = await build.OrganisationAsync();
        var manager = await build.UserAsync(await build.ProviderIdAsync(), "service-level-manager");
        var code = "PRJ-" + Guid.NewGuid().ToString("N")[..6];

        var bad = await build.Admin.PostAsJsonAsync("/api/v1/service-projects", new
        {
            code, name = "East China DC", organisationId = customer, managerId = manager.Id, startsOn = "2026-13-01", processes = new[] { "change", "astrology" },
        });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.TryGetProperty("startsOn", out _).ShouldBeTrue();
        errors.TryGetProperty("processes", out _).ShouldBeTrue();

        var id = await SlaDesk.CreatedIdAsync(await build.Admin.PostAsJsonAsync("/api/v1/service-projects", new
        {
            code, name = "East China DC", organisationId = customer, managerId = manager.Id, startsOn = "2026-01-01", processes = new[] { "change", "service-level" },
        }));
        var project = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/service-projects/{id}");
        var choices = project.GetProperty("choices").EnumerateArray().ToDictionary(c => c.GetProperty("process").GetString()!, c => c.GetProperty("enabled").GetBoolean());
        choices["incident"].ShouldBeTrue();
        choices["service-desk"].ShouldBeTrue();
        choices["change"].ShouldBeTrue();
        choices["release"].ShouldBeFalse();

        (await build.Admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/service-projects/{id}", new
        {
            code, name = "East China DC", organisationId = customer, managerId = manager.Id, startsOn = "2026-01-01", processes = new[] { "change", "release" },
        }, 1)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await build.Admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/service-projects/{id}", new
        {
            code, name = "East China DC", organisationId = customer, managerId = manager.Id, startsOn = "2026-01-01", processes = Array.Empty<string>(),
        }, 1)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);

        var history = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=service-project&recordId={id}");
        var processChange = history.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "updated")
            .GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("field").GetString() == "processes");
        processChange.GetProperty("old").GetString().ShouldBe("change, service-level");
        processChange.GetProperty("new").GetString().ShouldBe("change, release");
    }

    [Fact]
    public async Task Approving_a_new_version_ends_the_old_one_and_new_incidents_are_timed_by_it()
    {
        var desk = await SlaDesk.CreateAsync(host);
        var admin = desk.Build.Admin;
        (await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/agreements/{desk.Agreement}/versions", new
        {
            targets = new[] { new { priority = 1, responseMinutes = 10, resolutionMinutes = 120 } },
        }, 2)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PostAsJsonAsync($"/api/v1/agreements/{desk.Agreement}/approve", new { })).StatusCode.ShouldBe(HttpStatusCode.PreconditionRequired);
        (await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/agreements/{desk.Agreement}/approve", new { }, 2)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/agreements/{desk.Agreement}/approve", new { reason = "Renewed contract" }, 3)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var agreement = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/agreements/{desk.Agreement}");
        var versions = agreement.GetProperty("versions").EnumerateArray().ToList();
        versions.Count.ShouldBe(2);
        versions[0].GetProperty("effectiveTo").GetDateTimeOffset().ShouldBe(versions[1].GetProperty("effectiveFrom").GetDateTimeOffset());
        agreement.GetProperty("current").GetProperty("number").GetInt32().ShouldBe(2);

        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var id = (await desk.LogAsync(agent)).GetProperty("id").GetGuid();
        var clock = await SlaDesk.ClockAsync(agent, id, "resolution");
        clock.GetProperty("agreement").GetProperty("version").GetInt32().ShouldBe(2);
        clock.GetProperty("targetMinutes").GetInt32().ShouldBe(120);
    }

    [Fact]
    public async Task Bad_agreements_are_refused_field_by_field_and_nothing_is_written()
    {
        var build = await Builders.ForAsync(host);
        var before = (await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/agreements")).GetArrayLength();

        var response = await build.Admin.PostAsJsonAsync("/api/v1/agreements", new
        {
            kind = "sla", title = "", terms = new
            {
                warningPercent = 120, pauseStatuses = new[] { "resolved" }, onReopen = "sometimes",
                targets = new[] { new { priority = 7, responseMinutes = 60, resolutionMinutes = 30 } },
            },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "title", "organisationId", "warningPercent", "pauseStatuses", "onReopen", "targets" })
        {
            errors.TryGetProperty(field, out _).ShouldBeTrue(field);
        }
        (await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/agreements")).GetArrayLength().ShouldBe(before);
    }

    [Fact]
    public async Task Service_codes_are_unique_and_a_customer_never_sees_a_proposed_service()
    {
        var build = await Builders.ForAsync(host);
        var customer = await build.OrganisationAsync();
        var code = "SVC-" + Guid.NewGuid().ToString("N")[..6];
        await SlaDesk.CreatedIdAsync(await build.Admin.PostAsJsonAsync("/api/v1/services", new
        {
            code, nameEn = "Backup", nameZh = "备份", lifecycle = "proposed", customerIds = new[] { customer },
        }));

        var duplicate = await build.Admin.PostAsJsonAsync("/api/v1/services", new { code = code.ToLowerInvariant(), nameEn = "Other", nameZh = "其他" });
        duplicate.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var user = await build.ClientAsync(await build.UserAsync(customer, "customer-user"));
        (await user.GetFromJsonAsync<JsonElement>("/api/v1/services")).GetArrayLength().ShouldBe(0);
    }
}

public sealed class PortfolioApiTestsOnSqlite(SqliteCertus host) : PortfolioApiTests(host), IClassFixture<SqliteCertus>;

public sealed class PortfolioApiTestsOnPostgres(PostgresCertus host) : PortfolioApiTests(host), IClassFixture<PostgresCertus>;
