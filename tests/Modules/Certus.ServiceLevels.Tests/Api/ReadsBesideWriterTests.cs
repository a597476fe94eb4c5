using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Kernel.Conformity;
using Certus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Certus.ServiceLevels.Tests.Api;

/// <summary>
/// The SLA reports only read, so they must answer while a writer holds the database: on SQLite a plain BEGIN takes
/// the write lock and would wait behind the group-commit writer (up to the 30-second busy timeout, then fail).
/// </summary>
public abstract class ReadsBesideWriterTests(CertusFixture host)
{
    // Generous: a report answers in milliseconds; this only bounds how long a broken build makes the test wait.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_attainment_page_report_check_and_measures_answer_while_a_write_is_held_open()
    {
        var desk = await SlaDesk.CreateAsync(host);
        using var agent = await desk.Build.ClientAsync(desk.Agent);
        var incident = await desk.LogAsync(agent, "low", "medium");
        var id = incident.GetProperty("id").GetGuid();
        var number = incident.GetProperty("numberValue").GetInt64();
        await SlaDesk.MoveAsync(agent, id, "assign", new { assignmentGroupId = desk.Group, assigneeId = desk.Agent.Id });
        var breachAt = incident.GetProperty("createdAt").GetDateTimeOffset().AddMinutes(1921);
        (await desk.Build.Admin.PostAsync($"/api/v1/sla/evaluate?asOf={Uri.EscapeDataString(breachAt.ToString("O"))}", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await SlaDesk.MoveAsync(agent, id, "resolve", new { resolutionCode = "fixed", resolutionNotes = "Replaced the optic" });

        using var page = new BrowserSession(host);
        (await page.SignInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var today = DateTime.Today;
        var pagePath = $"/service-levels/attainment?from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(5):yyyy-MM-dd}&groupBy=service";
        var from = DateTimeOffset.UtcNow.AddDays(-1);
        var to = DateTimeOffset.UtcNow.AddDays(5);
        var reportPath = $"/api/v1/reports/sla-attainment?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}&groupBy=service";
        (await desk.Build.Admin.GetAsync(reportPath)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using var writer = await HeldWriter.StartAsync(host.Database, Patience);
        using var patience = new CancellationTokenSource(Patience);

        var html = await page.GetHtmlAsync(pagePath).WaitAsync(patience.Token);
        var report = await desk.Build.Admin.GetFromJsonAsync<JsonElement>(reportPath, patience.Token);
        await using var scope = host.Services.CreateAsyncScope();
        var check = await scope.ServiceProvider.GetServices<IConformityCheck>().Single(c => c.Key == "service-levels.attainment-this-quarter")
            .RunAsync(DateTimeOffset.UtcNow, patience.Token);
        var measures = scope.ServiceProvider.GetServices<IObjectiveMeasure>().ToDictionary(m => m.Key, StringComparer.Ordinal);
        var attainment = await measures["service-levels.attainment"].MeasureAsync(from, to, patience.Token);
        var breaches = await measures["service-levels.breaches"].MeasureAsync(from, to, patience.Token);

        // All of it answered before the writer let go: none of it waited for the write lock.
        writer.IsCompleted.ShouldBeFalse();
        html.ShouldContain($"href=\"/incidents/{number.ToString(CultureInfo.InvariantCulture)}\"");
        report.GetProperty("rows").EnumerateArray().ShouldContain(r => r.GetProperty("breached").GetInt32() == 1);
        check.Verdict.ShouldBe(CheckVerdict.Gap);
        check.Records.ShouldContain(r => r.Path == $"/incidents/{number.ToString(CultureInfo.InvariantCulture)}");
        attainment.Records.ShouldContain(r => r.Path == $"/incidents/{number.ToString(CultureInfo.InvariantCulture)}");
        breaches.Records.ShouldContain(r => r.Path == $"/incidents/{number.ToString(CultureInfo.InvariantCulture)}");
    }
}

public sealed class ReadsBesideWriterTestsOnSqlite(SqliteCertus host) : ReadsBesideWriterTests(host), IClassFixture<SqliteCertus>;

public sealed class ReadsBesideWriterTestsOnPostgres(PostgresCertus host) : ReadsBesideWriterTests(host), IClassFixture<PostgresCertus>;
