using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Kernel.Conformity;
using Certus.Testing;
using Shouldly;
using Xunit;
using static Certus.Compliance.Tests.Planning.Planning;

namespace Certus.Compliance.Tests.Planning;

/// <summary>
/// The register of risks and opportunities (6.1): score and level from the matrix, field errors, the transition table,
/// acceptance of a high risk only by top management with a reason, the audit trail, the heat map and filters, and the
/// two risk checks.
/// </summary>
public abstract class RiskTests(CertusFixture host)
{
    private static string Day(int days) => DateTimeOffset.Now.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static object Risk(Guid? ownerId, int likelihood, int impact, string? treatment = null, string plan = "", string kind = "risk", string title = "UPS failure",
        int? residualLikelihood = null, int? residualImpact = null, string? reviewOn = null, string[]? services = null) => new
    {
        kind, title, description = "", category = "continuity", cause = "Ageing batteries", consequence = "Racks without power", services = services ?? [], ownerId,
        likelihood, impact, treatment, treatmentPlan = plan, residualLikelihood, residualImpact, reviewOn,
    };

    /// <summary>Closes what the other tests of the class left open, so that a test counts only its own risks.</summary>
    private static async Task CloseOpenAsync(HttpClient admin)
    {
        foreach (var r in (await admin.GetJsonAsync("/api/v1/risks")).EnumerateArray())
        {
            await ReadAsync(await MoveAsync(admin, r, "close", "test isolation"), HttpStatusCode.OK);
        }
    }

    private static Task<HttpResponseMessage> MoveAsync(HttpClient client, JsonElement risk, string move, string? reason = null) =>
        client.PostIfMatchAsync($"/api/v1/risks/{Id(risk)}/moves", new { move, reason }, Version(risk));

