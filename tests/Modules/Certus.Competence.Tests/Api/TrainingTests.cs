using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Kernel.Conformity;
using Certus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Certus.Competence.Tests.Api;

/// <summary>Courses, sessions, attendance and exams, the training plan, the record's export and the objective measures.</summary>
public abstract class TrainingTests(CertusFixture host)
{
    private const string Api = CompetenceWorld.Api;

    [Fact]
    public async Task Passing_the_exam_raises_the_competences_and_issues_the_certificate()
    {
        var world = await CompetenceWorld.ForAsync(host);
        var iso = await world.CompetenceAsync("process");
        var audit = await world.CompetenceAsync("management");
        var zhou = await world.StaffAsync("auditor");
        var liu = await world.StaffAsync();
        var zhao = await world.StaffAsync();
        await world.AssessAsync(zhou.Id, iso, 1);
        await world.AssessAsync(liu.Id, audit, 4);
        var course = await world.CourseAsync([new { competenceId = iso, level = 3 }, new { competenceId = audit, level = 3 }], passMark: 60,
            certificate: "ISO20000 内部审核员培训合格证书", months: 36);
        course.GetProperty("competences").GetArrayLength().ShouldBe(2);
        var session = await world.SessionAsync(course.GetProperty("id").GetGuid(), CompetenceWorld.Day(-1), true, zhou.Id, liu.Id);
        session.GetProperty("attendance").EnumerateArray().Select(a => a.GetProperty("status").GetString()).ShouldBe(["invited", "invited"]);

        // Results wait for the session to be held.
        var early = await world.AttendanceAsync(session, [new { userId = zhou.Id, status = "attended", score = 86 }], HttpStatusCode.Conflict);
        early.GetProperty("detail").GetString()!.ShouldContain("once the session is held");
        session = await world.MoveSessionAsync(session, "hold");
        session.GetProperty("status").GetString().ShouldBe("held");

        var held = await world.AttendanceAsync(session,
        [
            new { userId = zhou.Id, status = "attended", score = 86 }, new { userId = liu.Id, status = "attended", score = 58 },
            new { userId = zhao.Id, status = "absent", score = (int?)null },
        ]);
        var rows = held.GetProperty("attendance").EnumerateArray().ToDictionary(a => a.GetProperty("userId").GetGuid());
        rows[zhou.Id].GetProperty("passed").GetBoolean().ShouldBeTrue();
        rows[liu.Id].GetProperty("passed").GetBoolean().ShouldBeFalse();
        rows[zhao.Id].GetProperty("status").GetString().ShouldBe("absent");
        rows[zhao.Id].GetProperty("passed").ValueKind.ShouldBe(JsonValueKind.Null);
        held.GetProperty("passedCount").GetInt32().ShouldBe(1);

        var zhouRecord = await world.RecordAsync(zhou.Id);
        var levels = zhouRecord.GetProperty("competences").EnumerateArray().ToDictionary(c => c.GetProperty("competenceId").GetGuid());
        levels[iso].GetProperty("level").GetInt32().ShouldBe(3);
        levels[iso].GetProperty("source").GetString().ShouldBe("exam");
        levels[audit].GetProperty("level").GetInt32().ShouldBe(3);
        var certificate = zhouRecord.GetProperty("certificates").EnumerateArray().Single();
        certificate.GetProperty("name").GetString().ShouldBe("ISO20000 内部审核员培训合格证书");
        certificate.GetProperty("issuedOn").GetString().ShouldBe(CompetenceWorld.Day(-1));
        certificate.GetProperty("expiresOn").GetString().ShouldBe(DateOnly.Parse(CompetenceWorld.Day(-1), System.Globalization.CultureInfo.InvariantCulture)
            .AddMonths(36).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var exam = zhouRecord.GetProperty("sessions").EnumerateArray().Single();
        (exam.GetProperty("score").GetInt32(), exam.GetProperty("passed").GetBoolean(), exam.GetProperty("passMark").GetInt32()).ShouldBe((86, true, 60));

        // A failed exam changes nothing, and a level above the course's is never lowered.
        var liuRecord = await world.RecordAsync(liu.Id);
        liuRecord.GetProperty("competences").EnumerateArray().Single(c => c.GetProperty("competenceId").GetGuid() == audit).GetProperty("level").GetInt32().ShouldBe(4);
        liuRecord.GetProperty("competences").EnumerateArray().Any(c => c.GetProperty("competenceId").GetGuid() == iso).ShouldBeFalse();
        liuRecord.GetProperty("certificates").GetArrayLength().ShouldBe(0);

        // Saving the grid again (a corrected note) issues no second certificate; Liu's retake at 75 passes.
        var again = await world.AttendanceAsync(held,
            [new { userId = zhou.Id, status = "attended", score = 86, note = "补交作业" }, new { userId = liu.Id, status = "attended", score = 75, note = "补考" }]);
        again.GetProperty("passedCount").GetInt32().ShouldBe(2);
        (await world.RecordAsync(zhou.Id)).GetProperty("certificates").GetArrayLength().ShouldBe(1);
        (await world.RecordAsync(liu.Id)).GetProperty("certificates").GetArrayLength().ShouldBe(1);
        var trail = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=training-session&recordId={session.GetProperty("id").GetGuid()}");
        trail.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ShouldBe(["planned", "hold", "attendance", "attendance"]);
        trail.EnumerateArray().ElementAt(2).GetProperty("reason").GetString()!.ShouldContain("Competences raised");
    }

    [Fact]
    public async Task Bad_results_get_field_errors_per_row_and_illegal_moves_name_what_is_possible()
    {
        var world = await CompetenceWorld.ForAsync(host);
        var person = await world.StaffAsync();
        var course = await world.CourseAsync(passMark: 60);
        var awareness = await world.CourseAsync(exam: false, awareness: ["policy"]);
        var session = await world.MoveSessionAsync(await world.SessionAsync(course.GetProperty("id").GetGuid(), CompetenceWorld.Day(0), true, person.Id), "hold");

        var bad = await world.AttendanceAsync(session,
            [new { userId = person.Id, status = "absent", score = 70 }, new { userId = Guid.NewGuid(), status = "here", score = 120 }], HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors");
        errors.GetProperty("rows[0].score").EnumerateArray().Single().GetString().ShouldBe("Only someone who attended has a score.");
        errors.GetProperty("rows[1].userId").EnumerateArray().Single().GetString()!.ShouldStartWith("No such record");
        errors.GetProperty("rows[1].status").EnumerateArray().Single().GetString()!.ShouldContain("invited, attended, absent");
        errors.GetProperty("rows[1].score").EnumerateArray().Single().GetString().ShouldBe("A score is from 0 to 100.");
        (await world.Admin.GetFromJsonAsync<JsonElement>($"{Api}/sessions/{session.GetProperty("id").GetGuid()}"))
            .GetProperty("attendance").EnumerateArray().Single().GetProperty("status").GetString().ShouldBe("invited");

        var noExam = await world.MoveSessionAsync(await world.SessionAsync(awareness.GetProperty("id").GetGuid(), CompetenceWorld.Day(0), true, person.Id), "hold");
        (await world.AttendanceAsync(noExam, [new { userId = person.Id, status = "attended", score = 90 }], HttpStatusCode.BadRequest))
            .GetProperty("errors").GetProperty("rows[0].score").EnumerateArray().Single().GetString().ShouldBe("This course has no exam.");

        var cancelled = await world.MoveSessionAsync(await world.SessionAsync(course.GetProperty("id").GetGuid(), CompetenceWorld.Day(20)), "cancel", "讲师生病 / trainer ill");
        var illegal = await world.MoveSessionAsync(cancelled, "hold", expected: HttpStatusCode.Conflict);
        illegal.GetProperty("detail").GetString().ShouldBe("\"hold\" is not possible while the session is Cancelled. Possible now: nothing.");
        var future = await world.SessionAsync(course.GetProperty("id").GetGuid(), CompetenceWorld.Day(5));
        (await world.MoveSessionAsync(future, "hold", expected: HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain(CompetenceWorld.Day(5));
        (await world.MoveSessionAsync(future, "cancel", expected: HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("reason").GetArrayLength().ShouldBe(1);
        (await world.MoveSessionAsync(future, "teleport", expected: HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("move").GetArrayLength().ShouldBe(1);
        var changeHeld = await CompetenceWorld.ReadAsync(await world.Admin.SendIfMatchAsync(HttpMethod.Put, $"{Api}/sessions/{session.GetProperty("id").GetGuid()}",
            new { courseId = course.GetProperty("id").GetGuid(), startsOn = CompetenceWorld.Day(0), trainer = "别人" }, session.GetProperty("version").GetInt32()), HttpStatusCode.Conflict);
        changeHeld.GetProperty("detail").GetString()!.ShouldContain("can no longer be changed");

        var badCourse = await CompetenceWorld.ReadAsync(await world.Admin.PostAsJsonAsync($"{Api}/courses", new
        {
            code = "ISO 20K", titleEn = "x", titleZh = "", kind = "online", hours = 0, awareness = new[] { "fun" }, hasExam = true, passMark = 0,
        }), HttpStatusCode.BadRequest);
        badCourse.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["code", "titleZh", "kind", "hours", "awareness", "passMark"], ignoreOrder: true);
    }

    [Fact]
    public async Task The_training_plan_counts_held_sessions_and_the_record_exports_as_csv_and_xlsx()
    {
        var world = await CompetenceWorld.ForAsync(host);
        var person = await world.StaffAsync();
        var year = 2000 + Random.Shared.Next(1, 25);
        (await CompetenceWorld.ReadAsync(await world.Admin.PostAsJsonAsync($"{Api}/plans", new { year, title = $"{year} 年度培训计划" }), HttpStatusCode.Created))
            .GetProperty("figures").GetProperty("planned").GetInt32().ShouldBe(0);
        (await CompetenceWorld.ReadAsync(await world.Admin.PostAsJsonAsync($"{Api}/plans", new { year, title = "again" }), HttpStatusCode.BadRequest))
            .GetProperty("errors").GetProperty("year").EnumerateArray().Single().GetString().ShouldBe("This value is already in use.");
        var course = await world.CourseAsync(passMark: 70);
        var courseId = course.GetProperty("id").GetGuid();
        var first = await world.MoveSessionAsync(await world.SessionAsync(courseId, $"{year}-03-10", true, person.Id), "hold");
        await world.AttendanceAsync(first, [new { userId = person.Id, status = "attended", score = 65 }]);
        await world.MoveSessionAsync(await world.SessionAsync(courseId, $"{year}-04-10", true, person.Id), "hold");
        await world.MoveSessionAsync(await world.SessionAsync(courseId, $"{year}-05-10"), "cancel", "场地冲突");
        await world.SessionAsync(courseId, $"{year}-06-10", inPlan: false);
        var plan = await world.Admin.GetFromJsonAsync<JsonElement>($"{Api}/plans/{year}");
        var figures = plan.GetProperty("figures");
        (figures.GetProperty("planned").GetInt32(), figures.GetProperty("held").GetInt32(), figures.GetProperty("cancelled").GetInt32()).ShouldBe((3, 2, 1));
        figures.GetProperty("completion").GetDecimal().ShouldBe(66.7m);
        plan.GetProperty("sessions").GetArrayLength().ShouldBe(3);

        // The measures over that year: two of three planned sessions held, one exam sat and failed.
        var from = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var measures = scope.ServiceProvider.GetServices<IObjectiveMeasure>().ToDictionary(m => m.Key);
            var completion = await measures["competence.training-plan-completion"].MeasureAsync(from, from.AddYears(1), CancellationToken.None);
            completion.Value.ShouldBe(66.7m);
            completion.Records.Single().Reference.ShouldBe($"{course.GetProperty("code").GetString()} {year}-05-10");
            var passRate = await measures["competence.exam-pass-rate"].MeasureAsync(from, from.AddYears(1), CancellationToken.None);
            passRate.Value.ShouldBe(0m);
            passRate.Figures.Select(f => f.Value).ShouldBe([1m, 0m]);
            measures["competence.exam-pass-rate"].Unit.ShouldBe("%");
            (await measures["competence.training-plan-completion"].MeasureAsync(from.AddYears(-1), from, CancellationToken.None)).Value.ShouldBeNull();
        }

        var csv = await world.Admin.GetAsync($"{Api}/people/{person.Id}/record?format=csv");
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        text.ShouldContain(course.GetProperty("code").GetString()!);
        text.ShouldContain($"{year}-03-10");
        text.ShouldContain("Attended 65 failed");
        var xlsx = await world.Admin.GetAsync($"{Api}/people/{person.Id}/record?format=xlsx");
        xlsx.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        (await xlsx.Content.ReadAsByteArrayAsync()).Take(2).ShouldBe("PK"u8.ToArray());
    }
}

public sealed class TrainingTestsOnSqlite(SqliteCertus host) : TrainingTests(host), IClassFixture<SqliteCertus>;

public sealed class TrainingTestsOnPostgres(PostgresCertus host) : TrainingTests(host), IClassFixture<PostgresCertus>;
