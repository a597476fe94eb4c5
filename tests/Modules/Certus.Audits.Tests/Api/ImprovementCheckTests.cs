using System.Net;
using System.Net.Http.Json;
using Certus.Kernel.Conformity;
using Certus.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Certus.Audits.Tests.Api;

/// <summary>The 10.1 checks on data built to pass and then to fail, one story per database.</summary>
public abstract class ImprovementCheckTests(CertusFixture host)
{
    private async Task<CheckResult> RunAsync(string key, DateTimeOffset now)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetServices<IConformityCheck>().Single(c => c.Key == key).RunAsync(now, CancellationToken.None);
    }

    [Fact]
    public async Task Overdue_nonconformities_and_findings_closed_unchecked_are_gaps()
    {
        var world = await AuditWorld.ForAsync(host);
        var admin = world.Admin;
        var now = DateTimeOffset.UtcNow;
        (await RunAsync("improvement.nonconformities-open-past-due", now)).Verdict.ShouldBe(CheckVerdict.NoEvidence);
        (await RunAsync("audits.findings-closed-without-effectiveness-check", now)).Verdict.ShouldBe(CheckVerdict.NoEvidence);

        var due = now.AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var nc = await AuditWorld.ReadAsync(await admin.PostAsJsonAsync("/api/v1/nonconformities", new
        {
            title = "备份未按期验证 / backup restore test missed", source = "manual", severity = "minor", ownerId = (await world.StaffAsync()).Id, dueDate = due,
        }), HttpStatusCode.Created);
        now = DateTimeOffset.UtcNow;
        var onTime = await RunAsync("improvement.nonconformities-open-past-due", now);
        onTime.Verdict.ShouldBe(CheckVerdict.Conforming);
        onTime.Figures.Single(f => f.Label == "Open").Value.ShouldBe(1);
        var late = await RunAsync("improvement.nonconformities-open-past-due", now.AddDays(30));
        late.Verdict.ShouldBe(CheckVerdict.Gap);
        late.Records.Single().Reference.ShouldBe(nc.GetProperty("number").GetString());
        late.Records.Single().Path.ShouldBe($"/nonconformities/{nc.GetProperty("id").GetGuid()}");

        // A finding closed after its check passes; one closed around the rules (an import, a hand edit) fails.
        var (audit, owner, _) = await world.PlannedAuditAsync();
        var started = await world.StartAndAnswerAsync(audit);
        var id = started.GetProperty("id").GetGuid();
        var good = await AuditWorld.ReadAsync(await admin.PostAsJsonAsync($"/api/v1/internal-audits/{id}/findings",
            new { kind = "minor", clause = "7.5.4", statement = "记录未编号 / records unnumbered", evidence = "变更单 3 份 / 3 change forms" }), HttpStatusCode.Created);
        var ncUrl = $"/api/v1/nonconformities/{good.GetProperty("ncId").GetGuid()}/moves";
        await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, ncUrl, new { move = "analyse", rootCause = "模板缺编号栏 / template lacks a number" }, 1), HttpStatusCode.OK);
        await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, ncUrl, new { move = "plan", actionText = "改模板 / fix the template", ownerId = owner.Id, dueDate = due }, 2), HttpStatusCode.OK);
        await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, ncUrl, new { move = "implement", implementationNote = "已改 / done" }, 3), HttpStatusCode.OK);
        var findingUrl = $"/api/v1/internal-audits/{id}/findings/{good.GetProperty("id").GetGuid()}";
        await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"{findingUrl}/effectiveness", new { effective = true, note = "抽查 5 份 / 5 sampled" }, 1), HttpStatusCode.OK);
        await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"{findingUrl}/close", new { }, 2), HttpStatusCode.OK);
        var passing = await RunAsync("audits.findings-closed-without-effectiveness-check", DateTimeOffset.UtcNow);
        passing.Verdict.ShouldBe(CheckVerdict.Conforming);
        passing.Figures.Single(f => f.Label == "Nonconformity findings closed").Value.ShouldBe(1);

        var bad = await AuditWorld.ReadAsync(await admin.PostAsJsonAsync($"/api/v1/internal-audits/{id}/findings",
            new { kind = "major", clause = "8.5.1", statement = "变更未经批准 / change without approval", evidence = "CHG-000301" }), HttpStatusCode.Created);
        await host.Database.WriteAsync(async (connection, tx) =>
            await connection.ExecuteAsync("UPDATE aud_findings SET status = 'closed', closed_at = @now WHERE id = @id",
                new { now = DateTimeOffset.UtcNow, id = bad.GetProperty("id").GetGuid() }, tx));
        var failing = await RunAsync("audits.findings-closed-without-effectiveness-check", DateTimeOffset.UtcNow);
        failing.Verdict.ShouldBe(CheckVerdict.Gap);
        failing.Records.Single().Reference.ShouldBe($"{audit.GetProperty("number").GetString()} #2");
    }
}

public sealed class ImprovementCheckTestsOnSqlite(SqliteCertus host) : ImprovementCheckTests(host), IClassFixture<SqliteCertus>;

public sealed class ImprovementCheckTestsOnPostgres(PostgresCertus host) : ImprovementCheckTests(host), IClassFixture<PostgresCertus>;
