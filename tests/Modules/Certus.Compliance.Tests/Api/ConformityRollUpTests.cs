using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Compliance.Features;
using Certus.Documents.Contracts;
using Certus.Kernel.Conformity;
using Certus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Certus.Compliance.Tests.Api;

/// <summary>
/// How a clause with sub-clauses is judged from its sub-clauses and its own evidence: only real evidence of its own
/// (an effective document, a check that found something, an open finding) takes part; a draft document, a check with
/// nothing to judge or a closed finding is listed and nothing more. The checks and documents are stand-ins; the GAP
/// findings are real rows, read from the database.
/// </summary>
public abstract class ConformityRollUpTests(CertusFixture host)
{
    // 2018 8.4 has three leaf sub-clauses (8.4.1-8.4.3); the findings test uses 8.6 (8.6.1-8.6.3) so the two never meet.
    private static readonly string[] Capacity = ["8.4.1", "8.4.2", "8.4.3"];
    private static readonly string[] Resolution = ["8.6.1", "8.6.2", "8.6.3"];

    private sealed class StandIn(string key, CheckVerdict verdict, params string[] clauses) : IConformityCheck
    {
        public string Key => key;

        public IReadOnlyList<ClauseRef> Clauses { get; } = [.. clauses.Select(ClauseRef.Of2018)];

        public string Title => key;

        public Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct) => Task.FromResult(new CheckResult(verdict, key, [], []));
    }

    private sealed class Register(params DocumentEvidence[] documents) : IDocumentEvidence
    {
        public Task<IReadOnlyList<DocumentEvidence>> AllAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<DocumentEvidence>>(documents);
    }

    private static DocumentEvidence Document(string code, bool effective, string clause) =>
        new(code, code, "B", effective, effective ? "1.0" : null, null, [$"2018:{clause}"], $"/documents/{code}");

    private async Task<ConformityReport> JudgeAsync(IReadOnlyList<IConformityCheck> checks, params DocumentEvidence[] documents)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var conformity = new Conformity(new ClauseCatalogue(), checks, new Register(documents), host.Database,
            scope.ServiceProvider.GetRequiredService<IStringLocalizer<Strings>>(), TimeProvider.System, NullLogger<Conformity>.Instance);
        return await conformity.HandleAsync("2018");
    }

    private static ClauseConformity Clause(ConformityReport report, string number) => report.Clauses.Single(c => c.Clause == number);

    [Fact]
    public async Task A_draft_document_on_a_parent_whose_sub_clauses_all_conform_leaves_it_conforming_and_is_listed_as_not_effective()
    {
        var report = await JudgeAsync([new StandIn("test.capacity", CheckVerdict.Conforming, Capacity)], Document("B-90", effective: false, "8.4"));

        var parent = Clause(report, "8.4");
        parent.Verdict.ShouldBe(Conformity.Conforming);
        parent.Coverage.ShouldBe(100);
        parent.Evidence.Documents.ShouldHaveSingleItem().ShouldSatisfyAllConditions(d => d.Code.ShouldBe("B-90"), d => d.Effective.ShouldBeFalse());
        Clause(report, "8").Verdict.ShouldNotBe(Conformity.Conforming);
    }

    [Fact]
    public async Task An_effective_document_or_a_check_with_nothing_to_judge_on_the_parent_keeps_it_conforming()
    {
        var checks = new IConformityCheck[]
        {
            new StandIn("test.capacity", CheckVerdict.Conforming, Capacity),
            new StandIn("test.capacity-idle", CheckVerdict.NoEvidence, "8.4"),
        };

        var withEffective = await JudgeAsync(checks, Document("B-91", effective: true, "8.4"));
        Clause(withEffective, "8.4").Verdict.ShouldBe(Conformity.Conforming);
        Clause(withEffective, "8.4").Evidence.Checks.Select(c => c.Key).ShouldBe(["test.capacity-idle"]);

        var idleOnly = await JudgeAsync(checks);
        Clause(idleOnly, "8.4").Verdict.ShouldBe(Conformity.Conforming);

        var bare = await JudgeAsync([checks[0]]);
        Clause(bare, "8.4").Verdict.ShouldBe(Conformity.Conforming);
    }

    [Fact]
    public async Task Real_evidence_on_the_parent_still_decides_a_gap_and_cannot_make_up_for_a_sub_clause_without_evidence()
    {
        var failing = await JudgeAsync(
            [new StandIn("test.capacity", CheckVerdict.Conforming, Capacity), new StandIn("test.capacity-plan", CheckVerdict.Gap, "8.4")],
            Document("B-92", effective: false, "8.4"));
        Clause(failing, "8.4").Verdict.ShouldBe(Conformity.Gap);

        var partial = await JudgeAsync([new StandIn("test.capacity", CheckVerdict.Conforming, "8.4.1", "8.4.2")], Document("B-93", effective: true, "8.4"));
        Clause(partial, "8.4.3").Verdict.ShouldBe(Conformity.NoEvidence);
        Clause(partial, "8.4").Verdict.ShouldBe(Conformity.NoEvidence);

        var childGap = await JudgeAsync(
            [new StandIn("test.capacity", CheckVerdict.Conforming, "8.4.1", "8.4.2"), new StandIn("test.demand", CheckVerdict.Gap, "8.4.3")],
            Document("B-94", effective: true, "8.4"));
        Clause(childGap, "8.4").Verdict.ShouldBe(Conformity.Gap);
    }

    [Fact]
    public async Task A_closed_finding_on_the_parent_leaves_it_to_its_sub_clauses_and_an_open_one_makes_it_a_gap()
    {
        using var admin = await host.AdminAsync();
        IConformityCheck[] checks = [new StandIn("test.resolution", CheckVerdict.Conforming, Resolution)];

        var closed = await RecordFindingAsync(admin, "Resolution process not written down");
        (await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/gap-analysis/findings/{closed.GetProperty("id").GetGuid()}/close",
            new { reason = "Procedure approved" }, closed.GetProperty("version").GetInt32())).StatusCode.ShouldBe(HttpStatusCode.OK);
        var afterClosed = await JudgeAsync(checks, Document("B-95", effective: false, "8.6"));
        Clause(afterClosed, "8.6").Evidence.Findings.ShouldHaveSingleItem().Status.ShouldBe("closed");
        Clause(afterClosed, "8.6").Verdict.ShouldBe(Conformity.Conforming);

        await RecordFindingAsync(admin, "Major incidents not reviewed");
        Clause(await JudgeAsync(checks, Document("B-95", effective: false, "8.6")), "8.6").Verdict.ShouldBe(Conformity.Gap);
    }

    private static async Task<JsonElement> RecordFindingAsync(HttpClient admin, string title)
    {
        var recorded = await admin.PostAsJsonAsync("/api/v1/gap-analysis/findings", new { edition = "2018", clause = "8.6", title, description = "Seen in the GAP analysis." });
        recorded.StatusCode.ShouldBe(HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());
        return await recorded.Content.ReadFromJsonAsync<JsonElement>();
    }
}

public sealed class ConformityRollUpTestsOnSqlite(SqliteCertus host) : ConformityRollUpTests(host), IClassFixture<SqliteCertus>;

public sealed class ConformityRollUpTestsOnPostgres(PostgresCertus host) : ConformityRollUpTests(host), IClassFixture<PostgresCertus>;
