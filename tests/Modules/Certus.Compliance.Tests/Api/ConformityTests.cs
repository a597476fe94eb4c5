using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Data;
using Certus.Testing;
using Dapper;
using Shouldly;
using Xunit;

namespace Certus.Compliance.Tests.Api;

/// <summary>
/// Live conformity: each check on data built to pass and then broken, the API's shape in both editions, GAP findings
/// and the readiness figures. Each check reads only its own module's tables, so the tests share one database.
/// </summary>
public abstract class ConformityTests(CertusFixture host)
{
    private Database Database => (Database)host.Services.GetService(typeof(Database))!;

    private async Task SqlAsync(string sql, object parameters)
    {
        await using var connection = await Database.OpenAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    private static async Task<JsonElement> ClauseAsync(HttpClient client, string edition, string clause)
    {
        var report = await client.GetFromJsonAsync<JsonElement>($"/api/v1/conformity?edition={edition}");
        return report.GetProperty("clauses").EnumerateArray().Single(c => c.GetProperty("clause").GetString() == clause);
    }

    private static async Task<JsonElement> CheckAsync(HttpClient client, string edition, string clause, string key) =>
        (await ClauseAsync(client, edition, clause)).GetProperty("evidence").GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("key").GetString() == key);

    private static decimal Figure(JsonElement check, string label) =>
        check.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("label").GetString() == label).GetProperty("value").GetDecimal();

    [Fact]
    public async Task Every_clause_of_both_editions_comes_back_with_number_title_verdict_and_evidence()
    {
        using var admin = await host.AdminAsync();
        var y2018 = await admin.GetFromJsonAsync<JsonElement>("/api/v1/conformity?edition=2018");
        var y2005 = await admin.GetFromJsonAsync<JsonElement>("/api/v1/conformity?edition=2005");

        var clauses2018 = y2018.GetProperty("clauses").EnumerateArray().Select(c => c.GetProperty("clause").GetString()).ToList();
        clauses2018.ShouldContain("4.1");
        clauses2018.ShouldContain("8.5.1.1");
        clauses2018.ShouldContain("10.2");
        clauses2018.ShouldNotContain("3.1");
        var clauses2005 = y2005.GetProperty("clauses").EnumerateArray().Select(c => c.GetProperty("clause").GetString()).ToList();
        clauses2005.ShouldContain("3.2");
        clauses2005.ShouldContain("10.1");
        foreach (var c in y2018.GetProperty("clauses").EnumerateArray().Concat(y2005.GetProperty("clauses").EnumerateArray()))
        {
            c.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
            c.GetProperty("statement").GetString().ShouldNotBeNullOrWhiteSpace();
            c.GetProperty("verdict").GetString().ShouldBeOneOf("conforming", "gap", "no-evidence");
            c.GetProperty("evidence").GetProperty("documents").ValueKind.ShouldBe(JsonValueKind.Array);
        }
        // The starter procedure for incidents serves 2018 8.6.1 and, through the mapping, 2005 8.2.
        (await ClauseAsync(admin, "2005", "8.2")).GetProperty("evidence").GetProperty("documents").EnumerateArray()
            .Select(d => d.GetProperty("code").GetString()).ShouldContain("B-07");
        (await admin.GetAsync("/api/v1/conformity?edition=2019")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var zh = await host.AdminAsync("zh-CN");
        (await ClauseAsync(zh, "2018", "8.6.1")).GetProperty("title").GetString().ShouldBe("事件管理");
    }

    [Fact]
    public async Task Incidents_closed_with_confirmation_conform_and_one_closed_without_it_is_a_gap()
    {
        var build = await Builders.ForAsync(host);
        var customer = await build.OrganisationAsync();
        using var agent = await build.ClientAsync(await build.UserAsync(await build.ProviderIdAsync(), "service-desk-agent"));
        using var caller = await build.ClientAsync(await build.UserAsync(customer, "customer-user"));
        const string key = "incidents.closed-without-confirmation";
        (await CheckAsync(build.Admin, "2018", "8.6.1", key)).GetProperty("verdict").GetString().ShouldBe("no-evidence");

        async Task<JsonElement> LogAndResolveAsync()
        {
            var logged = await agent.PostAsJsonAsync("/api/v1/incidents", new
            {
                title = "Printer offline", description = "Floor 3", channel = "phone", organisationId = customer, callerName = "Li Lei", impact = "low", urgency = "low",
            });
            var incident = await logged.Content.ReadFromJsonAsync<JsonElement>();
            (await agent.PostAsJsonAsync($"/api/v1/incidents/{incident.GetProperty("id").GetGuid()}/resolve",
                new { resolutionCode = "user-guidance", resolutionNotes = "Power cycled." })).StatusCode.ShouldBe(HttpStatusCode.OK);
            return incident;
        }

        var confirmed = await LogAndResolveAsync();
        (await caller.PostAsJsonAsync($"/api/v1/incidents/{confirmed.GetProperty("id").GetGuid()}/confirm", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var pass = await CheckAsync(build.Admin, "2018", "8.6.1", key);
        pass.GetProperty("verdict").GetString().ShouldBe("conforming");
        Figure(pass, "Closed incidents").ShouldBe(1);
        pass.GetProperty("summary").GetString().ShouldBe("Every closed incident was confirmed by the caller or closed after the quiet period (1 closed).");

        // Closed behind the desk's back (an import, a database edit): no confirmation and no quiet-period close.
        var forced = await LogAndResolveAsync();
        var number = long.Parse(forced.GetProperty("number").ToString().Replace("INC-", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        await SqlAsync("UPDATE inc_incidents SET status = 'closed', closed_at = resolved_at WHERE number = @number", new { number });

        var fail = await CheckAsync(build.Admin, "2018", "8.6.1", key);
        fail.GetProperty("verdict").GetString().ShouldBe("gap");
        Figure(fail, "Closed without confirmation").ShouldBe(1);
        fail.GetProperty("summary").GetString().ShouldBe("Incidents closed without the caller's confirmation or the quiet period: 1.");
        fail.GetProperty("records")[0].GetProperty("path").GetString().ShouldBe($"/incidents/{number}");
        (await ClauseAsync(build.Admin, "2018", "8.6.1")).GetProperty("verdict").GetString().ShouldBe("gap");
        (await ClauseAsync(build.Admin, "2018", "8.6")).GetProperty("verdict").GetString().ShouldBe("gap");
        (await CheckAsync(build.Admin, "2005", "8.2", key)).GetProperty("verdict").GetString().ShouldBe("gap");
    }

    [Fact]
    public async Task Live_services_with_an_sla_in_force_conform_and_attainment_below_target_is_a_gap()
    {
        using var admin = await host.AdminAsync();
        var now = DateTimeOffset.UtcNow;
        var service = Guid.NewGuid();
        var agreement = Guid.NewGuid();
        var version = Guid.NewGuid();
        var organisation = Guid.NewGuid();
        await SqlAsync(
            """
            INSERT INTO sla_services (id, code, name_en, name_zh, description_en, description_zh, lifecycle, service_hours, created_at, updated_at, version)
            VALUES (@service, 'MAIL', 'Mail', '邮件', '', '', 'live', '{}', @now, @now, 1);
            INSERT INTO sla_agreements (id, number, kind, title, service_id, organisation_id, created_at, updated_at, version)
            VALUES (@agreement, 901, 'sla', 'Mail SLA', @service, @organisation, @now, @now, 1);
            INSERT INTO sla_agreement_versions (id, agreement_id, number, status, effective_from, calendar_id, warning_percent, pause_statuses, on_reopen, notes, created_at)
            VALUES (@version, @agreement, 1, 'approved', @from, NULL, 75, '[]', 'continue', '', @now);
            """, new { service, agreement, version, organisation, now, from = now.AddDays(-30) });
        var pass = await CheckAsync(admin, "2018", "8.3.3", "service-levels.live-services-have-agreement");
        pass.GetProperty("verdict").GetString().ShouldBe("conforming");

        var orphan = Guid.NewGuid();
        await SqlAsync(
            """
            INSERT INTO sla_services (id, code, name_en, name_zh, description_en, description_zh, lifecycle, service_hours, created_at, updated_at, version)
            VALUES (@orphan, 'VPN', 'VPN', 'VPN', '', '', 'live', '{}', @now, @now, 1)
            """, new { orphan, now });
        var fail = await CheckAsync(admin, "2005", "6.1", "service-levels.live-services-have-agreement");
        fail.GetProperty("verdict").GetString().ShouldBe("gap");
        fail.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("reference").GetString()).ShouldBe(["VPN"]);

        const string attainment = "service-levels.attainment-this-quarter";
        (await CheckAsync(admin, "2018", "9.1", attainment)).GetProperty("verdict").GetString().ShouldBe("no-evidence");
        async Task ClockAsync(DateTimeOffset? breachedAt) => await SqlAsync(
            """
            INSERT INTO sla_clocks (incident_id, agreement_id, metric, version_id, calendar_id, organisation_id, service_id, priority, target_minutes, state,
                started_at, elapsed_minutes, stopped_at, breached_at)
            VALUES (@incident, @agreement, 'resolution', @version, @calendar, @organisation, @service, 3, 480, 'stopped', @started, 60, @stopped, @breachedAt)
            """, new { incident = Guid.NewGuid(), agreement, version, calendar = Guid.NewGuid(), organisation, service, started = now.AddMinutes(-90), stopped = now.AddMinutes(-1), breachedAt });
        await ClockAsync(null);
        (await CheckAsync(admin, "2018", "9.1", attainment)).GetProperty("verdict").GetString().ShouldBe("conforming");

        await ClockAsync(now.AddMinutes(-5));
        var below = await CheckAsync(admin, "2018", "9.1", attainment);
        below.GetProperty("verdict").GetString().ShouldBe("gap");
        Figure(below, "Attainment").ShouldBe(50m);
        Figure(below, "Breached").ShouldBe(1);
    }

    [Fact]
    public async Task Owned_and_recently_audited_cis_conform_and_an_ownerless_ci_or_a_stale_audit_is_a_gap()
    {
        using var admin = await host.AdminAsync();
        var now = DateTimeOffset.UtcNow;
        await using (var connection = await Database.OpenAsync())
        {
            var classId = await connection.ExecuteScalarAsync<Guid>("SELECT id FROM cmdb_classes ORDER BY key LIMIT 1");
            async Task CiAsync(string identifier, Guid? owner) => await connection.ExecuteAsync(
                """
                INSERT INTO cmdb_items (id, identifier, name, class_id, status, owner_id, location, version_label, criticality, description, attributes, created_at, updated_at, version)
                VALUES (@id, @identifier, @identifier, @classId, 'in-use', @owner, '', '', 'medium', '', '{}', @now, @now, 1)
                """, new { id = Guid.NewGuid(), identifier, classId, owner, now });
            await CiAsync("SRV-OWNED", Guid.NewGuid());
            await connection.ExecuteAsync(
                """
                INSERT INTO cmdb_audits (id, number, title, scope_classes, file_name, observed_count, in_scope_count, matched_count, missing_count, unexpected_count,
                    differing_count, status, performed_at, performed_by_name, version)
                VALUES (@id, 'CA-OLD', 'Audit two years ago', '[]', 'x.csv', 1, 1, 1, 0, 0, 0, 'closed', @at, 'Auditor', 1)
                """, new { id = Guid.NewGuid(), at = now.AddYears(-2) });
            var pass = await CheckAsync(admin, "2018", "8.2.6", "configuration.cis-in-use-have-owner");
            pass.GetProperty("verdict").GetString().ShouldBe("conforming");
            var stale = await CheckAsync(admin, "2018", "8.2.6", "configuration.audited-within-12-months");
            stale.GetProperty("verdict").GetString().ShouldBe("gap");

            await connection.ExecuteAsync(
                """
                INSERT INTO cmdb_audits (id, number, title, scope_classes, file_name, observed_count, in_scope_count, matched_count, missing_count, unexpected_count,
                    differing_count, status, performed_at, performed_by_name, version)
                VALUES (@id, 'CA-NEW', 'Audit last month', '[]', 'x.csv', 1, 1, 1, 0, 0, 0, 'closed', @at, 'Auditor', 1)
                """, new { id = Guid.NewGuid(), at = now.AddMonths(-1) });
            var recent = await CheckAsync(admin, "2005", "9.1", "configuration.audited-within-12-months");
            recent.GetProperty("verdict").GetString().ShouldBe("conforming");
            recent.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("reference").GetString()).ShouldBe(["CA-NEW"]);

            await CiAsync("SRV-ORPHAN", null);
        }
        var fail = await CheckAsync(admin, "2018", "8.2.6", "configuration.cis-in-use-have-owner");
        fail.GetProperty("verdict").GetString().ShouldBe("gap");
        fail.GetProperty("records")[0].GetProperty("reference").GetString().ShouldBe("SRV-ORPHAN");
    }

    [Fact]
    public async Task Documents_in_force_within_review_conform_and_one_past_its_review_date_is_a_gap()
    {
        using var admin = await host.AdminAsync();
        const string key = "documents.past-review-date";
        (await CheckAsync(admin, "2018", "7.5.3", key)).GetProperty("verdict").GetString().ShouldBe("no-evidence");
        var doc = await DocumentWorkflowTests.PublishAsync(admin, await DocumentWorkflowTests.RegisterAsync(admin, null, "7.5.3"), "# Document control");
        (await CheckAsync(admin, "2018", "7.5.3", key)).GetProperty("verdict").GetString().ShouldBe("conforming");

        var patch = await admin.PatchIfMatchAsync($"/api/v1/documents/{doc.GetProperty("id").GetString()}", new
        {
            tier = "B", titleEn = "Document control procedure", titleZh = "文件控制程序", clauses = new[] { "7.5.3" }, reviewMonths = 12, nextReviewOn = "2020-01-31",
        }, doc.GetProperty("version").GetInt32());
        patch.StatusCode.ShouldBe(HttpStatusCode.OK, await patch.Content.ReadAsStringAsync());

        var fail = await CheckAsync(admin, "2005", "3.2", key);
        fail.GetProperty("verdict").GetString().ShouldBe("gap");
        fail.GetProperty("records")[0].GetProperty("reference").GetString().ShouldBe(doc.GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_open_gap_finding_makes_its_clause_a_gap_until_its_actions_are_done_and_it_is_closed()
    {
        using var admin = await host.AdminAsync();
        var before = await admin.GetFromJsonAsync<JsonElement>("/api/v1/conformity/readiness?edition=2018");
        var recorded = await admin.PostAsJsonAsync("/api/v1/gap-analysis/findings", new
        {
            edition = "2018", clause = "9.2", title = "No internal audit programme", description = "Audits are ad hoc.",
        });
        recorded.StatusCode.ShouldBe(HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());
        var finding = await recorded.Content.ReadFromJsonAsync<JsonElement>();
        var added = await admin.PostAsJsonAsync("/api/v1/gap-analysis/actions", new
        {
            findingId = finding.GetProperty("id").GetGuid(), title = "Write the yearly audit programme", dueOn = "2020-06-30",
        });
        added.StatusCode.ShouldBe(HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        var action = await added.Content.ReadFromJsonAsync<JsonElement>();

        (await ClauseAsync(admin, "2018", "9.2")).GetProperty("verdict").GetString().ShouldBe("gap");
        var during = await admin.GetFromJsonAsync<JsonElement>("/api/v1/conformity/readiness?edition=2018");
        during.GetProperty("openFindings").GetInt32().ShouldBe(before.GetProperty("openFindings").GetInt32() + 1);
        during.GetProperty("overdueActions").GetInt32().ShouldBe(before.GetProperty("overdueActions").GetInt32() + 1);
        during.GetProperty("leaves").GetProperty("gap").GetInt32().ShouldBeGreaterThan(0);
        during.GetProperty("trend").GetArrayLength().ShouldBeGreaterThan(0);
        var refused = await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/gap-analysis/findings/{finding.GetProperty("id").GetGuid()}/close",
            new { reason = "Programme approved" }, finding.GetProperty("version").GetInt32());
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("Write the yearly audit programme");

        (await admin.PatchIfMatchAsync($"/api/v1/gap-analysis/actions/{action.GetProperty("id").GetGuid()}", new
        {
            title = "Write the yearly audit programme", status = "done",
        }, action.GetProperty("version").GetInt32())).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/gap-analysis/findings/{finding.GetProperty("id").GetGuid()}/close",
            new { reason = "Programme approved" }, finding.GetProperty("version").GetInt32())).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await ClauseAsync(admin, "2018", "9.2")).GetProperty("verdict").GetString().ShouldNotBe("gap");
        var roadmap = await admin.GetFromJsonAsync<JsonElement>("/api/v1/roadmap");
        roadmap.EnumerateArray().Select(s => s.GetProperty("phase").GetString())
            .ShouldBe(["training", "organisation", "diagnosis", "documents", "trial-run", "internal-audit", "management-review", "certification"]);
    }

    [Fact]
    public async Task The_audit_pack_zip_holds_the_records_and_the_pdf_is_printed_or_refused_plainly()
    {
        using var admin = await host.AdminAsync();
        var zip = await admin.GetAsync("/api/v1/conformity/audit-pack?edition=2005&format=zip");
        zip.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var archive = new System.IO.Compression.ZipArchive(await zip.Content.ReadAsStreamAsync());
        var names = archive.Entries.Select(e => e.FullName).ToList();
        names.ShouldContain("conformity.json");
        names.ShouldContain("clauses.csv");
        names.ShouldContain("checks/incidents.closed-without-confirmation.json");
        using (var reader = new StreamReader(archive.GetEntry("clauses.csv")!.Open()))
        {
            (await reader.ReadToEndAsync()).ShouldContain("\"3.2\"");
        }

        var pdf = await admin.GetAsync("/api/v1/conformity/audit-pack?edition=2018&format=pdf");
        if (File.Exists("/usr/bin/chromium"))
        {
            pdf.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await pdf.Content.ReadAsByteArrayAsync())[..4].ShouldBe("%PDF"u8.ToArray());
        }
        else
        {
            pdf.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            (await pdf.Content.ReadAsStringAsync()).ShouldContain("chromium");
        }
    }
}

public sealed class ConformityTestsOnSqlite(SqliteCertus host) : ConformityTests(host), IClassFixture<SqliteCertus>;

public sealed class ConformityTestsOnPostgres(PostgresCertus host) : ConformityTests(host), IClassFixture<PostgresCertus>;
