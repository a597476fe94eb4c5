using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Certus.Kernel.Conformity;
using Certus.Testing;
using Shouldly;
using Xunit;
using static Certus.Compliance.Tests.Planning.Planning;

namespace Certus.Compliance.Tests.Planning;

/// <summary>
/// Objectives (6.2): a live measure's value this period against the target, manual readings by the owner, the kept
/// trend, field errors, stale versions, retiring, who may do what, and the two objective checks. The tests share a
/// database; only one of them logs major incidents, the measure its objective reads.
/// </summary>
public abstract class ObjectiveTests(CertusFixture host)
{
    private static string Today => DateTimeOffset.Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static object Objective(Guid ownerId, string measureKey, decimal target, string? direction = null, string? manualMeasure = null, string? title = "Objective",
        string? plan = "Weekly review of breaching-soon tickets", string period = "quarter") => new
    {
        titleEn = title, titleZh = "目标", description = "", ownerId, process = "service-level", measureKey, manualMeasure, manualUnit = manualMeasure is null ? null : "pts",
        target, direction, period, planActions = plan, planResources = "Two desk staff", planDueOn = "2026-12-31", planEvaluation = "Quarterly report",
    };

    private static async Task LogMajorAsync(HttpClient agent, Guid organisation) =>
        await ReadAsync(await agent.PostAsJsonAsync("/api/v1/incidents", new
        {
            title = "UPS failure in hall A", channel = "monitoring", organisationId = organisation, callerName = "Duty officer", impact = "high", urgency = "high", isMajor = true,
        }), HttpStatusCode.Created);