    [Fact]
    public async Task Score_and_level_come_from_the_matrix_and_bad_input_gets_field_errors()
    {
        var build = await Builders.ForAsync(host);
        var admin = build.Admin;
        var owner = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        await CloseOpenAsync(admin);
        foreach (var (l, i, level, months) in new[] { (1, 4, "low", 12), (3, 2, "medium", 6), (2, 5, "high", 3), (4, 4, "high", 3), (4, 5, "critical", 3), (5, 5, "critical", 3) })
        {
            var r = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/risks", Risk(owner.Id, l, i)), HttpStatusCode.Created);
            r.GetProperty("score").GetInt32().ShouldBe(l * i);
            r.GetProperty("level").GetString().ShouldBe(level);
            r.GetProperty("status").GetString().ShouldBe("identified");
            r.GetProperty("reference").GetString()!.ShouldMatch("^RSK-[0-9]{4}$");
            DateOnly.Parse(r.GetProperty("reviewOn").GetString()!, CultureInfo.InvariantCulture)
                .ShouldBe(DateOnly.FromDateTime(DateTime.Now).AddMonths(months));
        }
        var bad = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/risks", new
        {
            kind = "threat", title = "", category = "weather", likelihood = 6, treatment = "pray", residualLikelihood = 2, reviewOn = "soon", services = new[] { "NOPE" },
        }), HttpStatusCode.BadRequest);
        ErrorFields(bad).ShouldBe(["category", "impact", "kind", "likelihood", "residualImpact", "reviewOn", "services", "title"]);
        ErrorFields(await ReadAsync(await admin.PostAsJsonAsync("/api/v1/risks", Risk(owner.Id, 3, 3, treatment: "exploit")), HttpStatusCode.BadRequest))
            .ShouldBe(["treatment"]);
        ErrorFields(await ReadAsync(await admin.PostAsJsonAsync("/api/v1/risks", Risk(owner.Id, 3, 3, treatment: "accept")), HttpStatusCode.BadRequest))
            .ShouldBe(["treatment"]);
        ErrorFields(await ReadAsync(await admin.PostAsJsonAsync("/api/v1/risks", Risk(owner.Id, 3, 3, services: ["NO-SUCH-SERVICE"])), HttpStatusCode.BadRequest))
            .ShouldBe(["services"]);
        var opportunity = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/risks", Risk(owner.Id, 4, 4, "exploit", "Package MLPS hosting", kind: "opportunity")),
            HttpStatusCode.Created);
        opportunity.GetProperty("kind").GetString().ShouldBe("opportunity");

        using var agent = await StaffAsync(build, "service-desk-agent");
        using var customer = await build.ClientAsync(await build.UserAsync(await build.OrganisationAsync(), "customer-user"));
        (await agent.PostAsJsonAsync("/api/v1/risks", Risk(owner.Id, 1, 1))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await customer.GetAsync("/api/v1/risks")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await customer.GetAsync($"/api/v1/risks/{Id(opportunity)}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var critical = await agent.GetJsonAsync("/api/v1/risks?level=critical&kind=risk");
        critical.GetArrayLength().ShouldBe(2);
        critical.EnumerateArray().Select(r => r.GetProperty("score").GetInt32()).ShouldBe([25, 20]);
        var map = await agent.GetJsonAsync("/api/v1/risks/heat-map");
        map.GetArrayLength().ShouldBe(25);
        map.EnumerateArray().Single(c => c.GetProperty("likelihood").GetInt32() == 4 && c.GetProperty("impact").GetInt32() == 5).GetProperty("count").GetInt32().ShouldBe(1);
        map.EnumerateArray().Single(c => c.GetProperty("likelihood").GetInt32() == 4 && c.GetProperty("impact").GetInt32() == 4).GetProperty("count").GetInt32().ShouldBe(1);
        (await agent.GetJsonAsync("/api/v1/risks/heat-map?kind=opportunity")).EnumerateArray().Sum(c => c.GetProperty("count").GetInt32()).ShouldBe(1);
        (await agent.GetJsonAsync("/api/v1/risks?likelihood=4&impact=4")).EnumerateArray().Select(r => r.GetProperty("kind").GetString()).ShouldBe(["risk", "opportunity"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_risk_is_treated_monitored_closed_and_reopened_by_the_transition_table_with_every_step_audited()
    {
        var build = await Builders.ForAsync(host);
        var ownerUser = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        using var owner = await build.ClientAsync(ownerUser);
        using var outsider = await StaffAsync(build, "technician");
        var risk = await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/risks", Risk(ownerUser.Id, 3, 4)), HttpStatusCode.Created);
        var url = $"/api/v1/risks/{Id(risk)}";

        var notReady = await ReadAsync(await MoveAsync(owner, risk, "treat"), HttpStatusCode.Conflict);
        ErrorFields(notReady).ShouldBe(["treatment", "treatmentPlan"]);
        (await MoveAsync(owner, risk, "monitor")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await outsider.PatchIfMatchAsync(url, Risk(ownerUser.Id, 3, 4, "reduce"), Version(risk))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        risk = await ReadAsync(await owner.PatchIfMatchAsync(url, Risk(ownerUser.Id, 3, 4, "reduce", "Second UPS, quarterly transfer test"), Version(risk)), HttpStatusCode.OK);
        (await owner.PatchIfMatchAsync(url, Risk(ownerUser.Id, 3, 5, "reduce"), Version(risk) - 1)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        risk = await ReadAsync(await owner.PostIfMatchAsync($"{url}/actions", new { description = "Replace the UPS-A2 batteries", ownerId = ownerUser.Id, dueOn = Day(30) },
            Version(risk)), HttpStatusCode.OK);
        risk = await ReadAsync(await MoveAsync(owner, risk, "treat"), HttpStatusCode.OK);
        risk.GetProperty("status").GetString().ShouldBe("treating");
        risk.GetProperty("allowedMoves").EnumerateArray().Select(m => m.GetString()).ShouldBe(["monitor", "accept", "close"], ignoreOrder: true);

        // Monitoring needs the actions done and the residual risk assessed.
        var open = await ReadAsync(await MoveAsync(owner, risk, "monitor"), HttpStatusCode.Conflict);
        ErrorFields(open).ShouldBe(["actions", "residualLikelihood"]);
        open.GetProperty("errors").GetProperty("actions")[0].GetString()!.ShouldContain("Replace the UPS-A2 batteries");
        var action = risk.GetProperty("actions")[0];
        (await outsider.PostIfMatchAsync($"{url}/actions/{Id(action)}/done", new { }, Version(risk))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        risk = await ReadAsync(await owner.PostIfMatchAsync($"{url}/actions/{Id(action)}/done", new { }, Version(risk)), HttpStatusCode.OK);
        risk.GetProperty("actions")[0].GetProperty("done").GetBoolean().ShouldBeTrue();
        risk = await ReadAsync(await owner.PatchIfMatchAsync(url, Risk(ownerUser.Id, 3, 4, "reduce", "Second UPS", residualLikelihood: 1, residualImpact: 4), Version(risk)),
            HttpStatusCode.OK);
        risk.GetProperty("residualLevel").GetString().ShouldBe("low");
        risk = await ReadAsync(await MoveAsync(owner, risk, "monitor"), HttpStatusCode.OK);
        risk.GetProperty("status").GetString().ShouldBe("monitored");

        // Closing and reopening take a reason; a move not in the table is refused naming those that are.
        ErrorFields(await ReadAsync(await MoveAsync(owner, risk, "close"), HttpStatusCode.BadRequest)).ShouldBe(["reason"]);
        risk = await ReadAsync(await MoveAsync(owner, risk, "close", "Hall A decommissioned"), HttpStatusCode.OK);
        var illegal = await ReadAsync(await MoveAsync(owner, risk, "treat"), HttpStatusCode.Conflict);
        illegal.GetProperty("detail").GetString()!.ShouldContain("reopen");
        (await owner.PostIfMatchAsync($"{url}/review", new { note = "x", nextReviewOn = Day(30) }, Version(risk))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        risk = await ReadAsync(await MoveAsync(owner, risk, "reopen", "Hall A back in service"), HttpStatusCode.OK);
        risk.GetProperty("status").GetString().ShouldBe("identified");
        risk.TryGetProperty("closedAt", out var closedAt).ShouldBeTrue();
        closedAt.ValueKind.ShouldBe(JsonValueKind.Null);

        (await HistoryAsync(host, "risk", Id(risk))).Select(h => (h.Action, h.Reason)).ShouldBe(
        [
            ("created", null), ("updated", null), ("action-added", null), ("treat", null), ("action-done", null), ("updated", null), ("monitor", null),
            ("close", "Hall A decommissioned"), ("reopen", "Hall A back in service"),
        ]);
    }

    [Fact]
    public async Task Accepting_a_high_risk_needs_a_reason_and_top_management_while_a_medium_one_its_owner_may_accept()
    {
        var build = await Builders.ForAsync(host);
        var ownerUser = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        using var owner = await build.ClientAsync(ownerUser);
        var representative = await build.UserAsync(await build.ProviderIdAsync(), "management-representative");
        using var top = await build.ClientAsync(representative);

        var high = await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/risks", Risk(ownerUser.Id, 2, 5, title: "One site, no geographic DR")), HttpStatusCode.Created);
        ErrorFields(await ReadAsync(await MoveAsync(owner, high, "accept"), HttpStatusCode.BadRequest)).ShouldBe(["reason"]);
        var refused = await ReadAsync(await MoveAsync(owner, high, "accept", "Too expensive to fix"), HttpStatusCode.Forbidden);
        refused.GetProperty("detail").GetString()!.ShouldContain("top management");
        var accepted = await ReadAsync(await MoveAsync(top, high, "accept", "Customers contract their own DR; second site in the 2027 budget"), HttpStatusCode.OK);
        accepted.GetProperty("status").GetString().ShouldBe("monitored");
        accepted.GetProperty("treatment").GetString().ShouldBe("accept");
        accepted.GetProperty("acceptedByName").GetString().ShouldBe((await top.GetJsonAsync("/api/v1/me")).GetProperty("displayName").GetString());
        var entry = (await HistoryAsync(host, "risk", Id(accepted)))[^1];
        (entry.Action, entry.Reason).ShouldBe(("accept", "Customers contract their own DR; second site in the 2027 budget"));

        // Once accepted, an edit that makes it worse goes back to top management.
        (await owner.PatchIfMatchAsync($"/api/v1/risks/{Id(accepted)}", Risk(ownerUser.Id, 4, 5, "accept", title: "One site, no geographic DR"), Version(accepted)))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var medium = await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/risks", Risk(ownerUser.Id, 2, 3, title: "Slow UPS vendor")), HttpStatusCode.Created);
        (await ReadAsync(await MoveAsync(owner, medium, "accept", "We keep spare parts"), HttpStatusCode.OK)).GetProperty("acceptanceReason").GetString()
            .ShouldBe("We keep spare parts");

        // Treated down to a residual still high: monitoring it is accepting it, so the same rule holds.
        var treated = await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/risks",
            Risk(ownerUser.Id, 5, 5, "reduce", "Add cooling", residualLikelihood: 3, residualImpact: 4, title: "Cooling")), HttpStatusCode.Created);
        treated = await ReadAsync(await MoveAsync(owner, treated, "treat"), HttpStatusCode.OK);
        (await MoveAsync(owner, treated, "monitor", "Good enough")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        ErrorFields(await ReadAsync(await MoveAsync(top, treated, "monitor"), HttpStatusCode.BadRequest)).ShouldBe(["reason"]);
        (await ReadAsync(await MoveAsync(top, treated, "monitor", "Residual high accepted until the 2027 chiller"), HttpStatusCode.OK))
            .GetProperty("acceptanceReason").GetString().ShouldBe("Residual high accepted until the 2027 chiller");
    }

    [Fact]
    public async Task The_risk_checks_want_serious_risks_owned_and_treated_and_every_risk_reviewed_on_time()
    {
        var build = await Builders.ForAsync(host);
        var ownerUser = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        // Before this database held any risk, there was nothing to judge.
        (await CheckAsync(host, "compliance.risks-treated", DateTimeOffset.UtcNow.AddYears(-5))).Verdict.ShouldBe(CheckVerdict.NoEvidence);
        (await CheckAsync(host, "compliance.risks-reviewed", DateTimeOffset.UtcNow.AddYears(-5))).Verdict.ShouldBe(CheckVerdict.NoEvidence);
        await CloseOpenAsync(build.Admin);

        var orphan = await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/risks", Risk(null, 4, 4, title: "Ransomware")), HttpStatusCode.Created);
        await ReadAsync(await build.Admin.PostAsJsonAsync("/api/v1/risks", Risk(ownerUser.Id, 1, 2, title: "Low and untreated is fine")), HttpStatusCode.Created);
        var gap = await CheckAsync(host, "compliance.risks-treated");
        gap.Verdict.ShouldBe(CheckVerdict.Gap);
        gap.Records.Single().Reference.ShouldBe(orphan.GetProperty("reference").GetString());
        Figure(gap.Figures, "High or critical").ShouldBe(1);

        orphan = await ReadAsync(await build.Admin.PatchIfMatchAsync($"/api/v1/risks/{Id(orphan)}", Risk(ownerUser.Id, 4, 4, "reduce", title: "Ransomware"), Version(orphan)),
            HttpStatusCode.OK);
        (await CheckAsync(host, "compliance.risks-treated")).Verdict.ShouldBe(CheckVerdict.Gap);
        orphan = await ReadAsync(await build.Admin.PatchIfMatchAsync($"/api/v1/risks/{Id(orphan)}",
            Risk(ownerUser.Id, 4, 4, "reduce", "Bastion host with two-factor sign-in; offline backups", title: "Ransomware"), Version(orphan)), HttpStatusCode.OK);
        (await CheckAsync(host, "compliance.risks-treated")).Verdict.ShouldBe(CheckVerdict.Conforming);

        (await CheckAsync(host, "compliance.risks-reviewed")).Verdict.ShouldBe(CheckVerdict.Conforming);
        (await CheckAsync(host, "compliance.risks-reviewed", DateTimeOffset.UtcNow.AddMonths(13))).Verdict.ShouldBe(CheckVerdict.Gap);
        orphan = await ReadAsync(await build.Admin.PatchIfMatchAsync($"/api/v1/risks/{Id(orphan)}",
            Risk(ownerUser.Id, 4, 4, "reduce", "Bastion host", title: "Ransomware", reviewOn: Day(-1)), Version(orphan)), HttpStatusCode.OK);
        orphan.GetProperty("reviewOverdue").GetBoolean().ShouldBeTrue();
        var overdue = await CheckAsync(host, "compliance.risks-reviewed");
        overdue.Verdict.ShouldBe(CheckVerdict.Gap);
        overdue.Records.Single().Path.ShouldBe($"/compliance/risks/{Id(orphan)}");
        (await build.Admin.GetJsonAsync("/api/v1/risks?overdue=true")).EnumerateArray().Select(Id).ShouldBe([Id(orphan)]);

        ErrorFields(await ReadAsync(await build.Admin.PostIfMatchAsync($"/api/v1/risks/{Id(orphan)}/review", new { note = "", nextReviewOn = Day(0) }, Version(orphan)),
            HttpStatusCode.BadRequest)).ShouldBe(["nextReviewOn", "note"]);
        var reviewed = await ReadAsync(await build.Admin.PostIfMatchAsync($"/api/v1/risks/{Id(orphan)}/review",
            new { note = "Backups tested, EDR on every workstation", nextReviewOn = Day(90) }, Version(orphan)), HttpStatusCode.OK);
        reviewed.GetProperty("lastReviewedAt").ValueKind.ShouldNotBe(JsonValueKind.Null);
        (await CheckAsync(host, "compliance.risks-reviewed")).Verdict.ShouldBe(CheckVerdict.Conforming);
        (await HistoryAsync(host, "risk", Id(orphan)))[^1].Reason.ShouldBe("Backups tested, EDR on every workstation");
    }
}

public sealed class RiskTestsOnSqlite(SqliteCertus host) : RiskTests(host), IClassFixture<SqliteCertus>;

public sealed class RiskTestsOnPostgres(PostgresCertus host) : RiskTests(host), IClassFixture<PostgresCertus>;
