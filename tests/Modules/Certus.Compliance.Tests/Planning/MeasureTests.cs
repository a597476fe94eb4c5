using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;
using static Certus.Compliance.Tests.Planning.Planning;

namespace Certus.Compliance.Tests.Planning;

/// <summary>
/// Each live measure the modules register, on data built to give a known value. Each test builds its data in a
/// period of its own, long past, so that they do not count each other's records.
/// </summary>
public abstract class MeasureTests(CertusFixture host)
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    // In China's calendar, handed to the databases in UTC (PostgreSQL takes no other offset).
    private static DateTimeOffset At(int year, int month, int day, int hour = 12) => new DateTimeOffset(year, month, day, hour, 0, 0, China).ToUniversalTime();

    [Fact]
    public async Task Sla_attainment_is_the_share_of_resolution_clocks_met_and_breaches_are_counted()
    {
        var (from, to) = (At(2021, 1, 1, 0), At(2021, 4, 1, 0));
        var now = DateTimeOffset.UtcNow;
        var (service, agreement, version, organisation) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await SqlAsync(host,
            """
            INSERT INTO sla_services (id, code, name_en, name_zh, description_en, description_zh, lifecycle, service_hours, created_at, updated_at, version)
            VALUES (@service, 'MEASURE', 'Measure', '测量', '', '', 'live', '{}', @now, @now, 1);
            INSERT INTO sla_agreements (id, number, kind, title, service_id, organisation_id, created_at, updated_at, version)
            VALUES (@agreement, 911, 'sla', 'Measure SLA', @service, @organisation, @now, @now, 1);
            INSERT INTO sla_agreement_versions (id, agreement_id, number, status, effective_from, calendar_id, warning_percent, pause_statuses, on_reopen, notes, created_at)
            VALUES (@version, @agreement, 1, 'approved', @from, NULL, 75, '[]', 'continue', '', @now);
            """, new { service, agreement, version, organisation, now, from = from.AddDays(-30) });
        async Task ClockAsync(DateTimeOffset stopped, DateTimeOffset? breachedAt, string metric = "resolution") => await SqlAsync(host,
            """
            INSERT INTO sla_clocks (incident_id, agreement_id, metric, version_id, calendar_id, organisation_id, service_id, priority, target_minutes, state,
                started_at, elapsed_minutes, stopped_at, breached_at)
            VALUES (@incident, @agreement, @metric, @version, @calendar, @organisation, @service, 3, 480, 'stopped', @started, 60, @stopped, @breachedAt)
            """, new { incident = Guid.NewGuid(), agreement, metric, version, calendar = Guid.NewGuid(), organisation, service, started = stopped.AddHours(-2), stopped, breachedAt });
        await ClockAsync(At(2021, 1, 10), null);
        await ClockAsync(At(2021, 2, 10), null);
        await ClockAsync(At(2021, 3, 10), null);
        await ClockAsync(At(2021, 3, 20), At(2021, 3, 19));
        await ClockAsync(At(2021, 4, 2), At(2021, 4, 1, 6));
        await ClockAsync(At(2021, 2, 1), null, "response");

        var attainment = await MeasureAsync(host, "service-levels.attainment", from, to);
        attainment.Value.ShouldBe(75m);
        Figure(attainment.Figures, "Met").ShouldBe(3);
        Figure(attainment.Figures, "Breached").ShouldBe(1);
        (await MeasureAsync(host, "service-levels.attainment", At(2020, 1, 1, 0), At(2020, 4, 1, 0))).Value.ShouldBeNull();

        async Task BreachAsync(string metric, DateTimeOffset at) => await SqlAsync(host,
            """
            INSERT INTO sla_breaches (id, incident_id, agreement_id, metric, organisation_id, service_id, priority, due_at, breached_at, status)
            VALUES (@id, @incident, @agreement, @metric, @organisation, @service, 2, @at, @at, 'open')
            """, new { id = Guid.NewGuid(), incident = Guid.NewGuid(), agreement, metric, organisation, service, at });
        await BreachAsync("response", At(2021, 1, 5));
        await BreachAsync("response", At(2021, 2, 5));
        await BreachAsync("resolution", At(2021, 3, 19));
        await BreachAsync("resolution", At(2021, 4, 1, 6));
        var breaches = await MeasureAsync(host, "service-levels.breaches", from, to);
        breaches.Value.ShouldBe(3);
        Figure(breaches.Figures, "Response breaches").ShouldBe(2);
        Figure(breaches.Figures, "Resolution breaches").ShouldBe(1);
    }

    [Fact]
    public async Task Major_incidents_are_counted_and_confirmed_closures_are_the_share_the_caller_confirmed()
    {
        var organisation = Guid.NewGuid();
        async Task IncidentAsync(long number, bool major, DateTimeOffset created) => await SqlAsync(host,
            """
            INSERT INTO inc_incidents (id, number, organisation_id, caller_name, channel, title, description, impact, urgency, priority, status, is_major,
                created_at, updated_at, version)
            VALUES (@id, @number, @organisation, 'Duty officer', 'monitoring', @title, '', 'high', 'high', 1, 'new', @major, @created, @created, 1)
            """, new { id = Guid.NewGuid(), number, organisation, title = $"Incident {number}", major, created });
        await IncidentAsync(990_001, true, At(2021, 7, 3));
        await IncidentAsync(990_002, true, At(2021, 9, 29));
        await IncidentAsync(990_003, false, At(2021, 8, 1));
        await IncidentAsync(990_004, true, At(2021, 10, 1, 1));
        var major = await MeasureAsync(host, "incidents.major", At(2021, 7, 1, 0), At(2021, 10, 1, 0));
        major.Value.ShouldBe(2);
        major.Records.Select(r => r.Reference).ShouldBe(["INC-990001", "INC-990002"]);
        major.Records[0].Path.ShouldBe("/incidents/990001");

        // Closures happen now, through the desk: one confirmed by the caller, one closed behind the desk's back.
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        var build = await Builders.ForAsync(host);
        var customer = await build.OrganisationAsync();
        using var agent = await StaffAsync(build, "service-desk-agent");
        using var caller = await build.ClientAsync(await build.UserAsync(customer, "customer-user"));
        async Task<JsonElement> ResolvedAsync()
        {
            var incident = await ReadAsync(await agent.PostAsJsonAsync("/api/v1/incidents", new
            {
                title = "Printer offline", description = "Floor 3", channel = "phone", organisationId = customer, callerName = "Li Lei", impact = "low", urgency = "low",
            }), HttpStatusCode.Created);
            await ReadAsync(await agent.PostAsJsonAsync($"/api/v1/incidents/{Id(incident)}/resolve", new { resolutionCode = "user-guidance", resolutionNotes = "Power cycled." }),
                HttpStatusCode.OK);
            return incident;
        }
        var confirmed = await ResolvedAsync();
        await ReadAsync(await caller.PostAsJsonAsync($"/api/v1/incidents/{Id(confirmed)}/confirm", new { }), HttpStatusCode.OK);
        var forced = await ResolvedAsync();
        await SqlAsync(host, "UPDATE inc_incidents SET status = 'closed', closed_at = resolved_at WHERE id = @id", new { id = Id(forced) });
        var closures = await MeasureAsync(host, "incidents.confirmed-closures", started, DateTimeOffset.UtcNow.AddMinutes(1));
        closures.Value.ShouldBe(50m);
        Figure(closures.Figures, "Closed incidents").ShouldBe(2);
        closures.Records.Single().Reference.ShouldBe(forced.GetProperty("number").GetString());
        (await MeasureAsync(host, "incidents.confirmed-closures", At(2019, 1, 1), At(2019, 2, 1))).Value.ShouldBeNull();
    }

    [Fact]
    public async Task Change_success_counts_fails_back_outs_and_unsuccessful_reviews_and_the_emergency_share_is_of_changes_carried_out()
    {
        var organisation = Guid.NewGuid();
        async Task ChangeAsync(long number, string type, string state, DateTimeOffset? ended, string? outcome = null, string? review = null) => await SqlAsync(host,
            """
            INSERT INTO chg_changes (id, number, organisation_id, type, state, title, reason, description, origin, requested_by_name, risk_answers,
                implementation_plan, backout_plan, test_plan, customer_impact, cmdb_updates, approval_round, actual_end, outcome_reason, review_result,
                created_at, updated_at, version)
            VALUES (@id, @number, @organisation, @type, @state, @title, '', '', 'internal', 'Chen Jing', '{}', '', '', '', '', '[]', 1, @ended, @outcome, @review,
                @created, @created, 1)
            """, new { id = Guid.NewGuid(), number, organisation, type, state, title = $"Change {number}", ended, outcome, review, created = At(2021, 4, 1) });
        await ChangeAsync(880_001, "normal", "closed", At(2021, 4, 10), review: "successful");
        await ChangeAsync(880_002, "emergency", "implemented", At(2021, 5, 10));
        await ChangeAsync(880_003, "normal", "closed", At(2021, 5, 20), outcome: "Backed out: the firmware would not boot", review: "unsuccessful");
        await ChangeAsync(880_004, "standard", "reviewed", At(2021, 6, 20), review: "unsuccessful");
        await ChangeAsync(880_005, "normal", "failed", At(2021, 7, 2), outcome: "failed");
        await ChangeAsync(880_006, "normal", "scheduled", null);
        var (from, to) = (At(2021, 4, 1, 0), At(2021, 7, 1, 0));

        var success = await MeasureAsync(host, "changes.success-rate", from, to);
        success.Value.ShouldBe(50m);
        Figure(success.Figures, "Carried out").ShouldBe(4);
        success.Records.Select(r => r.Reference).ShouldBe(["CHG-880003", "CHG-880004"]);
        var emergency = await MeasureAsync(host, "changes.emergency-share", from, to);
        emergency.Value.ShouldBe(25m);
        emergency.Records.Single().Reference.ShouldBe("CHG-880002");
        (await MeasureAsync(host, "changes.success-rate", At(2018, 1, 1), At(2018, 4, 1))).Value.ShouldBeNull();
    }

    [Fact]
    public async Task Nonconformities_on_time_are_those_due_in_the_period_closed_by_their_due_date()
    {
        async Task NcAsync(string number, string status, string? due, DateTimeOffset? closed) => await SqlAsync(host,
            """
            INSERT INTO imp_nonconformities (id, number, kind, source, title, severity, status, due_date, raised_at, raised_by_name, closed_at, updated_at, version)
            VALUES (@id, @number, 'nonconformity', 'manual', @title, 'minor', @status, @due, @raised, 'Zhou Ting', @closed, @raised, 1)
            """, new { id = Guid.NewGuid(), number, title = $"Nonconformity {number}", status, due, raised = At(2021, 6, 1), closed });
        await NcAsync("NC-T-01", "closed", "2021-07-15", At(2021, 7, 10));
        await NcAsync("NC-T-02", "closed", "2021-08-01", At(2021, 8, 20));
        await NcAsync("NC-T-03", "action", "2021-09-01", null);
        // Closed at 02:00 UTC on the due date is 10:00 in China: on time.
        await NcAsync("NC-T-04", "closed", "2021-09-10", new DateTimeOffset(2021, 9, 10, 2, 0, 0, TimeSpan.Zero));
        await NcAsync("NC-T-05", "rejected", "2021-08-15", null);
        await NcAsync("NC-T-06", "closed", "2021-11-01", At(2021, 10, 30));
        await NcAsync("NC-T-07", "action", null, null);

        var onTime = await MeasureAsync(host, "improvement.nonconformities-on-time", At(2021, 7, 1, 0), At(2021, 10, 1, 0));
        onTime.Value.ShouldBe(50m);
        Figure(onTime.Figures, "Due in the period").ShouldBe(4);
        Figure(onTime.Figures, "Closed late").ShouldBe(1);
        Figure(onTime.Figures, "Still open past due").ShouldBe(1);
        onTime.Records.Select(r => r.Reference).ShouldBe(["NC-T-02", "NC-T-03"]);
    }

    [Fact]
    public async Task Documents_reviewed_on_time_is_the_share_of_documents_in_force_within_their_review_date()
    {
        using var admin = await host.AdminAsync();
        var (from, to) = (DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        (await MeasureAsync(host, "documents.reviewed-on-time", from, to)).Value.ShouldBeNull();
        await DocumentWorkflowTestsAccess.PublishAsync(admin, "7.5.3");
        var late = await DocumentWorkflowTestsAccess.PublishAsync(admin, "7.5.2");
        (await MeasureAsync(host, "documents.reviewed-on-time", from, to)).Value.ShouldBe(100m);
        (await admin.PatchIfMatchAsync($"/api/v1/documents/{late.GetProperty("id").GetString()}", new
        {
            tier = "B", titleEn = "Document control procedure", titleZh = "文件控制程序", clauses = new[] { "7.5.2" }, reviewMonths = 12, nextReviewOn = "2020-01-31",
        }, late.GetProperty("version").GetInt32())).StatusCode.ShouldBe(HttpStatusCode.OK);
        var half = await MeasureAsync(host, "documents.reviewed-on-time", from, to);
        half.Value.ShouldBe(50m);
        half.Records.Single().Reference.ShouldBe(late.GetProperty("code").GetString());
    }
}

/// <summary>The document helpers of the document workflow tests, for the measure tests.</summary>
internal static class DocumentWorkflowTestsAccess
{
    public static async Task<JsonElement> PublishAsync(HttpClient admin, string clause) =>
        await Api.DocumentWorkflowTests.PublishAsync(admin, await Api.DocumentWorkflowTests.RegisterAsync(admin, null, clause), "# Document control");
}

public sealed class MeasureTestsOnSqlite(SqliteCertus host) : MeasureTests(host), IClassFixture<SqliteCertus>;

public sealed class MeasureTestsOnPostgres(PostgresCertus host) : MeasureTests(host), IClassFixture<PostgresCertus>;
