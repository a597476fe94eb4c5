using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Kernel.Conformity;
using Certus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Certus.Audits.Tests.Api;

/// <summary>One story per database: what the review compiles on known data, what it freezes, and the two audit checks on either side of it.</summary>
public abstract class ManagementReviewTests(CertusFixture host)
{
    private static decimal Figure(JsonElement section, string label) =>
        section.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("label").GetString() == label).GetProperty("value").GetDecimal();

    private static JsonElement Section(JsonElement review, string key) =>
        review.GetProperty("inputs").EnumerateArray().Single(s => s.GetProperty("key").GetString() == key);

    private async Task<CheckResult> RunAsync(string key, DateTimeOffset now)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetServices<IConformityCheck>().Single(c => c.Key == key).RunAsync(now, CancellationToken.None);
    }

    [Fact]
    public async Task A_review_compiles_its_inputs_from_live_data_freezes_them_when_held_and_satisfies_the_review_check()
    {
        var world = await AuditWorld.ForAsync(host);
        var admin = world.Admin;
        var now = DateTimeOffset.UtcNow;
        (await RunAsync("audits.internal-audit-last-12-months", now)).Verdict.ShouldBe(CheckVerdict.NoEvidence);
        (await RunAsync("audits.review-after-last-audit", now)).Verdict.ShouldBe(CheckVerdict.NoEvidence);

        // Known data: one audit with a major nonconformity and an observation; one NC by hand, past due; one improvement; one major incident.
        var (audit, _, _) = await world.PlannedAuditAsync();
        var started = await world.StartAndAnswerAsync(audit);
        var id = started.GetProperty("id").GetGuid();
        await AuditWorld.ReadAsync(await admin.PostAsJsonAsync($"/api/v1/internal-audits/{id}/findings",
            new { kind = "major", clause = "8.6.1", statement = "未经确认关闭 / closed unconfirmed", evidence = "INC-000101" }), HttpStatusCode.Created);
        await AuditWorld.ReadAsync(await admin.PostAsJsonAsync($"/api/v1/internal-audits/{id}/findings",
            new { kind = "observation", statement = "知识库更新滞后 / KB lags", evidence = "KB-12" }), HttpStatusCode.Created);
        var reported = await world.MoveAsync(id, started.GetProperty("version").GetInt32(), new { move = "report", summary = "一项严重不符合 / one major" });
        await AuditWorld.ReadAsync(await admin.PostAsJsonAsync("/api/v1/nonconformities", new
        {
            title = "客户投诉：周报延迟 / complaint: weekly report late", source = "complaint", sourceRef = "TS-2026-031", severity = "minor",
            ownerId = (await world.StaffAsync("service-level-manager")).Id, dueDate = "2026-01-15",
        }), HttpStatusCode.Created);
        await AuditWorld.ReadAsync(await admin.PostAsJsonAsync("/api/v1/improvements", new { title = "值班交接电子化 / electronic shift handover" }), HttpStatusCode.Created);
        var org = await world.Build.OrganisationAsync();
        await AuditWorld.ReadAsync(await admin.PostAsJsonAsync("/api/v1/incidents", new
        {
            title = "机房 UPS 故障 / data-centre UPS failure", channel = "monitoring", organisationId = org, callerName = "值班员 / duty officer", impact = "high", urgency = "high", isMajor = true,
        }), HttpStatusCode.Created);

        var rated = await AuditWorld.ReadAsync(await admin.PostAsJsonAsync("/api/v1/incidents", new
        {
            title = "门禁卡失效 / access card stopped working", channel = "phone", organisationId = org, callerName = "郑华", impact = "low", urgency = "low",
        }), HttpStatusCode.Created);
        var ratedId = rated.GetProperty("id").GetGuid();
        await AuditWorld.ReadAsync(await admin.PostAsJsonAsync($"/api/v1/incidents/{ratedId}/resolve", new { resolutionCode = "fixed", resolutionNotes = "重新授权 / re-enabled" }), HttpStatusCode.OK);
        await AuditWorld.ReadAsync(await admin.PostAsJsonAsync($"/api/v1/incidents/{ratedId}/confirm", new { satisfaction = 2, satisfactionComment = "等了半天 / took ages" }), HttpStatusCode.OK);

        (await RunAsync("audits.internal-audit-last-12-months", DateTimeOffset.UtcNow)).Verdict.ShouldBe(CheckVerdict.Conforming);
        var stale = await RunAsync("audits.internal-audit-last-12-months", DateTimeOffset.UtcNow.AddMonths(13));
        stale.Verdict.ShouldBe(CheckVerdict.Gap);
        stale.Records.Single().Reference.ShouldBe(reported.GetProperty("number").GetString());
        var noReview = await RunAsync("audits.review-after-last-audit", DateTimeOffset.UtcNow);
        noReview.Verdict.ShouldBe(CheckVerdict.Gap);
        noReview.Summary.ShouldContain(reported.GetProperty("number").GetString()!);

        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var review = await AuditWorld.ReadAsync(await admin.PostAsJsonAsync("/api/v1/management-reviews", new
        {
            title = "2026 年度管理评审 / management review 2026", periodFrom = today.AddDays(-30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            periodTo = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), plannedDate = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }), HttpStatusCode.Created);
        var reviewId = review.GetProperty("id").GetGuid();
        var live = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/management-reviews/{reviewId}");
        live.GetProperty("inputsFrozen").GetBoolean().ShouldBeFalse();
        var audits = Section(live, "audit-results");
        Figure(audits, "Audits reported").ShouldBe(1);
        Figure(audits, "Major nonconformity").ShouldBe(1);
        Figure(audits, "Observation").ShouldBe(1);
        audits.GetProperty("records")[0].GetProperty("reference").GetString().ShouldBe(reported.GetProperty("number").GetString());
        var ncs = Section(live, "nonconformities");
        Figure(ncs, "Raised").ShouldBe(2);
        Figure(ncs, "Open").ShouldBe(2);
        Figure(ncs, "Past due").ShouldBe(1);
        Figure(ncs, "From internal audits").ShouldBe(1);
        Figure(ncs, "From complaints").ShouldBe(1);
        Figure(Section(live, "improvements"), "Proposed").ShouldBe(1);
        var major = Section(live, "major-incidents");
        Figure(major, "Major incidents").ShouldBe(1);
        major.GetProperty("records")[0].GetProperty("title").GetString().ShouldBe("机房 UPS 故障 / data-centre UPS failure");
        Section(live, "service-levels").GetProperty("summary").GetString().ShouldBe("No SLA resolution clock stopped in the period.");
        // Change management provides its section, compliance the objectives and the risks; customer satisfaction has no module yet.
        Section(live, "changes").GetProperty("provided").GetBoolean().ShouldBeTrue();
        Section(live, "changes").GetProperty("figures").EnumerateArray().Select(f => f.GetProperty("label").GetString()).ShouldContain("Success rate");
        var satisfaction = Section(live, "customer-satisfaction");
        satisfaction.GetProperty("provided").GetBoolean().ShouldBeTrue();
        Figure(satisfaction, "Ratings").ShouldBe(1);
        Figure(satisfaction, "Rated 2").ShouldBe(1);
        Figure(satisfaction, "Satisfied (4-5)").ShouldBe(0);
        satisfaction.GetProperty("records")[0].GetProperty("reference").GetString().ShouldBe(rated.GetProperty("number").GetString());
        satisfaction.GetProperty("records")[0].GetProperty("title").GetString()!.ShouldContain("等了半天 / took ages");
        Section(live, "objectives").GetProperty("provided").GetBoolean().ShouldBeTrue();
        Section(live, "risks").GetProperty("provided").GetBoolean().ShouldBeTrue();
        live.GetProperty("inputs").EnumerateArray().Select(s => s.GetProperty("key").GetString()).ShouldBe(
            ["previous-actions", "objectives", "service-levels", "customer-satisfaction", "audit-results", "nonconformities", "changes", "major-incidents", "risks", "improvements"]);

        var owner = await world.StaffAsync();
        var action = await AuditWorld.ReadAsync(await admin.PostAsJsonAsync($"/api/v1/management-reviews/{reviewId}/actions",
            new { kind = "action", text = "增设夜班二线 / add a night second line", ownerId = owner.Id, dueDate = "2026-12-31" }), HttpStatusCode.Created);
        var noMinutes = await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/management-reviews/{reviewId}/moves", new { move = "hold" }, 1), HttpStatusCode.BadRequest);
        noMinutes.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["minutes"]);
        var held = await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/management-reviews/{reviewId}/moves",
            new { move = "hold", minutes = "体系运行有效；增设夜班二线。/ The system works; add a night second line.", attendees = "吴刚, 孙丽" }, 1), HttpStatusCode.OK);
        held.GetProperty("status").GetString().ShouldBe("held");
        held.GetProperty("inputsFrozen").GetBoolean().ShouldBeTrue();
        (await RunAsync("audits.review-after-last-audit", DateTimeOffset.UtcNow)).Verdict.ShouldBe(CheckVerdict.Conforming);

        // Live data moves on; the held review keeps what was before it, in either language.
        await AuditWorld.ReadAsync(await admin.PostAsJsonAsync("/api/v1/nonconformities", new { title = "later / 之后", source = "manual" }), HttpStatusCode.Created);
        var frozen = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/management-reviews/{reviewId}");
        Figure(Section(frozen, "nonconformities"), "Raised").ShouldBe(2);
        using var chinese = await host.AdminAsync("zh-CN");
        var zh = await chinese.GetFromJsonAsync<JsonElement>($"/api/v1/management-reviews/{reviewId}");
        Section(zh, "nonconformities").GetProperty("title").GetString().ShouldBe("不符合项与纠正措施");
        Figure(Section(zh, "nonconformities"), "新增").ShouldBe(2);

        var open = await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/management-reviews/{reviewId}/moves", new { move = "close" }, 2), HttpStatusCode.Conflict);
        open.GetProperty("detail").GetString()!.ShouldContain("#1");
        await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/management-reviews/{reviewId}/actions/{action.GetProperty("id").GetGuid()}/moves",
            new { move = "done", outcome = "11 月起实行 / in place since November" }, 1), HttpStatusCode.OK);
        (await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/management-reviews/{reviewId}/moves", new { move = "close" }, 2), HttpStatusCode.OK))
            .GetProperty("status").GetString().ShouldBe("closed");
        (await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/management-reviews/{reviewId}/moves", new { move = "hold", minutes = "x" }, 3), HttpStatusCode.Conflict))
            .GetProperty("detail").GetString()!.ShouldContain("none");

        // A later audit puts the review behind it again.
        await world.ReportedAuditAsync();
        (await RunAsync("audits.review-after-last-audit", DateTimeOffset.UtcNow)).Verdict.ShouldBe(CheckVerdict.Gap);
    }
}

public sealed class ManagementReviewTestsOnSqlite(SqliteCertus host) : ManagementReviewTests(host), IClassFixture<SqliteCertus>;

public sealed class ManagementReviewTestsOnPostgres(PostgresCertus host) : ManagementReviewTests(host), IClassFixture<PostgresCertus>;
