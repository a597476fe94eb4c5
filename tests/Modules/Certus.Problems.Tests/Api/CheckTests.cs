using System.Net;
using System.Net.Http.Json;
using Certus.Kernel.Conformity;
using Certus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;
using static Certus.Problems.Tests.Api.ProblemWorld;

namespace Certus.Problems.Tests.Api;

/// <summary>
/// The three 8.6.3 checks and the measure on data built to pass and then to fail, one story per database (they read
/// provider-wide data, so the story owns its database).
/// </summary>
public abstract class CheckTests(CertusFixture host)
{
    private async Task<CheckResult> RunAsync(string key, DateTimeOffset? now = null)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var check = scope.ServiceProvider.GetServices<IConformityCheck>().Single(c => c.Key == key);
        check.Clauses.ShouldBe([ClauseRef.Of2018("8.6.3"), ClauseRef.Of2005("8.3")]);
        return await check.RunAsync(now ?? DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
    }

    private async Task<MeasureValue> MeasureAsync(DateTimeOffset from, DateTimeOffset to)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var measure = scope.ServiceProvider.GetServices<IObjectiveMeasure>().Single(m => m.Key == "problems.resolved-within-target");
        measure.Direction.ShouldBe(MeasureDirection.AtLeast);
        return await measure.MeasureAsync(from, to, CancellationToken.None);
    }

    [Fact]
    public async Task The_problem_checks_pass_on_good_data_and_fail_on_bad()
    {
        var world = await ForAsync(host);
        using var manager = await world.StaffAsync("problem-manager");
        foreach (var key in new[] { "problems.major-incidents-investigated", "problems.known-errors-addressed", "problems.resolved-unverified" })
        {
            (await RunAsync(key)).Verdict.ShouldBe(CheckVerdict.NoEvidence, key);
        }
        (await MeasureAsync(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1))).Value.ShouldBeNull();

        // Every major incident has a problem record: one without is a gap, named by its number.
        var (major, _) = await world.IncidentAsync("Core switch down", major: true);
        var gap = await RunAsync("problems.major-incidents-investigated");
        gap.Verdict.ShouldBe(CheckVerdict.Gap);
        gap.Records.Single().Reference.ShouldBe(major);
        await world.IncidentAsync("An ordinary incident");
        var investigated = await CreateAsync(manager, new { title = "Why did the core switch go down", sourceKind = "major-incident", sourceRef = major });
        (await RunAsync("problems.major-incidents-investigated")).Verdict.ShouldBe(CheckVerdict.Conforming);
        // A major incident older than the window no longer counts.
        (await RunAsync("problems.major-incidents-investigated", DateTimeOffset.UtcNow.AddDays(91))).Verdict.ShouldBe(CheckVerdict.NoEvidence);

        // A root cause known but not removed needs a workaround or a change on its way.
        await MoveAsync(manager, investigated, "investigate");
        var current = await GetAsync(manager, investigated);
        await ReadAsync(await manager.PatchIfMatchAsync($"/api/v1/problems/{Id(investigated)}", new { rootCause = "Supervisor module firmware bug" }, Version(current)),
            HttpStatusCode.OK);
        var bare = await RunAsync("problems.known-errors-addressed");
        bare.Verdict.ShouldBe(CheckVerdict.Gap);
        bare.Records.Single().Reference.ShouldBe(Number(investigated));
        var change = await ChangeBuilder.AuthorisedAsync(world.Admin, "Upgrade the supervisor firmware");
        var waiting = await ReadAsync(await manager.PostAsJsonAsync($"/api/v1/problems/{Id(investigated)}/changes", new { change }), HttpStatusCode.OK);
        State(waiting).ShouldBe("fix-pending");
        (await RunAsync("problems.known-errors-addressed")).Verdict.ShouldBe(CheckVerdict.Conforming);
        await world.MoveChangeAsync(change, "cancel", new { reason = "Firmware withdrawn by the vendor" });
        (await RunAsync("problems.known-errors-addressed")).Verdict.ShouldBe(CheckVerdict.Gap);
        var known = await MoveAsync(manager, waiting, "known-error", new { workaround = "Fail over to the standby supervisor", reason = "No fix before Q3" });
        (await RunAsync("problems.known-errors-addressed")).Verdict.ShouldBe(CheckVerdict.Conforming);

        // A resolved problem is verified and closed within 30 days.
        await MoveAsync(manager, known, "resolve", new { resolution = "Supervisor replaced under the support contract" });
        (await RunAsync("problems.resolved-unverified")).Verdict.ShouldBe(CheckVerdict.Conforming);
        var late = await RunAsync("problems.resolved-unverified", DateTimeOffset.UtcNow.AddDays(31));
        late.Verdict.ShouldBe(CheckVerdict.Gap);
        late.Records.Single().Path.ShouldBe($"/problems/{Number(known)}");
        await MoveAsync(manager, known, "close", new { closureNote = "No outage since" });
        (await RunAsync("problems.resolved-unverified", DateTimeOffset.UtcNow.AddDays(31))).Verdict.ShouldBe(CheckVerdict.Conforming);

        // Resolved in time for its priority (P3: 60 days).
        var measured = await MeasureAsync(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        measured.Value.ShouldBe(100m);
        measured.Figures.Select(f => f.Value).ShouldBe([1m, 0m]);
    }
}

public sealed class CheckTestsOnSqlite(SqliteCertus host) : CheckTests(host), IClassFixture<SqliteCertus>;

public sealed class CheckTestsOnPostgres(PostgresCertus host) : CheckTests(host), IClassFixture<PostgresCertus>;