    [Fact]
    public async Task A_live_objective_is_judged_against_its_target_this_period_and_keeps_its_trend()
    {
        var build = await Builders.ForAsync(host);
        var owner = await build.UserAsync(await build.ProviderIdAsync(), "problem-manager");
        using var agent = await StaffAsync(build, "service-desk-agent");
        var organisation = await build.OrganisationAsync();

        var created = await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/objectives",
            Objective(owner.Id, "incidents.major", 2, title: "At most two major incidents a quarter")), HttpStatusCode.Created);
        created.GetProperty("direction").GetString().ShouldBe("at-most");
        created.GetProperty("reference").GetString().ShouldStartWith("OBJ-");
        var url = $"/api/v1/objectives/{Id(created)}";
        var none = await agent.GetJsonAsync(url);
        none.GetProperty("current").GetProperty("value").GetDecimal().ShouldBe(0);
        none.GetProperty("current").GetProperty("result").GetString().ShouldBe("met");

        await LogMajorAsync(agent, organisation);
        await LogMajorAsync(agent, organisation);
        var two = await agent.GetJsonAsync(url);
        two.GetProperty("current").GetProperty("value").GetDecimal().ShouldBe(2);
        two.GetProperty("current").GetProperty("result").GetString().ShouldBe("met");
        two.GetProperty("current").GetProperty("records").GetArrayLength().ShouldBe(2);
        await LogMajorAsync(agent, organisation);
        var three = await agent.GetJsonAsync(url);
        three.GetProperty("current").GetProperty("value").GetDecimal().ShouldBe(3);
        three.GetProperty("current").GetProperty("result").GetString().ShouldBe("not-met");
        var list = await agent.GetJsonAsync("/api/v1/objectives");
        list.EnumerateArray().Single(o => Id(o) == Id(created)).GetProperty("current").GetProperty("result").GetString().ShouldBe("not-met");

        // Six quarters of trend, the current one last and still running; each is kept.
        var trend = three.GetProperty("trend").EnumerateArray().ToList();
        trend.Count.ShouldBe(6);
        trend[^1].GetProperty("final").GetBoolean().ShouldBeFalse();
        trend[^2].GetProperty("final").GetBoolean().ShouldBeTrue();
        trend[^2].GetProperty("value").GetDecimal().ShouldBe(0);
        (await ScalarAsync<long>(host, "SELECT count(*) FROM cmp_objective_snapshots WHERE objective_id = @id", new { id = Id(created) })).ShouldBe(6);
        // A kept period stays as it was seen, whatever the data says later.
        await SqlAsync(host, "UPDATE cmp_objective_snapshots SET value = 7 WHERE objective_id = @id AND final = 'yes'", new { id = Id(created) });
        (await agent.GetJsonAsync(url)).GetProperty("trend")[4].GetProperty("value").GetDecimal().ShouldBe(7);

        // The measures an objective may pick, with their value now.
        var measures = await agent.GetJsonAsync("/api/v1/objective-measures");
        measures.EnumerateArray().Select(m => m.GetProperty("key").GetString()).ShouldBe([
            "changes.emergency-share", "changes.success-rate", "competence.exam-pass-rate", "competence.training-plan-completion",
            "documents.reviewed-on-time", "improvement.nonconformities-on-time", "incidents.confirmed-closures", "incidents.customer-satisfaction",
            "incidents.major", "problems.resolved-within-target", "service-levels.attainment", "service-levels.breaches",
        ], ignoreOrder: true);
        measures.EnumerateArray().Single(m => m.GetProperty("key").GetString() == "incidents.major").GetProperty("value").GetDecimal().ShouldBe(3);
        using var customer = await build.ClientAsync(await build.UserAsync(organisation, "customer-user"));
        (await customer.GetAsync("/api/v1/objectives")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await customer.GetAsync("/api/v1/objective-measures")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_owner_enters_readings_of_a_manual_measure_and_nobody_else_but_a_manager_may()
    {
        var build = await Builders.ForAsync(host);
        var ownerUser = await build.UserAsync(await build.ProviderIdAsync(), "service-level-manager");
        using var owner = await build.ClientAsync(ownerUser);
        using var other = await StaffAsync(build, "technician");
        var created = await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/objectives",
            Objective(ownerUser.Id, "manual", 90, manualMeasure: "Customer satisfaction score")), HttpStatusCode.Created);
        var url = $"/api/v1/objectives/{Id(created)}";
        (await owner.GetJsonAsync(url)).GetProperty("current").GetProperty("result").GetString().ShouldBe("no-data");

        (await other.PostAsJsonAsync($"{url}/readings", new { value = 95, takenOn = Today })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var future = await ReadAsync(await owner.PostAsJsonAsync($"{url}/readings", new { value = 95, takenOn = DateTimeOffset.Now.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }),
            HttpStatusCode.BadRequest);
        ErrorFields(future).ShouldBe(["takenOn"]);
        ErrorFields(await ReadAsync(await owner.PostAsJsonAsync($"{url}/readings", new { takenOn = "yesterday" }), HttpStatusCode.BadRequest)).ShouldBe(["takenOn", "value"]);

        await ReadAsync(await owner.PostAsJsonAsync($"{url}/readings", new { value = 88.5, takenOn = Today, note = "23 replies" }), HttpStatusCode.OK);
        var low = await owner.GetJsonAsync(url);
        low.GetProperty("current").GetProperty("value").GetDecimal().ShouldBe(88.5m);
        low.GetProperty("current").GetProperty("result").GetString().ShouldBe("not-met");
        await ReadAsync(await build.Admin.PostAsJsonAsync($"{url}/readings", new { value = 92, takenOn = Today, note = "late replies counted" }), HttpStatusCode.OK);
        var met = await owner.GetJsonAsync(url);
        met.GetProperty("current").GetProperty("value").GetDecimal().ShouldBe(92);
        met.GetProperty("current").GetProperty("result").GetString().ShouldBe("met");
        met.GetProperty("readings").GetArrayLength().ShouldBe(2);
        (await HistoryAsync(host, "objective", Id(created))).Count(h => h.Action == "reading-recorded").ShouldBe(2);

        var live = await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/objectives", Objective(ownerUser.Id, "changes.success-rate", 95)), HttpStatusCode.Created);
        (await owner.PostAsJsonAsync($"/api/v1/objectives/{Id(live)}/readings", new { value = 99, takenOn = Today })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Bad_input_gets_field_errors_stale_writes_412_and_retiring_needs_a_reason()
    {
        var build = await Builders.ForAsync(host);
        var owner = await build.UserAsync(await build.ProviderIdAsync(), "change-manager");
        var customer = await build.UserAsync(await build.OrganisationAsync(), "customer-user");
        using var agent = await StaffAsync(build, "service-desk-agent");
        (await agent.PostAsJsonAsync("/api/v1/objectives", Objective(owner.Id, "changes.success-rate", 95))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var bad = await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/objectives", new
        {
            titleEn = "", titleZh = " ", ownerId = customer.Id, process = "astrology", measureKey = "weather.sunshine", direction = "sideways", period = "fortnight",
            planDueOn = "31/12/2026",
        }), HttpStatusCode.BadRequest);
        ErrorFields(bad).ShouldBe(["direction", "measureKey", "ownerId", "period", "planDueOn", "process", "target", "titleEn", "titleZh"]);
        ErrorFields(await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/objectives", Objective(owner.Id, "manual", 90)), HttpStatusCode.BadRequest))
            .ShouldBe(["manualMeasure"]);
        using var chinese = await host.AdminAsync("zh-CN");
        var zh = await ReadAsync(await chinese.PostAsJsonAsync("/api/v1/objectives", new
        {
            titleEn = "", titleZh = "", ownerId = owner.Id, process = "change", measureKey = "changes.success-rate", target = 95,
        }), HttpStatusCode.BadRequest);
        zh.GetProperty("errors").GetProperty("titleZh")[0].GetString().ShouldBe("请至少用一种语言填写目标名称。");

        var created = await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/objectives", Objective(owner.Id, "changes.success-rate", 95)), HttpStatusCode.Created);
        var url = $"/api/v1/objectives/{Id(created)}";
        var changed = await ReadAsync(await build.Admin.PatchIfMatchAsync(url, Objective(owner.Id, "changes.success-rate", 97, period: "month"), Version(created)), HttpStatusCode.OK);
        changed.GetProperty("target").GetDecimal().ShouldBe(97);
        changed.GetProperty("period").GetString().ShouldBe("month");
        (await build.Admin.PatchIfMatchAsync(url, Objective(owner.Id, "changes.success-rate", 99), Version(created))).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(Objective(owner.Id, "changes.success-rate", 99)) };
        (await build.Admin.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.PreconditionRequired);
        (await HistoryAsync(host, "objective", Id(created))).Select(h => h.Action).ShouldBe(["created", "updated"]);

        ErrorFields(await ReadAsync(await build.Admin.PostIfMatchAsync($"{url}/moves", new { move = "retire" }, Version(changed)), HttpStatusCode.BadRequest)).ShouldBe(["reason"]);
        var retired = await ReadAsync(await build.Admin.PostIfMatchAsync($"{url}/moves", new { move = "retire", reason = "Replaced by OBJ-009" }, Version(changed)), HttpStatusCode.OK);
        retired.GetProperty("status").GetString().ShouldBe("retired");
        (await build.Admin.PostIfMatchAsync($"{url}/moves", new { move = "retire", reason = "again" }, Version(retired))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await build.Admin.GetJsonAsync("/api/v1/objectives")).EnumerateArray().ShouldNotContain(x => Id(x) == Id(created));
        (await build.Admin.GetJsonAsync("/api/v1/objectives?status=retired")).EnumerateArray().ShouldContain(x => Id(x) == Id(created));
        var last = (await HistoryAsync(host, "objective", Id(created)))[^1];
        (last.Action, last.Reason).ShouldBe(("retire", "Replaced by OBJ-009"));
        await ReadAsync(await build.Admin.PostIfMatchAsync($"{url}/moves", new { move = "reactivate" }, Version(retired)), HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_objective_checks_want_objectives_with_data_and_a_plan()
    {
        var build = await Builders.ForAsync(host);
        var owner = await build.UserAsync(await build.ProviderIdAsync(), "service-level-manager");
        using var ownerClient = await build.ClientAsync(owner);
        // A moment before any objective of this database existed: none was set.
        (await CheckAsync(host, "compliance.objectives-monitored", DateTimeOffset.UtcNow.AddYears(-5))).Verdict.ShouldBe(CheckVerdict.Gap);
        (await CheckAsync(host, "compliance.objectives-planned", DateTimeOffset.UtcNow.AddYears(-5))).Verdict.ShouldBe(CheckVerdict.NoEvidence);

        // Retire whatever the other tests left, so that this one judges only its own.
        foreach (var o in (await build.Admin.GetJsonAsync("/api/v1/objectives")).EnumerateArray())
        {
            await ReadAsync(await build.Admin.PostIfMatchAsync($"/api/v1/objectives/{Id(o)}/moves", new { move = "retire", reason = "test isolation" }, Version(o)), HttpStatusCode.OK);
        }
        var manual = await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/objectives",
            Objective(owner.Id, "manual", 90, manualMeasure: "Satisfaction", plan: "")), HttpStatusCode.Created);
        var monitored = await CheckAsync(host, "compliance.objectives-monitored");
        monitored.Verdict.ShouldBe(CheckVerdict.Gap);
        Figure(monitored.Figures, "No data").ShouldBe(1);
        monitored.Records.Single().Reference.ShouldBe(manual.GetProperty("reference").GetString());
        var planned = await CheckAsync(host, "compliance.objectives-planned");
        planned.Verdict.ShouldBe(CheckVerdict.Gap);
        planned.Records.Single().Title.ShouldContain("What will be done");

        await ReadAsync(await ownerClient.PostAsJsonAsync($"/api/v1/objectives/{Id(manual)}/readings", new { value = 80, takenOn = Today }), HttpStatusCode.OK);
        var notMet = await CheckAsync(host, "compliance.objectives-monitored");
        notMet.Verdict.ShouldBe(CheckVerdict.Conforming);
        Figure(notMet.Figures, "Not met").ShouldBe(1);
        notMet.Summary.ShouldContain("1 not met");
        await ReadAsync(await build.Admin.PatchIfMatchAsync($"/api/v1/objectives/{Id(manual)}", Objective(owner.Id, "manual", 90, manualMeasure: "Satisfaction"), Version(manual)),
            HttpStatusCode.OK);
        (await CheckAsync(host, "compliance.objectives-planned")).Verdict.ShouldBe(CheckVerdict.Conforming);
        // Early in a quarter, before any reading: the last quarter's kept value stands for it.
        var survey = await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/objectives", Objective(owner.Id, "manual", 90, manualMeasure: "Survey")), HttpStatusCode.Created);
        (await CheckAsync(host, "compliance.objectives-monitored")).Verdict.ShouldBe(CheckVerdict.Gap);
        var today = DateTime.Today;
        var quarter = new DateTime(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        await SqlAsync(host,
            """
            INSERT INTO cmp_objective_snapshots (objective_id, period, period_start, period_end, label, value, target, direction, result, computed_at, final)
            VALUES (@id, 'quarter', @from, @to, 'previous', 91, 90, 'at-least', 'met', @now, 'yes')
            """, new { id = Id(survey), from = quarter.AddMonths(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                to = quarter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), now = DateTimeOffset.UtcNow });
        var kept = await CheckAsync(host, "compliance.objectives-monitored");
        kept.Verdict.ShouldBe(CheckVerdict.Conforming);
        Figure(kept.Figures, "Met").ShouldBe(1);
        var clause = (await build.Admin.GetJsonAsync("/api/v1/conformity?edition=2018")).GetProperty("clauses").EnumerateArray()
            .Single(c => c.GetProperty("clause").GetString() == "6.2.2");
        clause.GetProperty("verdict").GetString().ShouldBe("conforming");
    }
}

public sealed class ObjectiveTestsOnSqlite(SqliteCertus host) : ObjectiveTests(host), IClassFixture<SqliteCertus>;

public sealed class ObjectiveTestsOnPostgres(PostgresCertus host) : ObjectiveTests(host), IClassFixture<PostgresCertus>;
