using System.Net;
using System.Net.Http.Json;
using Certus.Kernel.Conformity;
using Certus.Testing;
using Shouldly;
using Xunit;
using static Certus.Compliance.Tests.Planning.Planning;

namespace Certus.Compliance.Tests.Planning;

/// <summary>
/// The service management policy (5.2): drafted, approved by top management with a reason, immutable once approved (in
/// the application and in the database), superseded by the next approved version, confirmed yearly; and its check.
/// The policy is one per installation, so the story is one test per database.
/// </summary>
public abstract class PolicyTests(CertusFixture host)
{
    private static object Draft(string statement, string? requirements = "Meet customer, legal and MLPS requirements.", string? document = null) => new
    {
        statementEn = statement, statementZh = "**客户至上** <script>alert(1)</script>", commitRequirementsEn = requirements, commitImprovementZh = "持续改进服务与体系。",
        commitObjectivesEn = "Objectives are set from this policy each year.", documentCode = document, changeNote = "first issue",
    };

    [Fact]
    public async Task A_policy_is_drafted_approved_by_top_management_kept_immutable_superseded_and_checked()
    {
        var build = await Builders.ForAsync(host);
        var admin = build.Admin;
        using var agent = await StaffAsync(build, "service-desk-agent");
        using var customer = await build.ClientAsync(await build.UserAsync(await build.OrganisationAsync(), "customer-user"));
        (await CheckAsync(host, "compliance.policy-approved")).Verdict.ShouldBe(CheckVerdict.NoEvidence);
        (await customer.GetAsync("/api/v1/policy")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await agent.PostAsJsonAsync("/api/v1/policy/versions", Draft("x"))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var unknownDocument = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/policy/versions", Draft("Customers first.", document: "Z-99")), HttpStatusCode.BadRequest);
        ErrorFields(unknownDocument).ShouldBe(["documentCode"]);
        var draft = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/policy/versions", Draft("Customers first.", requirements: null, document: "a-01")), HttpStatusCode.Created);
        draft.GetProperty("number").GetInt32().ShouldBe(1);
        draft.GetProperty("status").GetString().ShouldBe("draft");
        draft.GetProperty("documentCode").GetString().ShouldBe("A-01");
        (await admin.PostAsJsonAsync("/api/v1/policy/versions", Draft("Another"))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await CheckAsync(host, "compliance.policy-approved")).Verdict.ShouldBe(CheckVerdict.Gap);

        // Approval: top management only, with a reason, and only a complete draft.
        var url = $"/api/v1/policy/versions/{Id(draft)}";
        (await agent.PostIfMatchAsync($"{url}/approve", new { reason = "ok" }, Version(draft))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        ErrorFields(await ReadAsync(await admin.PostIfMatchAsync($"{url}/approve", new { reason = " " }, Version(draft)), HttpStatusCode.BadRequest)).ShouldBe(["reason"]);
        var incomplete = await ReadAsync(await admin.PostIfMatchAsync($"{url}/approve", new { reason = "Adopted" }, Version(draft)), HttpStatusCode.Conflict);
        ErrorFields(incomplete).ShouldBe(["commitRequirements"]);
        (await admin.PutIfMatchAsync(url, Draft("Customers first, everyone involved."), Version(draft) + 5)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        draft = await ReadAsync(await admin.PutIfMatchAsync(url, Draft("Customers first, everyone involved.", document: "A-01"), Version(draft)), HttpStatusCode.OK);
        var approved = await ReadAsync(await admin.PostIfMatchAsync($"{url}/approve", new { reason = "Adopted by the IT service committee" }, Version(draft)), HttpStatusCode.OK);
        approved.GetProperty("status").GetString().ShouldBe("approved");
        approved.GetProperty("approvedByName").GetString().ShouldNotBeNullOrWhiteSpace();
        (await HistoryAsync(host, "policy-version", Id(draft))).Select(h => (h.Action, h.Reason))
            .ShouldBe([("created", null), ("updated", null), ("approved", "Adopted by the IT service committee")]);

        // An approved version is a record: refused by the application and by the database below it.
        (await admin.PutIfMatchAsync(url, Draft("Rewritten history"), Version(approved))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        await Should.ThrowAsync<Exception>(() => SqlAsync(host, "UPDATE cmp_policy_versions SET statement_en = 'tampered' WHERE id = @id", new { id = Id(draft) }));
        await Should.ThrowAsync<Exception>(() => SqlAsync(host, "DELETE FROM cmp_policy_versions WHERE id = @id", new { id = Id(draft) }));
        (await admin.GetJsonAsync(url)).GetProperty("statementEn").GetString().ShouldBe("Customers first, everyone involved.");

        var check = await CheckAsync(host, "compliance.policy-approved");
        check.Verdict.ShouldBe(CheckVerdict.Conforming);
        check.Records.Single().Path.ShouldBe("/compliance/policy");
        (await CheckAsync(host, "compliance.policy-approved", DateTimeOffset.UtcNow.AddMonths(13))).Verdict.ShouldBe(CheckVerdict.Gap);

        // Staff read the version in force, Markdown rendered and raw HTML shown as text, in their language.
        var overview = await agent.GetJsonAsync("/api/v1/policy");
        overview.GetProperty("effective").GetProperty("number").GetInt32().ShouldBe(1);
        overview.GetProperty("document").GetProperty("code").GetString().ShouldBe("A-01");

        // The next version replaces it; the first is kept as superseded.
        var second = await ReadAsync(await admin.PostAsJsonAsync("/api/v1/policy/versions", new { changeNote = "MLPS wording" }), HttpStatusCode.Created);
        second.GetProperty("statementEn").GetString().ShouldBe("Customers first, everyone involved.");
        var secondApproved = await ReadAsync(await admin.PostIfMatchAsync($"/api/v1/policy/versions/{Id(second)}/approve", new { reason = "Management review 2026" }, Version(second)), HttpStatusCode.OK);
        secondApproved.GetProperty("number").GetInt32().ShouldBe(2);
        var after = await admin.GetJsonAsync("/api/v1/policy");
        after.GetProperty("effective").GetProperty("number").GetInt32().ShouldBe(2);
        after.GetProperty("versions").EnumerateArray().Select(v => (v.GetProperty("number").GetInt32(), v.GetProperty("status").GetString()))
            .ShouldBe([(2, "approved"), (1, "superseded")]);
        (await HistoryAsync(host, "policy-version", Id(draft)))[^1].Action.ShouldBe("superseded");

        // The yearly confirmation: top management only, on the version in force.
        (await agent.PostAsJsonAsync($"/api/v1/policy/versions/{Id(second)}/review", new { note = "Still right" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.PostAsJsonAsync($"{url}/review", new { note = "Still right" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await admin.PostAsJsonAsync($"/api/v1/policy/versions/{Id(second)}/review", new { note = "Confirmed at the management review" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.GetJsonAsync("/api/v1/policy")).GetProperty("reviews").GetArrayLength().ShouldBe(1);
        (await CheckAsync(host, "compliance.policy-approved", DateTimeOffset.UtcNow.AddMonths(11))).Verdict.ShouldBe(CheckVerdict.Conforming);
    }
}

public sealed class PolicyTestsOnSqlite(SqliteCertus host) : PolicyTests(host), IClassFixture<SqliteCertus>;

public sealed class PolicyTestsOnPostgres(PostgresCertus host) : PolicyTests(host), IClassFixture<PostgresCertus>;
