using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Testing;
using Shouldly;
using Xunit;

namespace Certus.Competence.Tests.Api;

/// <summary>Certificates with their states, renewal, retirement and scans; yearly performance reviews and their lifecycle.</summary>
public abstract class CertificateAndReviewTests(CertusFixture host)
{
    private const string Api = CompetenceWorld.Api;

    [Fact]
    public async Task Certificates_show_expiring_expired_renewed_and_retired()
    {
        var world = await CompetenceWorld.ForAsync(host);
        var zhang = await world.StaffAsync();
        var ccnp = await world.CertificateAsync(zhang.Id, "CCNP Enterprise", CompetenceWorld.Day(-1000), CompetenceWorld.Day(40));
        (ccnp.GetProperty("state").GetString(), ccnp.GetProperty("daysLeft").GetInt32()).ShouldBe(("expiring", 40));
        var licence = await world.CertificateAsync(zhang.Id, "电工证 Electrician's licence", CompetenceWorld.Day(-2000), CompetenceWorld.Day(-20));
        licence.GetProperty("state").GetString().ShouldBe("expired");
        (await world.CertificateAsync(zhang.Id, "PMP", CompetenceWorld.Day(-10), null)).GetProperty("state").GetString().ShouldBe("valid");

        var expired = await world.Admin.GetFromJsonAsync<JsonElement>($"{Api}/certificates?state=expired&userId={zhang.Id}");
        expired.EnumerateArray().Single().GetProperty("id").GetGuid().ShouldBe(licence.GetProperty("id").GetGuid());

        // The renewed licence (same name, another case and blanks) makes the old one "renewed".
        await world.CertificateAsync(zhang.Id, " 电工证 ELECTRICIAN'S LICENCE ", CompetenceWorld.Day(0), CompetenceWorld.Day(2000));
        (await world.Admin.GetFromJsonAsync<JsonElement>($"{Api}/certificates/{licence.GetProperty("id").GetGuid()}")).GetProperty("state").GetString().ShouldBe("renewed");

        // Retiring needs a reason; then the certificate is fixed.
        var url = $"{Api}/certificates/{ccnp.GetProperty("id").GetGuid()}";
        (await CompetenceWorld.ReadAsync(await world.Admin.SendIfMatchAsync(HttpMethod.Post, $"{url}/retire", new { reason = " " }, 1), HttpStatusCode.BadRequest))
            .GetProperty("errors").GetProperty("reason").GetArrayLength().ShouldBe(1);
        var retired = await CompetenceWorld.ReadAsync(await world.Admin.SendIfMatchAsync(HttpMethod.Post, $"{url}/retire",
            new { reason = "转岗，不再负责网络 / moved off network work" }, 1), HttpStatusCode.OK);
        retired.GetProperty("state").GetString().ShouldBe("retired");
        (await CompetenceWorld.ReadAsync(await world.Admin.SendIfMatchAsync(HttpMethod.Put, url,
            new { name = "CCNP", issuer = "Cisco", issuedOn = CompetenceWorld.Day(-1000) }, 2), HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("retired");
        (await world.Admin.SendIfMatchAsync(HttpMethod.Post, $"{url}/retire", new { reason = "again" }, 1)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);

        var bad = await CompetenceWorld.ReadAsync(await world.Admin.PostAsJsonAsync($"{Api}/certificates", new
        {
            userId = zhang.Id, name = "", issuer = "PMI", issuedOn = CompetenceWorld.Day(2), expiresOn = "2020-02-30",
        }), HttpStatusCode.BadRequest);
        bad.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["name", "issuedOn", "expiresOn"], ignoreOrder: true);
        var backwards = await CompetenceWorld.ReadAsync(await world.Admin.PostAsJsonAsync($"{Api}/certificates", new
        {
            userId = zhang.Id, name = "ITIL", issuer = "PeopleCert", issuedOn = CompetenceWorld.Day(-5), expiresOn = CompetenceWorld.Day(-6),
        }), HttpStatusCode.BadRequest);
        backwards.GetProperty("errors").GetProperty("expiresOn").EnumerateArray().Single().GetString().ShouldBe("The expiry date must come after the issue date.");

        // The scan is stored under its SHA-256 and comes back unchanged.
        var pmp = (await world.Admin.GetFromJsonAsync<JsonElement>($"{Api}/certificates?userId={zhang.Id}")).EnumerateArray().Single(c => c.GetProperty("name").GetString() == "PMP");
        var scan = "%PDF-1.4 PMP 证书扫描件"u8.ToArray();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(scan), "file", "pmp.pdf" } };
        var upload = new HttpRequestMessage(HttpMethod.Post, $"{Api}/certificates/{pmp.GetProperty("id").GetGuid()}/file") { Content = form };
        upload.Headers.IfMatch.ParseAdd($"\"{pmp.GetProperty("version").GetInt32()}\"");
        (await CompetenceWorld.ReadAsync(await world.Admin.SendAsync(upload), HttpStatusCode.OK)).GetProperty("fileName").GetString().ShouldBe("pmp.pdf");
        var download = await world.Admin.GetAsync($"{Api}/certificates/{pmp.GetProperty("id").GetGuid()}/file");
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(scan);
        download.Headers.GetValues("X-Content-SHA256").Single().ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(scan)));
    }

    [Fact]
    public async Task One_review_per_person_and_year_completed_reviews_are_immutable_and_only_the_person_acknowledges()
    {
        var world = await CompetenceWorld.ForAsync(host);
        var wang = await world.StaffAsync("service-desk-agent");
        var sun = await world.StaffAsync("service-level-manager");
        var review = await world.ReviewAsync(wang.Id, sun.Id, 2026, rating: null);
        review.GetProperty("status").GetString().ShouldBe("draft");
        review.GetProperty("allowedMoves").EnumerateArray().Select(m => m.GetString()).ShouldBe(["complete"]);

        var twice = await world.ReviewAsync(wang.Id, sun.Id, 2026, expected: HttpStatusCode.Conflict);
        twice.GetProperty("errors").GetProperty("year").EnumerateArray().Single().GetString().ShouldBe("There is already a review of this person for 2026.");
        (await world.ReviewAsync(wang.Id, wang.Id, 2025, expected: HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("reviewerId").GetArrayLength().ShouldBe(1);
        (await world.ReviewAsync(wang.Id, sun.Id, 2025, rating: "E", expected: HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("rating").GetArrayLength().ShouldBe(1);

        // Completing needs a rating; the draft takes one.
        (await CompetenceWorld.MoveReviewAsync(world.Admin, review, "complete", expected: HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("rating").GetArrayLength().ShouldBe(1);
        var url = $"{Api}/performance-reviews/{review.GetProperty("id").GetGuid()}";
        review = await CompetenceWorld.ReadAsync(await world.Admin.SendIfMatchAsync(HttpMethod.Put, url, new
        {
            reviewerId = sun.Id, objectives = "一次解决率 72%（目标 70%）", rating = "B", strengths = "客户评价好", developmentNeeds = "投诉处理",
        }, review.GetProperty("version").GetInt32()), HttpStatusCode.OK);
        (await CompetenceWorld.MoveReviewAsync(world.Admin, review, "acknowledge", expected: HttpStatusCode.Conflict)).GetProperty("detail").GetString()
            .ShouldBe("\"acknowledge\" is not possible while the review is Draft. Possible now: complete.");
        review = await CompetenceWorld.MoveReviewAsync(world.Admin, review, "complete");
        review.GetProperty("status").GetString().ShouldBe("completed");
        var change = await CompetenceWorld.ReadAsync(await world.Admin.SendIfMatchAsync(HttpMethod.Put, url, new { reviewerId = sun.Id, rating = "A" },
            review.GetProperty("version").GetInt32()), HttpStatusCode.Conflict);
        change.GetProperty("detail").GetString()!.ShouldContain("completed reviews can no longer be changed");

        // Only Wang acknowledges it: not the administrator, not her reviewer.
        (await CompetenceWorld.MoveReviewAsync(world.Admin, review, "acknowledge", expected: HttpStatusCode.Forbidden)).GetProperty("detail").GetString()!.ShouldContain("can acknowledge");
        using var asSun = await world.Build.ClientAsync(sun);
        (await CompetenceWorld.MoveReviewAsync(asSun, review, "acknowledge", expected: HttpStatusCode.Forbidden)).ValueKind.ShouldNotBe(JsonValueKind.Undefined);
        using var asWang = await world.Build.ClientAsync(wang);
        (await asWang.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CompetenceWorld.MoveReviewAsync(asWang, review, "complete", expected: HttpStatusCode.Forbidden)).ValueKind.ShouldNotBe(JsonValueKind.Undefined);
        var acknowledged = await CompetenceWorld.MoveReviewAsync(asWang, review, "acknowledge", "同意 / agreed");
        (acknowledged.GetProperty("status").GetString(), acknowledged.GetProperty("acknowledgement").GetString()).ShouldBe(("acknowledged", "同意 / agreed"));
        (await CompetenceWorld.MoveReviewAsync(world.Admin, acknowledged, "complete", expected: HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldEndWith("Possible now: nothing.");

        // Another member of staff without competence.read sees nothing of it.
        using var asOther = await world.Build.ClientAsync(await world.StaffAsync("service-desk-agent"));
        (await asOther.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var trail = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=performance-review&recordId={review.GetProperty("id").GetGuid()}");
        trail.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ShouldBe(["created", "updated", "complete", "acknowledge"]);
    }

    [Fact]
    public async Task Completing_a_review_that_names_a_course_invites_the_person_to_its_next_session()
    {
        var world = await CompetenceWorld.ForAsync(host);
        var li = await world.StaffAsync("service-desk-agent");
        var sun = await world.StaffAsync("service-level-manager");
        var course = await world.CourseAsync(exam: false, awareness: ["contribution"]);
        var courseId = course.GetProperty("id").GetGuid();
        await world.SessionAsync(courseId, CompetenceWorld.Day(60));
        var next = await world.SessionAsync(courseId, CompetenceWorld.Day(20));
        var review = await world.ReviewAsync(li.Id, sun.Id, 2026, course: courseId);
        await CompetenceWorld.MoveReviewAsync(world.Admin, review, "complete");

        var session = await world.Admin.GetFromJsonAsync<JsonElement>($"{Api}/sessions/{next.GetProperty("id").GetGuid()}");
        session.GetProperty("attendance").EnumerateArray().Single().GetProperty("userId").GetGuid().ShouldBe(li.Id);
        var record = await world.RecordAsync(li.Id);
        record.GetProperty("planned").EnumerateArray().Single().GetProperty("sessionId").GetGuid().ShouldBe(next.GetProperty("id").GetGuid());
        record.GetProperty("reviews").EnumerateArray().Single().GetProperty("courseId").GetGuid().ShouldBe(courseId);
    }
}

public sealed class CertificateAndReviewTestsOnSqlite(SqliteCertus host) : CertificateAndReviewTests(host), IClassFixture<SqliteCertus>;

public sealed class CertificateAndReviewTestsOnPostgres(PostgresCertus host) : CertificateAndReviewTests(host), IClassFixture<PostgresCertus>;
