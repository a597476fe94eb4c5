using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;
using static Certus.Compliance.Tests.Planning.Planning;

namespace Certus.Compliance.Tests.Planning;

/// <summary>The objectives and risks sections of a management review (9.3 b, e), compiled from known data through the review itself.</summary>
public abstract class ReviewInputTests(CertusFixture host)
{
    private static decimal Figure(JsonElement section, string label) =>
        section.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("label").GetString() == label).GetProperty("value").GetDecimal();

    private static JsonElement Section(JsonElement review, string key) =>
        review.GetProperty("inputs").EnumerateArray().Single(s => s.GetProperty("key").GetString() == key);

    [Fact]
    public async Task A_review_compiles_the_objectives_against_their_targets_and_the_risks_by_level_and_movement()
    {
        var build = await Builders.ForAsync(host);
        var admin = build.Admin;
        var owner = await build.UserAsync(await build.ProviderIdAsync(), "service-level-manager");
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var yesterday = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        object Objective(string title, string measure, decimal target, string? manual = null) => new
        {
            titleEn = title, ownerId = owner.Id, process = "customer-satisfaction", measureKey = measure, manualMeasure = manual, manualUnit = manual is null ? null : "pts", target,
        };
        var satisfaction = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/objectives", Objective("Satisfaction at least 90", "manual", 90, "Survey score")), HttpStatusCode.Created);
        // Yesterday in China: inside the period whatever the server's own time zone.
        await ReadAsync(await admin.PostAsJsonAsync($"/api/v1/objectives/{Id(satisfaction)}/readings", new { value = 92.5, takenOn = yesterday }), HttpStatusCode.OK);
        await ReadAsync(await admin.PostAsJsonAsync("/api/v1/objectives", Objective("Complaints answered", "manual", 100, "Share answered")), HttpStatusCode.Created);
        var major = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/objectives", Objective("At most two major incidents", "incidents.major", 2)), HttpStatusCode.Created);

        object Risk(string title, string kind, int likelihood, int impact) => new
        {
            kind, title, category = "continuity", ownerId = owner.Id, likelihood, impact, treatment = kind == "risk" ? "reduce" : "exploit", treatmentPlan = "Plan",
        };
        var high = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/risks", Risk("Cooling failure", "risk", 4, 4)), HttpStatusCode.Created);
        var medium = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/risks", Risk("Slow vendor", "risk", 2, 3)), HttpStatusCode.Created);
        await ReadAsync(await admin.PostIfMatchAsync($"/api/v1/risks/{Id(medium)}/moves", new { move = "accept", reason = "Spares on site" }, Version(medium)), HttpStatusCode.OK);
        var low = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/risks", Risk("Old printer", "risk", 1, 2)), HttpStatusCode.Created);
        await ReadAsync(await admin.PostIfMatchAsync($"/api/v1/risks/{Id(low)}/moves", new { move = "close", reason = "Printer retired" }, Version(low)), HttpStatusCode.OK);
        await ReadAsync(await admin.PostAsJsonAsync("/api/v1/risks", Risk("MLPS hosting demand", "opportunity", 4, 4)), HttpStatusCode.Created);

        var review = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/management-reviews", new
        {
            title = "2026 management review", periodFrom = DateTimeOffset.UtcNow.AddDays(-30).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            periodTo = today, plannedDate = today,
        }), HttpStatusCode.Created);
        var live = await admin.GetJsonAsync($"/api/v1/management-reviews/{Id(review)}");

        var objectives = Section(live, "objectives");
        objectives.GetProperty("provided").GetBoolean().ShouldBeTrue();
        objectives.GetProperty("title").GetString().ShouldBe("Objectives");
        Figure(objectives, "Active objectives").ShouldBe(3);
        Figure(objectives, "Met").ShouldBe(2);
        Figure(objectives, "Not met").ShouldBe(0);
        Figure(objectives, "No data").ShouldBe(1);
        Figure(objectives, $"{satisfaction.GetProperty("reference").GetString()} Satisfaction at least 90").ShouldBe(92.5m);
        Figure(objectives, $"{major.GetProperty("reference").GetString()} At most two major incidents").ShouldBe(0);
        objectives.GetProperty("summary").GetString().ShouldBe("Objectives met over the period: 2 of 3; not met: 0, without data: 1.");
        objectives.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("path").GetString())
            .ShouldContain($"/compliance/objectives/{Id(satisfaction)}");

        var risks = Section(live, "risks");
        risks.GetProperty("provided").GetBoolean().ShouldBeTrue();
        Figure(risks, "Open risks").ShouldBe(2);
        Figure(risks, "Open, High").ShouldBe(1);
        Figure(risks, "Open, Medium").ShouldBe(1);
        Figure(risks, "Open, Low").ShouldBe(0);
        Figure(risks, "Open opportunities").ShouldBe(1);
        Figure(risks, "Identified in the period").ShouldBe(4);
        Figure(risks, "Treated in the period").ShouldBe(1);
        Figure(risks, "Closed in the period").ShouldBe(1);
        risks.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("reference").GetString()).ShouldBe([high.GetProperty("reference").GetString()]);

        using var chinese = await host.AdminAsync("zh-CN");
        var zh = await chinese.GetJsonAsync($"/api/v1/management-reviews/{Id(review)}");
        Section(zh, "risks").GetProperty("title").GetString().ShouldBe("风险和机遇");
        Figure(Section(zh, "objectives"), "达成").ShouldBe(2);
    }
}

public sealed class ReviewInputTestsOnSqlite(SqliteCertus host) : ReviewInputTests(host), IClassFixture<SqliteCertus>;

public sealed class ReviewInputTestsOnPostgres(PostgresCertus host) : ReviewInputTests(host), IClassFixture<PostgresCertus>;
