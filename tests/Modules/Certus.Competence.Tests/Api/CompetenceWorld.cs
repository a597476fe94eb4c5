using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;

namespace Certus.Competence.Tests.Api;

/// <summary>Builds what competence tests need through the API: staff, competences, job roles, courses, held sessions.</summary>
public sealed class CompetenceWorld(Builders build)
{
    public const string Api = "/api/v1/competence";

    public HttpClient Admin => build.Admin;

    public Builders Build => build;

    public static async Task<CompetenceWorld> ForAsync(CertusFixture host) => new(await Builders.ForAsync(host));

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static string Key(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    public static string Day(int offset) => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(offset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<Builders.TestUser> StaffAsync(string role = "technician") => await build.UserAsync(await build.ProviderIdAsync(), role);

    public async Task<Guid> CompetenceAsync(string category = "technical", string? key = null) =>
        (await ReadAsync(await Admin.PostAsJsonAsync($"{Api}/competences", new
        {
            key = key ?? Key("network-ops"), nameEn = "Network operations", nameZh = "网络运维", description = "交换、路由、防火墙", category,
        }), HttpStatusCode.Created)).GetProperty("id").GetGuid();

    /// <summary>A job role requiring the given competences at the given levels, held by <paramref name="people"/>.</summary>
    public async Task<JsonElement> JobRoleAsync((Guid Competence, int Level)[] requirements, params Guid[] people)
    {
        var role = await ReadAsync(await Admin.PostAsJsonAsync($"{Api}/job-roles", new
        {
            key = Key("duty-engineer"), nameEn = "Duty engineer", nameZh = "值守工程师",
            requirements = requirements.Select(r => new { competenceId = r.Competence, minLevel = r.Level }),
        }), HttpStatusCode.Created);
        if (people.Length == 0)
        {
            return role;
        }
        return await ReadAsync(await Admin.SendIfMatchAsync(HttpMethod.Put, $"{Api}/job-roles/{role.GetProperty("id").GetGuid()}/people", new { userIds = people },
            role.GetProperty("version").GetInt32()), HttpStatusCode.OK);
    }

    public async Task<JsonElement> AssessAsync(Guid person, Guid competence, int level, string? on = null) =>
        await ReadAsync(await Admin.PostAsJsonAsync($"{Api}/people/{person}/levels", new
        {
            competenceId = competence, level, assessedOn = on, evidence = "现场观察 / observed on the job",
        }), HttpStatusCode.OK);

    public async Task<JsonElement> CourseAsync(object[]? competences = null, bool exam = true, int passMark = 60, string[]? awareness = null, string? certificate = null, int? months = null) =>
        await ReadAsync(await Admin.PostAsJsonAsync($"{Api}/courses", new
        {
            code = Key("ISO20K-IA").ToUpperInvariant(), titleEn = "ISO/IEC 20000 internal auditor course", titleZh = "ISO/IEC 20000 内审员培训", kind = "external",
            provider = "德信诚培训中心", hours = 16, awareness = awareness ?? [], hasExam = exam, passMark = exam ? passMark : (int?)null, certificateName = certificate,
            certificateMonths = months, competences = competences ?? [],
        }), HttpStatusCode.Created);

    public async Task<JsonElement> SessionAsync(Guid course, string startsOn, bool inPlan = true, params Guid[] invitees) =>
        await ReadAsync(await Admin.PostAsJsonAsync($"{Api}/sessions", new
        {
            courseId = course, startsOn, trainer = "李老师 Ms Li", location = "三楼会议室", inPlan, inviteeIds = invitees,
        }), HttpStatusCode.Created);

    public async Task<JsonElement> MoveSessionAsync(JsonElement session, string move, string? reason = null, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ReadAsync(await Admin.SendIfMatchAsync(HttpMethod.Post, $"{Api}/sessions/{session.GetProperty("id").GetGuid()}/moves", new { move, reason },
            session.GetProperty("version").GetInt32()), expected);

    public async Task<JsonElement> AttendanceAsync(JsonElement session, object[] rows, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ReadAsync(await Admin.SendIfMatchAsync(HttpMethod.Put, $"{Api}/sessions/{session.GetProperty("id").GetGuid()}/attendance", new { rows },
            session.GetProperty("version").GetInt32()), expected);

    /// <summary>A session held <paramref name="daysAgo"/> days ago with everyone attending (and their scores, for an exam).</summary>
    public async Task<JsonElement> HeldSessionAsync(Guid course, int daysAgo, (Guid Person, int? Score)[] attendees, bool inPlan = true)
    {
        var session = await SessionAsync(course, Day(-daysAgo), inPlan, [.. attendees.Select(a => a.Person)]);
        session = await MoveSessionAsync(session, "hold");
        return await AttendanceAsync(session, [.. attendees.Select(a => (object)new { userId = a.Person, status = "attended", score = a.Score })]);
    }

    public async Task<JsonElement> CertificateAsync(Guid person, string name, string issuedOn, string? expiresOn) =>
        await ReadAsync(await Admin.PostAsJsonAsync($"{Api}/certificates", new
        {
            userId = person, name, issuer = "Cisco Systems", number = "CSCO" + Guid.NewGuid().ToString("N")[..8], issuedOn, expiresOn,
        }), HttpStatusCode.Created);

    public async Task<JsonElement> ReviewAsync(Guid person, Guid reviewer, int year, string? rating = "B", Guid? course = null, HttpStatusCode expected = HttpStatusCode.Created) =>
        await ReadAsync(await Admin.PostAsJsonAsync($"{Api}/performance-reviews", new
        {
            userId = person, year, reviewerId = reviewer, objectives = "一次解决率 72% / first-contact resolution 72%", rating, strengths = "客户评价好",
            developmentNeeds = "投诉处理", courseId = course,
        }), expected);

    public static async Task<JsonElement> MoveReviewAsync(HttpClient client, JsonElement review, string move, string? note = null, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ReadAsync(await client.SendIfMatchAsync(HttpMethod.Post, $"{Api}/performance-reviews/{review.GetProperty("id").GetGuid()}/moves", new { move, note },
            review.GetProperty("version").GetInt32()), expected);

    public async Task<JsonElement> RecordAsync(Guid person) => await Admin.GetFromJsonAsync<JsonElement>($"{Api}/people/{person}/record");
}
