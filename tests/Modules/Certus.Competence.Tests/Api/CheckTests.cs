using System.Net;
using System.Net.Http.Json;
using Certus.Kernel.Conformity;
using Certus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Certus.Competence.Tests.Api;

/// <summary>
/// The four 7.2/7.3 checks on data built to pass and then to fail, one story per database (the checks read provider-wide
/// data, so the story owns its database).
/// </summary>
public abstract class CheckTests(CertusFixture host)
{
    private async Task<CheckResult> RunAsync(string key, DateTimeOffset now)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var check = scope.ServiceProvider.GetServices<IConformityCheck>().Single(c => c.Key == key);
        check.Clauses.ShouldContain(ClauseRef.Of2005("3.3"));
        return await check.RunAsync(now, CancellationToken.None);
    }

    private static decimal Figure(CheckResult result, string label) => result.Figures.Single(f => f.Label == label).Value;

    [Fact]
    public async Task The_competence_checks_pass_on_good_data_and_fail_on_bad()
    {
        var world = await CompetenceWorld.ForAsync(host);
        var now = DateTimeOffset.UtcNow;
        foreach (var key in new[] { "competence.role-gaps", "competence.certificates-expired", "competence.performance-reviews", "competence.training-plan" })
        {
            (await RunAsync(key, now)).Verdict.ShouldBe(CheckVerdict.NoEvidence, key);
        }

        // 7.2 role gaps: both people meet the role's level, until one is assessed lower.
        var network = await world.CompetenceAsync();
        var zhang = await world.StaffAsync();
        var yang = await world.StaffAsync();
        var outsider = await world.StaffAsync();
        var role = await world.JobRoleAsync([(network, 2)], zhang.Id, yang.Id);
        await world.AssessAsync(zhang.Id, network, 3);
        await world.AssessAsync(yang.Id, network, 2);
        var gaps = await RunAsync("competence.role-gaps", DateTimeOffset.UtcNow);
        gaps.Verdict.ShouldBe(CheckVerdict.Conforming);
        (Figure(gaps, "People in job roles"), Figure(gaps, "Requirements checked"), Figure(gaps, "Gaps")).ShouldBe((2m, 2m, 0m));
        await world.AssessAsync(yang.Id, network, 1);
        gaps = await RunAsync("competence.role-gaps", DateTimeOffset.UtcNow);
        gaps.Verdict.ShouldBe(CheckVerdict.Gap);
        gaps.Records.Single().Path.ShouldBe($"/competence/people/{yang.Id}");
        gaps.Records.Single().Title.ShouldContain("level 1");

        // Certificates: one expiring soon is fine, one lapsed is a gap until renewed; that of someone outside the job roles does not count.
        await world.CertificateAsync(zhang.Id, "CCNP Enterprise", CompetenceWorld.Day(-1000), CompetenceWorld.Day(30));
        var certificates = await RunAsync("competence.certificates-expired", DateTimeOffset.UtcNow);
        certificates.Verdict.ShouldBe(CheckVerdict.Conforming);
        Figure(certificates, "Expiring soon").ShouldBe(1);
        await world.CertificateAsync(outsider.Id, "电工证", CompetenceWorld.Day(-2000), CompetenceWorld.Day(-10));
        (await RunAsync("competence.certificates-expired", DateTimeOffset.UtcNow)).Verdict.ShouldBe(CheckVerdict.Conforming);
        await world.CertificateAsync(yang.Id, "电工证", CompetenceWorld.Day(-2000), CompetenceWorld.Day(-10));
        certificates = await RunAsync("competence.certificates-expired", DateTimeOffset.UtcNow);
        certificates.Verdict.ShouldBe(CheckVerdict.Gap);
        Figure(certificates, "Expired, not renewed").ShouldBe(1);
        certificates.Records[0].Path.ShouldBe($"/competence/people/{yang.Id}#certificates");
        // The expiring one lapses in the check's own future too.
        (await RunAsync("competence.certificates-expired", DateTimeOffset.UtcNow.AddDays(40))).Figures.Single(f => f.Label == "Expired, not renewed").Value.ShouldBe(2);
        await world.CertificateAsync(yang.Id, "电工证", CompetenceWorld.Day(0), CompetenceWorld.Day(2000));
        (await RunAsync("competence.certificates-expired", DateTimeOffset.UtcNow)).Verdict.ShouldBe(CheckVerdict.Conforming);

        // Performance reviews: completed for last year or this year; a draft does not count.
        var thisYear = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Year;
        var reviews = await RunAsync("competence.performance-reviews", DateTimeOffset.UtcNow);
        reviews.Verdict.ShouldBe(CheckVerdict.Gap);
        Figure(reviews, "Without a review").ShouldBe(2);
        var manager = await world.StaffAsync("service-level-manager");
        await CompetenceWorld.MoveReviewAsync(world.Admin, await world.ReviewAsync(zhang.Id, manager.Id, thisYear - 1), "complete");
        var draft = await world.ReviewAsync(yang.Id, manager.Id, thisYear);
        reviews = await RunAsync("competence.performance-reviews", DateTimeOffset.UtcNow);
        reviews.Verdict.ShouldBe(CheckVerdict.Gap);
        reviews.Records.Single().Path.ShouldBe($"/competence/people/{yang.Id}#reviews");
        reviews.Summary.ShouldContain($"{thisYear - 1} or {thisYear}");
        await CompetenceWorld.MoveReviewAsync(world.Admin, draft, "complete");
        (await RunAsync("competence.performance-reviews", DateTimeOffset.UtcNow)).Verdict.ShouldBe(CheckVerdict.Conforming);
        // A year on, only the review of this year still counts.
        (await RunAsync("competence.performance-reviews", DateTimeOffset.UtcNow.AddYears(1))).Figures.Single(f => f.Label == "Without a review").Value.ShouldBe(1);

        // 7.2/7.3 training plan: a plan for the year, no planned session left unrecorded, everyone briefed on the policy.
        var briefing = (await world.CourseAsync(exam: false, awareness: ["policy", "objectives"])).GetProperty("id").GetGuid();
        await world.HeldSessionAsync(briefing, 0, [(zhang.Id, null)]);
        var plan = await RunAsync("competence.training-plan", DateTimeOffset.UtcNow);
        plan.Verdict.ShouldBe(CheckVerdict.Gap);
        plan.Summary.ShouldContain($"There is no training plan for {thisYear}.");
        plan.Summary.ShouldContain("People in job roles who attended no awareness training on the service management policy in the last 12 months: 1 of 2.");
        plan.Records.Single().Path.ShouldBe($"/competence/people/{yang.Id}");
        await CompetenceWorld.ReadAsync(await world.Admin.PostAsJsonAsync($"{CompetenceWorld.Api}/plans", new { year = thisYear, title = $"{thisYear} 年度培训计划" }),
            HttpStatusCode.Created);
        await world.HeldSessionAsync(briefing, 0, [(yang.Id, null)]);
        plan = await RunAsync("competence.training-plan", DateTimeOffset.UtcNow);
        plan.Verdict.ShouldBe(CheckVerdict.Conforming, plan.Summary);
        (Figure(plan, "Planned sessions"), Figure(plan, "Held"), Figure(plan, "Aware of the policy"), Figure(plan, "Completion")).ShouldBe((2m, 2m, 2m, 100m));
        plan.Records.Single().Path.ShouldBe($"/competence/plan?year={thisYear}");

        // A planned session past its day, neither held nor cancelled, is overdue (checked the day after, whatever today is).
        var firstDay = $"{thisYear}-01-01";
        var later = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DayOfYear == 1 ? DateTimeOffset.UtcNow.AddDays(1) : DateTimeOffset.UtcNow;
        var forgotten = await world.SessionAsync(briefing, firstDay);
        plan = await RunAsync("competence.training-plan", later);
        plan.Verdict.ShouldBe(CheckVerdict.Gap);
        Figure(plan, "Overdue").ShouldBe(1);
        plan.Records.ShouldContain(r => r.Path == $"/competence/sessions/{forgotten.GetProperty("id").GetGuid()}");
        await world.MoveSessionAsync(forgotten, "cancel", "讲师生病 / trainer ill");
        (await RunAsync("competence.training-plan", later)).Verdict.ShouldBe(CheckVerdict.Conforming);
        // A year on, the briefing is more than 12 months old.
        (await RunAsync("competence.training-plan", DateTimeOffset.UtcNow.AddDays(400))).Verdict.ShouldBe(CheckVerdict.Gap);
        role.GetProperty("id").GetGuid().ShouldNotBe(Guid.Empty);
    }
}

public sealed class CheckTestsOnSqlite(SqliteCertus host) : CheckTests(host), IClassFixture<SqliteCertus>;

public sealed class CheckTestsOnPostgres(PostgresCertus host) : CheckTests(host), IClassFixture<PostgresCertus>;
