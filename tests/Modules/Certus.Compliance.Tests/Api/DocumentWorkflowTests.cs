using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Certus.Data;
using Certus.Testing;
using Dapper;
using Shouldly;
using Xunit;

namespace Certus.Compliance.Tests.Api;

/// <summary>The document register: workflow, retention, immutability, approval role, distribution and files (ISO/IEC 20000-1:2018 7.5).</summary>
public abstract class DocumentWorkflowTests(CertusFixture host)
{
    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static int Version(JsonElement doc) => doc.GetProperty("version").GetInt32();

    private static string Id(JsonElement doc) => doc.GetProperty("id").GetString()!;

    private static JsonElement VersionNumber(JsonElement doc, int number) =>
        doc.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("number").GetInt32() == number);

    internal static async Task<JsonElement> RegisterAsync(HttpClient client, string? nextReviewOn = null, params string[] clauses) =>
        await Json(await client.PostAsJsonAsync("/api/v1/documents", new
        {
            code = "T-" + Guid.NewGuid().ToString("N")[..8], tier = "B", titleEn = "Incident management procedure", titleZh = "事件管理程序",
            clauses = clauses.Length == 0 ? ["8.6.1"] : clauses, reviewMonths = 12, nextReviewOn,
        }), HttpStatusCode.Created);

    /// <summary>Takes a document's newest version from nothing to effective; returns the document.</summary>
    internal static async Task<JsonElement> PublishAsync(HttpClient admin, JsonElement doc, string body)
    {
        var id = Id(doc);
        doc = await Json(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{id}/versions", new { body, changeNote = "New edition" }, Version(doc)), HttpStatusCode.OK);
        var number = doc.GetProperty("versions")[0].GetProperty("number").GetInt32();
        doc = await Json(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{id}/versions/{number}/submit", new { }, Version(doc)), HttpStatusCode.OK);
        doc = await Json(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{id}/versions/{number}/approve", new { reason = "Reviewed at the SMS meeting" }, Version(doc)), HttpStatusCode.OK);
        return await Json(await admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{id}/versions/{number}/publish", new { }, Version(doc)), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_new_edition_makes_the_old_one_retained_and_both_stay_in_the_register()
    {
        using var admin = await host.AdminAsync();
        var doc = await RegisterAsync(admin);
        doc = await PublishAsync(admin, doc, "# Edition one");
        VersionNumber(doc, 1).GetProperty("status").GetString().ShouldBe("effective");
        doc.GetProperty("nextReviewOn").GetString().ShouldNotBeNull();

        doc = await PublishAsync(admin, doc, "# Edition two");

        VersionNumber(doc, 1).GetProperty("status").GetString().ShouldBe("retained");
        VersionNumber(doc, 1).GetProperty("body").GetString().ShouldBe("# Edition one");
        VersionNumber(doc, 2).GetProperty("status").GetString().ShouldBe("effective");
        VersionNumber(doc, 2).GetProperty("approvalReason").GetString().ShouldBe("Reviewed at the SMS meeting");
        doc.GetProperty("effectiveVersion").GetString().ShouldBe("2.0");
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=document-version&recordId={VersionNumber(doc, 2).GetProperty("id").GetString()}");
        history.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "approve").GetProperty("reason").GetString().ShouldBe("Reviewed at the SMS meeting");
    }

    [Fact]
    public async Task Approved_effective_and_retained_versions_refuse_changes_and_are_never_deleted()
    {
        using var admin = await host.AdminAsync();
        var doc = await PublishAsync(admin, await RegisterAsync(admin), "# Edition one");
        doc = await PublishAsync(admin, doc, "# Edition two");

        var edit = await admin.SendIfMatchAsync(HttpMethod.Put, $"/api/v1/documents/{Id(doc)}/versions/1", new { label = "1.0", body = "rewritten history" }, Version(doc));
        var problem = await Json(edit, HttpStatusCode.Conflict);
        problem.GetProperty("detail").GetString()!.ShouldContain("cannot be changed");
        var attach = new MultipartFormDataContent { { new ByteArrayContent("x"u8.ToArray()), "file", "x.txt" } };
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/versions/2/file") { Content = attach };
        request.Headers.IfMatch.ParseAdd($"\"{Version(doc)}\"");
        (await admin.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // Below the application too: the database refuses to rewrite or delete a version that is a record.
        var database = (Database)host.Services.GetService(typeof(Database))!;
        await using var connection = await database.OpenAsync();
        var versionId = VersionNumber(doc, 1).GetProperty("id").GetGuid();
        await Should.ThrowAsync<Exception>(() => connection.ExecuteAsync("UPDATE doc_versions SET body = 'tampered' WHERE id = @versionId", new { versionId }));
        await Should.ThrowAsync<Exception>(() => connection.ExecuteAsync("DELETE FROM doc_versions WHERE id = @versionId", new { versionId }));
        var after = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{Id(doc)}");
        VersionNumber(after, 1).GetProperty("body").GetString().ShouldBe("# Edition one");
    }

    [Fact]
    public async Task Only_an_approver_may_approve_and_only_with_a_reason()
    {
        var build = await Builders.ForAsync(host);
        var writer = await build.UserAsync(await build.ProviderIdAsync(), "service-level-manager");
        using var client = await build.ClientAsync(writer);
        var doc = await RegisterAsync(client);
        doc = await Json(await client.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/versions", new { body = "Draft text" }, Version(doc)), HttpStatusCode.OK);
        doc = await Json(await client.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/versions/1/submit", new { }, Version(doc)), HttpStatusCode.OK);

        (await client.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/versions/1/approve", new { reason = "I wrote it" }, Version(doc)))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var withoutReason = await Json(await build.Admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/versions/1/approve", new { }, Version(doc)),
            HttpStatusCode.BadRequest);
        withoutReason.GetProperty("errors").TryGetProperty("reason", out _).ShouldBeTrue();
        var published = await Json(await build.Admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/versions/1/publish", new { }, Version(doc)), HttpStatusCode.Conflict);
        published.GetProperty("detail").GetString()!.ShouldContain("approve");
        var current = await build.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{Id(doc)}");
        VersionNumber(current, 1).GetProperty("status").GetString().ShouldBe("in-review");
    }

    [Fact]
    public async Task Holders_acknowledge_the_effective_version_and_files_carry_their_sha256()
    {
        var build = await Builders.ForAsync(host);
        var holder = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        var doc = await RegisterAsync(build.Admin);
        doc = await Json(await build.Admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/versions", new { body = "" }, Version(doc)), HttpStatusCode.OK);
        var content = "流程图 flow chart"u8.ToArray();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/versions/1/file")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(content), "file", "flow.txt" } },
        };
        request.Headers.IfMatch.ParseAdd($"\"{Version(doc)}\"");
        doc = await Json(await build.Admin.SendAsync(request), HttpStatusCode.OK);
        VersionNumber(doc, 1).GetProperty("fileHash").GetString().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(content)));
        doc = await Json(await build.Admin.PostAsJsonAsync($"/api/v1/documents/{Id(doc)}/holders", new { userId = holder.Id }), HttpStatusCode.OK);
        foreach (var step in new[] { "submit", "approve", "publish" })
        {
            doc = await Json(await build.Admin.SendIfMatchAsync(HttpMethod.Post, $"/api/v1/documents/{Id(doc)}/versions/1/{step}", new { reason = "ok" }, Version(doc)), HttpStatusCode.OK);
        }
        doc.GetProperty("holders")[0].GetProperty("acknowledgedAt").ValueKind.ShouldBe(JsonValueKind.Null);

        using var client = await build.ClientAsync(holder);
        var download = await client.GetAsync($"/api/v1/documents/{Id(doc)}/versions/1/file");
        download.Headers.GetValues("X-Content-SHA256").Single().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(content)));
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(content);
        var acknowledged = await Json(await client.PostAsync($"/api/v1/documents/{Id(doc)}/acknowledge", null), HttpStatusCode.OK);

        acknowledged.GetProperty("holders")[0].GetProperty("acknowledgedAt").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task The_manuals_document_list_is_seeded_as_drafts_and_customers_see_no_document()
    {
        var build = await Builders.ForAsync(host);
        var register = await build.Admin.GetFromJsonAsync<JsonElement>("/api/v1/documents");
        var codes = register.EnumerateArray().ToDictionary(d => d.GetProperty("code").GetString()!, d => d);
        codes["A-01"].GetProperty("titleZh").GetString().ShouldBe("IT服务管理手册");
        codes["B-07"].GetProperty("titleZh").GetString().ShouldBe("事件管理程序");
        codes["B-07"].GetProperty("latestStatus").GetString().ShouldBe("draft");
        codes["D-01"].GetProperty("retentionMonths").GetInt32().ShouldBe(36);

        using var customer = await build.ClientAsync(await build.UserAsync(await build.OrganisationAsync(), "customer-user"));
        (await customer.GetAsync("/api/v1/documents")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await customer.GetAsync("/api/v1/conformity")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Bad_register_entries_get_field_errors_in_the_callers_language()
    {
        using var admin = await host.AdminAsync("zh-CN");
        var response = await admin.PostAsJsonAsync("/api/v1/documents", new { code = "bad code!", tier = "E", titleEn = "", clauses = new[] { "eight" } });
        var problem = await Json(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "code", "tier", "titleEn", "titleZh", "clauses" })
        {
            errors.TryGetProperty(field, out _).ShouldBeTrue(field);
        }
        errors.GetProperty("clauses")[0].GetString()!.ShouldContain("不是有效条款");
    }
}

public sealed class DocumentWorkflowTestsOnSqlite(SqliteCertus host) : DocumentWorkflowTests(host), IClassFixture<SqliteCertus>;

public sealed class DocumentWorkflowTestsOnPostgres(PostgresCertus host) : DocumentWorkflowTests(host), IClassFixture<PostgresCertus>;
