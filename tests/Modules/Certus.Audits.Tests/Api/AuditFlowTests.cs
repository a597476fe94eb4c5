using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Kernel.Events;
using Certus.ServiceLevels.Contracts;
using Certus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Certus.Audits.Tests.Api;

public abstract class AuditFlowTests(CertusFixture host)
{
    private static string[] ErrorFields(JsonElement problem) => [.. problem.GetProperty("errors").EnumerateObject().Select(e => e.Name)];

    [Fact]
    public async Task An_audit_nonconformity_opens_a_corrective_action_and_closes_only_after_the_action_is_found_effective()
    {
        var world = await AuditWorld.ForAsync(host);
        var admin = world.Admin;
        var (audit, owner, _) = await world.PlannedAuditAsync();
        var id = audit.GetProperty("id").GetGuid();
        audit.GetProperty("number").GetString()!.ShouldMatch("^IA-2026-[0-9]{2}$");
        audit.GetProperty("status").GetString().ShouldBe("planned");
        var checklist = audit.GetProperty("checklist").EnumerateArray().ToList();
        checklist.Select(c => c.GetProperty("clause").GetString()).ShouldBe(["2018:8.6.1", "2005:8.2"]);
        checklist[0].GetProperty("question").GetString()!.ShouldContain("2018:8.6.1");

        // Findings wait for the audit to start.
        var finding = new { kind = "major", clause = "8.6.1", statement = "3 起 P1 事件未经客户确认即关闭 / three P1 incidents closed without confirmation", evidence = "INC-000101, INC-000107, INC-000112" };
        await AuditWorld.ReadAsync(await admin.PostAsJsonAsync($"/api/v1/internal-audits/{id}/findings", finding), HttpStatusCode.Conflict);
        await world.MoveAsync(id, 1, new { move = "start" });
        var recorded = await AuditWorld.ReadAsync(await admin.PostAsJsonAsync($"/api/v1/internal-audits/{id}/findings", finding), HttpStatusCode.Created);
        var findingId = recorded.GetProperty("id").GetGuid();
        recorded.GetProperty("clause").GetString().ShouldBe("2018:8.6.1");
        var ncNumber = recorded.GetProperty("ncNumber").GetString()!;
        ncNumber.ShouldMatch("^NC-[0-9]{6}$");
        var ncId = recorded.GetProperty("ncId").GetGuid();
        var nc = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/nonconformities/{ncId}");
        nc.GetProperty("source").GetString().ShouldBe("audit");
        nc.GetProperty("sourceRef").GetString().ShouldBe($"{audit.GetProperty("number").GetString()} #1");
        nc.GetProperty("severity").GetString().ShouldBe("major");
        nc.GetProperty("status").GetString().ShouldBe("open");

        // The report waits for every checklist item.
        var refused = await world.MoveAsync(id, 2, new { move = "report", summary = "见发现 / see findings" }, HttpStatusCode.Conflict);
        refused.GetProperty("detail").GetString()!.ShouldContain("2018:8.6.1");
        foreach (var item in checklist)
        {
            await AuditWorld.ReadAsync(await admin.PatchIfMatchAsync($"/api/v1/internal-audits/{id}/checklist/{item.GetProperty("id").GetGuid()}",
                new { question = "事件关闭前是否经客户确认？/ Confirmed before closure?", result = "nonconforming", notes = "见发现 1" }, 1), HttpStatusCode.OK);
        }
        var reported = await world.MoveAsync(id, 2, new { move = "report", summary = "一项严重不符合 / one major nonconformity" });
        reported.GetProperty("status").GetString().ShouldBe("reported");
        reported.GetProperty("checklist")[0].GetProperty("question").GetString().ShouldBe("事件关闭前是否经客户确认？/ Confirmed before closure?");

        // Neither the audit nor the finding closes before the corrective action is found effective.
        (await world.MoveAsync(id, 3, new { move = "close" }, HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("#1");
        var findingUrl = $"/api/v1/internal-audits/{id}/findings/{findingId}";
        (await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"{findingUrl}/close", new { note = "done" }, 1), HttpStatusCode.Conflict))
            .GetProperty("detail").GetString()!.ShouldContain("effectiveness");
        (await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"{findingUrl}/effectiveness", new { effective = true, note = "looks fine" }, 1), HttpStatusCode.Conflict))
            .GetProperty("detail").GetString()!.ShouldContain(ncNumber);

        // The nonconformity runs its course: its transition table refuses shortcuts and names the moves possible.
        var ncUrl = $"/api/v1/nonconformities/{ncId}/moves";
        var shortcut = await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, ncUrl, new { move = "close" }, 1), HttpStatusCode.Conflict);
        shortcut.GetProperty("detail").GetString()!.ShouldContain("analyse, reject");
        ErrorFields(await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, ncUrl, new { move = "analyse" }, 1), HttpStatusCode.BadRequest)).ShouldBe(["rootCause"]);
        (await admin.PostAsJsonAsync(ncUrl, new { move = "analyse", rootCause = "x" })).StatusCode.ShouldBe((HttpStatusCode)428);
        await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, ncUrl,
            new { move = "analyse", correction = "重新打开三起事件 / reopened the three incidents", rootCause = "关闭规则允许跳过确认 / the close rule let agents skip confirmation" }, 1), HttpStatusCode.OK);
        (await admin.SendIfMatchAsync(HttpMethod.Post, ncUrl, new { move = "plan", actionText = "stale", ownerId = owner.Id, dueDate = "2026-04-30" }, 1)).StatusCode
            .ShouldBe(HttpStatusCode.PreconditionFailed);
        var planErrors = ErrorFields(await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, ncUrl, new { move = "plan", actionText = "x", dueDate = "2026-13-40" }, 2), HttpStatusCode.BadRequest));
        planErrors.ShouldBe(["ownerId", "dueDate"], ignoreOrder: true);
        await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, ncUrl,
            new { move = "plan", actionText = "关闭须客户确认或静默期满 / closure only on confirmation or after the quiet period", ownerId = owner.Id, dueDate = "2026-04-30" }, 2), HttpStatusCode.OK);
        await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, ncUrl, new { move = "implement", implementationNote = "规则已上线 / rule live since 2026-04-02" }, 3), HttpStatusCode.OK);
        // Found not effective, the action goes back to be planned again.
        var again = await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, ncUrl,
            new { move = "check-effectiveness", effective = false, effectivenessNote = "仍有 1 起 / one more found" }, 4), HttpStatusCode.OK);
        again.GetProperty("status").GetString().ShouldBe("action");
        (await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, ncUrl, new { move = "close" }, 5), HttpStatusCode.Conflict))
            .GetProperty("detail").GetString()!.ShouldContain("implement");
        await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, ncUrl, new { move = "implement", implementationNote = "补充培训 / agents retrained" }, 5), HttpStatusCode.OK);
        var effective = await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, ncUrl,
            new { move = "check-effectiveness", effective = true, effectivenessNote = "抽查 30 起均已确认 / 30 sampled, all confirmed" }, 6), HttpStatusCode.OK);
        effective.GetProperty("status").GetString().ShouldBe("verified");
        effective.GetProperty("allowedMoves").EnumerateArray().Select(m => m.GetString()).ShouldBe(["close"]);
        var closedNc = await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, ncUrl, new { move = "close" }, 7), HttpStatusCode.OK);
        closedNc.GetProperty("status").GetString().ShouldBe("closed");
        var ncTrail = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=nonconformity&recordId={ncId}");
        ncTrail.EnumerateArray().Select(e => e.GetProperty("action").GetString())
            .ShouldBe(["raised", "analyse", "plan", "implement", "check-effectiveness", "implement", "check-effectiveness", "close"]);
        ncTrail.EnumerateArray().ShouldAllBe(e => !string.IsNullOrEmpty(e.GetProperty("reason").GetString()));

        // Now the auditor's follow-up finds it effective, and the finding and then the audit close.
        var checkedFinding = await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"{findingUrl}/effectiveness",
            new { effective = true, note = "复查 20 起事件均经确认 / 20 incidents rechecked" }, 1), HttpStatusCode.OK);
        checkedFinding.GetProperty("ncStatus").GetString().ShouldBe("closed");
        (await AuditWorld.ReadAsync(await admin.SendIfMatchAsync(HttpMethod.Post, $"{findingUrl}/close", new { note = "关闭 / closed" }, 2), HttpStatusCode.OK))
            .GetProperty("status").GetString().ShouldBe("closed");
        (await world.MoveAsync(id, 3, new { move = "close" })).GetProperty("status").GetString().ShouldBe("closed");

        var report = await admin.GetStringAsync($"/api/v1/internal-audits/{id}/report?format=md");
        report.ShouldContain("three P1 incidents closed without confirmation");
        report.ShouldContain(ncNumber);
        report.ShouldContain("| Major nonconformity |");
        using var chinese = await host.AdminAsync("zh-CN");
        (await chinese.GetStringAsync($"/api/v1/internal-audits/{id}/report?format=md")).ShouldContain("# 内部审核报告");
        var trail = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=internal-audit&recordId={id}");
        trail.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ShouldBe(["planned", "start", "checklist", "checklist", "report", "close"]);
    }

    [Fact]
    public async Task Nobody_audits_their_own_work_and_bad_plans_get_field_errors()
    {
        var world = await AuditWorld.ForAsync(host);
        await world.EnsureProgrammeAsync();
        var owner = await world.StaffAsync();
        var member = await world.StaffAsync();
        var area = await world.AreaAsync(owner.Id, member.Id);
        var areaId = area.GetProperty("id").GetGuid();
        var plan = new
        {
            year = 2026, title = "Own work", scope = "x", criteria = new[] { "8.6.1" }, areaIds = new[] { areaId }, leadAuditorId = owner.Id,
            auditorIds = new[] { member.Id }, plannedStart = "2026-05-01", plannedEnd = "2026-05-02",
        };
        var refused = await AuditWorld.ReadAsync(await world.Admin.PostAsJsonAsync("/api/v1/internal-audits", plan), HttpStatusCode.BadRequest);
        var errors = refused.GetProperty("errors");
        errors.GetProperty("leadAuditorId")[0].GetString()!.ShouldContain("own work");
        errors.GetProperty("auditorIds")[0].GetString()!.ShouldContain("own work");

        var bad = await AuditWorld.ReadAsync(await world.Admin.PostAsJsonAsync("/api/v1/internal-audits", new
        {
            year = 2026, title = "", scope = "x", criteria = new[] { "eight" }, areaIds = new[] { areaId }, leadAuditorId = (Guid?)null,
            plannedStart = "2026-05-03", plannedEnd = "2026-05-01",
        }), HttpStatusCode.BadRequest);
        ErrorFields(bad).ShouldBe(["title", "criteria", "plannedEnd", "leadAuditorId"], ignoreOrder: true);
        (await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/internal-audits?year=2026")).EnumerateArray()
            .ShouldNotContain(a => a.GetProperty("title").GetString() == "Own work");

        // Reassigning the team is held to the same rule.
        var (audit, auditOwner, _) = await world.PlannedAuditAsync();
        var team = await AuditWorld.ReadAsync(await world.Admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/internal-audits/{audit.GetProperty("id").GetGuid()}/auditors",
            new { leadAuditorId = auditOwner.Id }, 1), HttpStatusCode.BadRequest);
        ErrorFields(team).ShouldBe(["leadAuditorId"]);
        var cancelled = await world.MoveAsync(audit.GetProperty("id").GetGuid(), 1, new { move = "report", summary = "x" }, HttpStatusCode.Conflict);
        cancelled.GetProperty("detail").GetString()!.ShouldContain("start, cancel");
    }

    [Fact]
    public async Task An_SLA_breach_enters_the_nonconformity_register_once()
    {
        var world = await AuditWorld.ForAsync(host);
        var breach = new SlaBreached(Guid.NewGuid(), Guid.NewGuid(), "resolution", await world.Build.ProviderIdAsync(), null, 1, DateTimeOffset.UtcNow.AddMinutes(-5));
        for (var i = 0; i < 2; i++)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var events = scope.ServiceProvider.GetRequiredService<DomainEvents>();
            await host.Database.WriteAsync(async (connection, tx) =>
            {
                await events.PublishAsync(breach, connection, tx, CancellationToken.None);
                return 0;
            });
        }
        var list = await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/nonconformities?source=sla-breach");
        var mine = list.EnumerateArray().Where(n => n.GetProperty("sourceId").GetString()!.StartsWith(breach.IncidentId.ToString("D"), StringComparison.Ordinal)).ToList();
        mine.Count.ShouldBe(1);
        mine[0].GetProperty("title").GetString().ShouldBe("SLA resolution target missed (P1)");
        mine[0].GetProperty("severity").GetString().ShouldBe("major");
        using var chinese = await host.AdminAsync("zh-CN");
        (await chinese.GetFromJsonAsync<JsonElement>($"/api/v1/nonconformities/{mine[0].GetProperty("id").GetGuid()}")).GetProperty("title").GetString()
            .ShouldBe("SLA 解决时限未达成（P1）");
    }

    [Fact]
    public async Task Customers_see_no_audit_review_or_nonconformity_and_staff_only_read_the_registers()
    {
        var world = await AuditWorld.ForAsync(host);
        var customer = await world.Build.UserAsync(await world.Build.OrganisationAsync(), "customer-user");
        using var client = await world.Build.ClientAsync(customer);
        foreach (var url in new[] { "/api/v1/internal-audits", "/api/v1/management-reviews", "/api/v1/nonconformities", "/api/v1/improvements", "/api/v1/internal-audits/areas" })
        {
            (await client.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, url);
        }
        var agent = await world.StaffAsync("service-desk-agent");
        using var staff = await world.Build.ClientAsync(agent);
        (await staff.GetAsync("/api/v1/nonconformities")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await staff.GetAsync("/api/v1/internal-audits")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await staff.PostAsJsonAsync("/api/v1/nonconformities", new { title = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await AuditWorld.ReadAsync(await staff.PostAsJsonAsync("/api/v1/improvements", new { title = "自助重置密码 / self-service password reset" }), HttpStatusCode.Created))
            .GetProperty("status").GetString().ShouldBe("proposed");
    }
}

public sealed class AuditFlowTestsOnSqlite(SqliteCertus host) : AuditFlowTests(host), IClassFixture<SqliteCertus>;

public sealed class AuditFlowTestsOnPostgres(PostgresCertus host) : AuditFlowTests(host), IClassFixture<PostgresCertus>;
