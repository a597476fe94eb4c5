using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Certus.Data;
using Certus.Documents.Features;
using Certus.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Certus.Compliance.Tests.Api;

/// <summary>
/// Records kept for their retention period and then disposed of under control (ISO/IEC 20000-1:2018 7.5.3; manual §1.4):
/// the retain-until date, the due list, disposal refused without permission, reason, confirmation or under legal hold,
/// and a disposal that destroys the content but keeps the register entry, its checksums, the log and the audit trail.
/// </summary>
public abstract class RecordRetentionTests(CertusFixture host)
{
    private static readonly string Today = DateOnly.FromDateTime(DateTime.Now).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    internal static int Version(JsonElement doc) => doc.GetProperty("version").GetInt32();

    internal static string Id(JsonElement doc) => doc.GetProperty("id").GetString()!;

    internal static JsonElement VersionNumber(JsonElement doc, int number) =>
        doc.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("number").GetInt32() == number);

    /// <summary>
    /// A monthly report (tier D) with a retention period whose first edition, with a file, has been replaced by a second:
    /// version 1 is retained today, version 2 effective.
    /// </summary>
    internal static async Task<JsonElement> ReplacedRecordAsync(HttpClient admin, byte[] file, int retentionMonths = 12, Guid? ownerId = null, string? code = null)
    {
        var doc = await Json(await admin.PostAsJsonAsync("/api/v1/documents", new
        {
            code = code ?? "R-" + Guid.NewGuid().ToString("N")[..8], tier = "D", titleEn = "Monthly service quality analysis report", titleZh = "月度服务质量分析报告",
            clauses = new[] { "9.4" }, reviewMonths = 12, retentionMonths, ownerId,
        }), HttpStatusCode.Created);
        foreach (var (body, attach) in new[] { ("# 2026-03 服务质量分析 / quality report March", true), ("# 2026-04 服务质量分析 / quality report April", false) })
        {
            doc = await Json(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/versions", new { body, changeNote = "Monthly edition" }, Version(doc)), HttpStatusCode.OK);
            var number = doc.GetProperty("versions")[0].GetProperty("number").GetInt32();
            if (attach)
            {
                var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/versions/{number}/file")
                {
                    Content = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "report-2026-03.xlsx" } },
                };
                request.Headers.IfMatch.ParseAdd($"\"{Version(doc)}\"");
                doc = await Json(await admin.SendAsync(request), HttpStatusCode.OK);
            }
            foreach (var step in new[] { "submit", "approve", "publish" })
            {
                doc = await Json(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/versions/{number}/{step}", new { reason = "Reviewed" }, Version(doc)), HttpStatusCode.OK);
            }
        }
        return doc;
    }

    /// <summary>Moves the day version 1 was retained back by <paramref name="months"/> months (and a day), as if it had been replaced long ago.</summary>
    internal static async Task<string> RetainedMonthsAgoAsync(Database database, JsonElement doc, int months)
    {
        var at = DateTimeOffset.UtcNow.AddMonths(-months).AddDays(-1);
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("UPDATE doc_versions SET retained_at = @at WHERE id = @id", new { at, id = VersionNumber(doc, 1).GetProperty("id").GetGuid() });
        return DateOnly.FromDateTime(at.ToLocalTime().DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static byte[] UniqueFile() => Encoding.UTF8.GetBytes("服务质量月报 quality report " + Guid.NewGuid());

    private async Task<long> BlobsAsync(string hash)
    {
        await using var connection = await host.Database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sys_blobs WHERE hash = @hash", new { hash });
    }

    private static Task<HttpResponseMessage> DisposeAsync(HttpClient client, JsonElement doc, int number, object body) =>
        client.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/versions/{number}/dispose", body, Version(doc));

    [Fact]
    public async Task A_replaced_record_is_kept_for_its_retention_period_from_the_day_it_was_replaced_and_then_listed_as_due()
    {
        using var admin = await host.AdminAsync();
        var doc = await ReplacedRecordAsync(admin, UniqueFile(), retentionMonths: 12);

        var retained = VersionNumber(doc, 1);
        retained.GetProperty("status").GetString().ShouldBe("retained");
        retained.GetProperty("retainUntil").GetString().ShouldBe(DateOnly.FromDateTime(DateTime.Now).AddMonths(12).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        retained.GetProperty("dueForDisposal").GetBoolean().ShouldBeFalse();
        VersionNumber(doc, 2).GetProperty("retainUntil").ValueKind.ShouldBe(JsonValueKind.Null);
        var code = doc.GetProperty("code").GetString();
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/documents/retention/due")).EnumerateArray()
            .ShouldNotContain(r => r.GetProperty("code").GetString() == code);
        var kept = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/documents/retention")).EnumerateArray().Single(r => r.GetProperty("code").GetString() == code);
        kept.GetProperty("due").GetBoolean().ShouldBeFalse();

        var retainedOn = await RetainedMonthsAgoAsync(host.Database, doc, 12);

        var due = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/documents/retention/due")).EnumerateArray().Single(r => r.GetProperty("code").GetString() == code);
        due.GetProperty("number").GetInt32().ShouldBe(1);
        due.GetProperty("retainUntil").GetString().ShouldBe(DateOnly.ParseExact(retainedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddMonths(12).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        string.CompareOrdinal(due.GetProperty("retainUntil").GetString(), Today).ShouldBeLessThan(0);
        due.GetProperty("fileName").GetString().ShouldBe("report-2026-03.xlsx");
        var row = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/documents?tier=D")).EnumerateArray().Single(d => d.GetProperty("code").GetString() == code);
        row.GetProperty("dueForDisposal").GetInt32().ShouldBe(1);
        row.GetProperty("nextRetainUntil").GetString().ShouldBe(due.GetProperty("retainUntil").GetString());
    }

    [Fact]
    public async Task Disposal_is_refused_without_the_permission_a_reason_or_a_confirmation_and_before_the_period_is_over_and_nothing_changes()
    {
        var build = await Builders.ForAsync(host);
        var file = UniqueFile();
        var doc = await ReplacedRecordAsync(build.Admin, file);
        var hash = Convert.ToHexStringLower(SHA256.HashData(file));

        // Not yet due.
        (await Json(await DisposeAsync(build.Admin, doc, 1, new { reason = "Clearing out", confirm = true }), HttpStatusCode.Conflict))
            .GetProperty("detail").GetString()!.ShouldContain("kept until");
        await RetainedMonthsAgoAsync(host.Database, doc, 13);

        // A document writer who is not a records manager.
        var writer = await build.UserAsync(await build.ProviderIdAsync(), "service-level-manager");
        using (var client = await build.ClientAsync(writer))
        {
            (await DisposeAsync(client, doc, 1, new { reason = "Retention over", confirm = true })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await client.PostAsJsonAsync("/api/v1/documents/disposals", new
            {
                versions = new[] { new { documentId = Id(doc), version = Version(doc), number = 1 } }, reason = "Retention over", confirm = true,
            })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
        var missing = await Json(await DisposeAsync(build.Admin, doc, 1, new { }), HttpStatusCode.BadRequest);
        missing.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["reason", "confirm"], ignoreOrder: true);
        var unconfirmed = await Json(await DisposeAsync(build.Admin, doc, 1, new { reason = "Retention over", confirm = false }), HttpStatusCode.BadRequest);
        unconfirmed.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["confirm"]);
        // The version in force is no record to dispose of.
        (await Json(await DisposeAsync(build.Admin, doc, 2, new { reason = "Retention over", confirm = true }), HttpStatusCode.Conflict))
            .GetProperty("detail").GetString()!.ShouldContain("only a retained version");

        var after = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{Id(doc)}");
        Version(after).ShouldBe(Version(doc));
        VersionNumber(after, 1).GetProperty("status").GetString().ShouldBe("retained");
        VersionNumber(after, 1).GetProperty("body").GetString()!.ShouldStartWith("# 2026-03");
        (await BlobsAsync(hash)).ShouldBe(1);
        (await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/documents/disposals?documentId={Id(doc)}")).GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_legal_hold_with_a_reason_blocks_disposal_in_the_application_and_the_database_until_it_is_lifted()
    {
        using var admin = await host.AdminAsync();
        var doc = await ReplacedRecordAsync(admin, UniqueFile());
        await RetainedMonthsAgoAsync(host.Database, doc, 13);

        (await Json(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/legal-hold", new { reason = " " }, Version(doc)), HttpStatusCode.BadRequest))
            .GetProperty("errors").TryGetProperty("reason", out _).ShouldBeTrue();
        doc = await Json(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/legal-hold",
            new { reason = "客户投诉仲裁中 / customer dispute in arbitration" }, Version(doc)), HttpStatusCode.OK);
        doc.GetProperty("legalHoldReason").GetString().ShouldBe("客户投诉仲裁中 / customer dispute in arbitration");

        (await Json(await DisposeAsync(admin, doc, 1, new { reason = "Retention over", confirm = true }), HttpStatusCode.Conflict))
            .GetProperty("detail").GetString()!.ShouldContain("legal hold");
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/documents/retention/due")).EnumerateArray()
            .Single(r => r.GetProperty("documentId").GetString() == Id(doc)).GetProperty("onLegalHold").GetBoolean().ShouldBeTrue();
        await using (var connection = await host.Database.OpenAsync())
        {
            await Should.ThrowAsync<Exception>(() => connection.ExecuteAsync(
                "UPDATE doc_versions SET status = 'disposed', body = '', disposed_at = @now, disposal_reason = 'behind the register' WHERE id = @id",
                new { now = DateTimeOffset.UtcNow, id = VersionNumber(doc, 1).GetProperty("id").GetGuid() }));
        }

        doc = await Json(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/legal-hold/lift", new { reason = "仲裁结案 / arbitration closed" }, Version(doc)), HttpStatusCode.OK);
        doc.GetProperty("legalHoldReason").ValueKind.ShouldBe(JsonValueKind.Null);
        doc = await Json(await DisposeAsync(admin, doc, 1, new { reason = "Retention over", confirm = true }), HttpStatusCode.OK);
        VersionNumber(doc, 1).GetProperty("status").GetString().ShouldBe("disposed");
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=document&recordId={Id(doc)}");
        history.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ShouldContain("legal-hold");
        history.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "legal-hold-lifted").GetProperty("reason").GetString().ShouldBe("仲裁结案 / arbitration closed");
    }

    [Fact]
    public async Task Disposal_destroys_the_text_and_file_keeps_the_entry_with_its_checksums_and_is_logged_and_audited_for_good()
    {
        using var admin = await host.AdminAsync();
        var file = UniqueFile();
        var hash = Convert.ToHexStringLower(SHA256.HashData(file));
        var doc = await ReplacedRecordAsync(admin, file);
        var body = VersionNumber(doc, 1).GetProperty("body").GetString()!;
        await RetainedMonthsAgoAsync(host.Database, doc, 13);
        (await BlobsAsync(hash)).ShouldBe(1);

        doc = await Json(await DisposeAsync(admin, doc, 1, new { reason = "保存期满，经记录评审批准销毁 / retention over, approved at the records review", confirm = true }), HttpStatusCode.OK);

        var disposed = VersionNumber(doc, 1);
        disposed.GetProperty("status").GetString().ShouldBe("disposed");
        disposed.GetProperty("body").GetString().ShouldBe("");
        disposed.GetProperty("fileHash").GetString().ShouldBe(hash);
        disposed.GetProperty("fileName").GetString().ShouldBe("report-2026-03.xlsx");
        disposed.GetProperty("bodySha256").GetString().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))));
        disposed.GetProperty("disposalReason").GetString().ShouldBe("保存期满，经记录评审批准销毁 / retention over, approved at the records review");
        VersionNumber(doc, 2).GetProperty("status").GetString().ShouldBe("effective");
        (await BlobsAsync(hash)).ShouldBe(0);
        (await admin.GetAsync($"/api/v1/documents/{Id(doc)}/versions/1/file")).StatusCode.ShouldBe(HttpStatusCode.Gone);
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/documents/retention/due")).EnumerateArray()
            .ShouldNotContain(r => r.GetProperty("documentId").GetString() == Id(doc));

        var log = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/documents/disposals?documentId={Id(doc)}")).EnumerateArray().Single();
        log.GetProperty("versionLabel").GetString().ShouldBe("1.0");
        log.GetProperty("fileHash").GetString().ShouldBe(hash);
        log.GetProperty("fileRemoved").GetBoolean().ShouldBeTrue();
        log.GetProperty("disposedByName").GetString().ShouldNotBeNullOrWhiteSpace();
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=document-version&recordId={disposed.GetProperty("id").GetString()}");
        audit.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "dispose").GetProperty("reason").GetString()!.ShouldStartWith("保存期满");

        // A disposed version, and the log, are final below the application too.
        await using var connection = await host.Database.OpenAsync();
        var versionId = disposed.GetProperty("id").GetGuid();
        await Should.ThrowAsync<Exception>(() => connection.ExecuteAsync("UPDATE doc_versions SET body = 'restored' WHERE id = @versionId", new { versionId }));
        await Should.ThrowAsync<Exception>(() => connection.ExecuteAsync("UPDATE doc_versions SET status = 'retained' WHERE id = @versionId", new { versionId }));
        await Should.ThrowAsync<Exception>(() => connection.ExecuteAsync("DELETE FROM doc_versions WHERE id = @versionId", new { versionId }));
        await Should.ThrowAsync<Exception>(() => connection.ExecuteAsync("UPDATE doc_disposals SET reason = 'nothing to see' WHERE version_id = @versionId", new { versionId }));
        await Should.ThrowAsync<Exception>(() => connection.ExecuteAsync("DELETE FROM doc_disposals WHERE version_id = @versionId", new { versionId }));
    }

    [Fact]
    public async Task A_file_another_record_still_holds_stays_stored_when_one_version_holding_it_is_disposed()
    {
        using var admin = await host.AdminAsync();
        var file = UniqueFile();
        var hash = Convert.ToHexStringLower(SHA256.HashData(file));
        var first = await ReplacedRecordAsync(admin, file);
        var second = await ReplacedRecordAsync(admin, file);
        await RetainedMonthsAgoAsync(host.Database, first, 13);
        await RetainedMonthsAgoAsync(host.Database, second, 13);

        var disposed = await Json(await admin.PostAsJsonAsync("/api/v1/documents/disposals", new
        {
            versions = new[] { new { documentId = Id(first), version = Version(first), number = 1 } }, reason = "Retention over", confirm = true,
        }), HttpStatusCode.OK);

        disposed.EnumerateArray().Single().GetProperty("fileRemoved").GetBoolean().ShouldBeFalse();
        (await BlobsAsync(hash)).ShouldBe(1);
        var download = await admin.GetAsync($"/api/v1/documents/{Id(second)}/versions/1/file");
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(file);

        // The last record holding the file lets go of it: now it is gone.
        second = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{Id(second)}");
        (await Json(await DisposeAsync(admin, second, 1, new { reason = "Retention over", confirm = true }), HttpStatusCode.OK))
            .GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("number").GetInt32() == 1).GetProperty("status").GetString().ShouldBe("disposed");
        (await BlobsAsync(hash)).ShouldBe(0);
    }

    [Fact]
    public async Task A_file_an_incident_attachment_holds_stays_stored_when_the_record_with_the_same_file_is_disposed()
    {
        var build = await Builders.ForAsync(host);
        var file = UniqueFile();
        var hash = Convert.ToHexStringLower(SHA256.HashData(file));
        using var agent = await build.ClientAsync(await build.UserAsync(await build.ProviderIdAsync(), "service-desk-agent"));
        var logged = await Json(await agent.PostAsJsonAsync("/api/v1/incidents", new
        {
            title = "Monthly report shows wrong figures", description = "See the attached report", channel = "phone", organisationId = await build.OrganisationAsync(),
            callerName = "Li Lei", impact = "low", urgency = "low",
        }), HttpStatusCode.Created);
        var incident = logged.GetProperty("id").GetGuid();
        (await agent.PostAsync($"/api/v1/incidents/{incident}/attachments",
            new MultipartFormDataContent { { new ByteArrayContent(file), "file", "report-2026-03.xlsx" } })).StatusCode.ShouldBe(HttpStatusCode.Created);
        var doc = await ReplacedRecordAsync(build.Admin, file);
        await RetainedMonthsAgoAsync(host.Database, doc, 13);

        var disposed = await Json(await DisposeAsync(build.Admin, doc, 1, new { reason = "Retention over", confirm = true }), HttpStatusCode.OK);

        VersionNumber(disposed, 1).GetProperty("status").GetString().ShouldBe("disposed");
        (await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/documents/disposals?documentId={Id(doc)}")).EnumerateArray().Single()
            .GetProperty("fileRemoved").GetBoolean().ShouldBeFalse();
        (await BlobsAsync(hash)).ShouldBe(1);
        var attachment = (await agent.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incident}/attachments")).EnumerateArray().Single();
        var download = await agent.GetAsync($"/api/v1/incidents/{incident}/attachments/{attachment.GetProperty("id").GetString()}");
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(file);
    }

    [Fact]
    public async Task The_owner_is_told_once_when_records_come_due()
    {
        var build = await Builders.ForAsync(host);
        var owner = await build.UserAsync(await build.ProviderIdAsync(), "service-level-manager");
        var doc = await ReplacedRecordAsync(build.Admin, UniqueFile(), ownerId: owner.Id);
        var reminders = host.Services.GetRequiredService<RemindDisposals>();
        using var client = await build.ClientAsync(owner);
        async Task<List<JsonElement>> InboxAsync() =>
            [.. (await client.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications")).GetProperty("items").EnumerateArray()
                .Where(n => n.GetProperty("templateKey").GetString() == "documents.disposal-due")];

        await reminders.RunOnceAsync(CancellationToken.None);
        (await InboxAsync()).ShouldBeEmpty();

        await RetainedMonthsAgoAsync(host.Database, doc, 13);
        await reminders.RunOnceAsync(CancellationToken.None);
        await reminders.RunOnceAsync(CancellationToken.None);

        var told = (await InboxAsync()).ShouldHaveSingleItem();
        told.GetProperty("title").GetString()!.ShouldContain(doc.GetProperty("code").GetString()!);
        told.GetProperty("link").GetString().ShouldBe("/documents/retention");
    }
}

/// <summary>The conformity check over retention, on a database of its own: it counts every record of the register.</summary>
public abstract class RetentionCheckTests(CertusFixture host)
{
    private const string Key = "documents.records-past-retention";

    private static async Task<JsonElement> CheckAsync(HttpClient client, string edition, string clause)
    {
        var report = await client.GetFromJsonAsync<JsonElement>($"/api/v1/conformity?edition={edition}");
        var found = report.GetProperty("clauses").EnumerateArray().Single(c => c.GetProperty("clause").GetString() == clause);
        return found.GetProperty("evidence").GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("key").GetString() == Key);
    }

    private static decimal Figure(JsonElement check, string label) =>
        check.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("label").GetString() == label).GetProperty("value").GetDecimal();

    [Fact]
    public async Task Records_within_retention_or_on_hold_conform_and_one_past_retention_neither_disposed_nor_held_is_a_gap()
    {
        using var admin = await host.AdminAsync();
        (await CheckAsync(admin, "2018", "7.5.3")).GetProperty("verdict").GetString().ShouldBe("no-evidence");
        var doc = await RecordRetentionTests.ReplacedRecordAsync(admin, Encoding.UTF8.GetBytes("check " + Guid.NewGuid()));
        var code = doc.GetProperty("code").GetString()!;

        var kept = await CheckAsync(admin, "2018", "7.5.3");
        kept.GetProperty("verdict").GetString().ShouldBe("conforming");
        Figure(kept, "Records under a retention period").ShouldBe(1);

        await RecordRetentionTests.RetainedMonthsAgoAsync(host.Database, doc, 13);
        var overdue = await CheckAsync(admin, "2005", "3.2");
        overdue.GetProperty("verdict").GetString().ShouldBe("gap");
        Figure(overdue, "Past retention, not disposed").ShouldBe(1);
        var record = overdue.GetProperty("records").EnumerateArray().Single();
        record.GetProperty("reference").GetString().ShouldBe($"{code} 1.0");
        record.GetProperty("path").GetString().ShouldBe($"/documents/{code}");

        doc = await RecordRetentionTests.Json(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{RecordRetentionTests.Id(doc)}/legal-hold",
            new { reason = "Tax audit" }, RecordRetentionTests.Version(doc)), HttpStatusCode.OK);
        var held = await CheckAsync(admin, "2018", "7.5.3");
        held.GetProperty("verdict").GetString().ShouldBe("conforming");
        Figure(held, "Past retention, on legal hold").ShouldBe(1);

        doc = await RecordRetentionTests.Json(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{RecordRetentionTests.Id(doc)}/legal-hold/lift",
            new { reason = "Tax audit closed" }, RecordRetentionTests.Version(doc)), HttpStatusCode.OK);
        (await CheckAsync(admin, "2018", "7.5.3")).GetProperty("verdict").GetString().ShouldBe("gap");
        await RecordRetentionTests.Json(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{RecordRetentionTests.Id(doc)}/versions/1/dispose",
            new { reason = "Retention over", confirm = true }, RecordRetentionTests.Version(doc)), HttpStatusCode.OK);
        var disposed = await CheckAsync(admin, "2018", "7.5.3");
        disposed.GetProperty("verdict").GetString().ShouldBe("conforming");
        Figure(disposed, "Disposed of").ShouldBe(1);
    }
}

public sealed class RetentionCheckTestsOnSqlite(SqliteCertus host) : RetentionCheckTests(host), IClassFixture<SqliteCertus>;

public sealed class RetentionCheckTestsOnPostgres(PostgresCertus host) : RetentionCheckTests(host), IClassFixture<PostgresCertus>;

public sealed class RecordRetentionTestsOnSqlite(SqliteCertus host) : RecordRetentionTests(host), IClassFixture<SqliteCertus>;

public sealed class RecordRetentionTestsOnPostgres(PostgresCertus host) : RecordRetentionTests(host), IClassFixture<PostgresCertus>;
