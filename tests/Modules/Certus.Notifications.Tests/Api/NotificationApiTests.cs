using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Data;
using Certus.Kernel.Notifications;
using Certus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Certus.Notifications.Tests.Api;

public abstract class NotificationApiTests(IMailHost mail)
{
    private CertusFixture Host => mail.Host;

    private static string Address() => $"to.{Guid.NewGuid():N}@example.test";

    [Fact]
    public async Task A_test_mail_reaches_the_smtp_server_with_its_chinese_subject_and_body_intact()
    {
        using var admin = await Host.AdminAsync("zh-CN");
        var address = Address();

        var response = await admin.PostAsJsonAsync("/api/v1/outbox/test", new { address });

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var received = await mail.Smtp.WaitForAsync(address);
        received.Subject.ShouldBe("Certus 测试邮件");
        received.Text.ShouldContain("这是一封 Certus 测试邮件");
        received.Text.ShouldContain(address);
        received.Html!.ShouldContain("<strong>");
        received.From!.ShouldContain("certus@certus.test");
        received.From!.ShouldContain("Certus 服务台");
        var row = await WaitForRowAsync(admin, response.Headers.Location!.ToString(), r => r.GetProperty("status").GetString() == "sent");
        row.GetProperty("attempts").GetInt32().ShouldBe(1);
        row.GetProperty("sentAt").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task With_the_server_down_a_mail_waits_with_its_error_and_is_delivered_once_the_server_is_back()
    {
        using var admin = await Host.AdminAsync();
        var address = Address();
        await mail.Smtp.StopAsync();
        try
        {
            var response = await admin.PostAsJsonAsync("/api/v1/outbox/test", new { address });
            response.StatusCode.ShouldBe(HttpStatusCode.Created);
            var location = response.Headers.Location!.ToString();

            var waiting = await WaitForRowAsync(admin, location, r => r.GetProperty("attempts").GetInt32() >= 1);

            waiting.GetProperty("status").GetString().ShouldBe("pending");
            waiting.GetProperty("lastError").GetString().ShouldNotBeNullOrWhiteSpace();
            waiting.GetProperty("nextAttemptAt").GetDateTimeOffset().ShouldBeGreaterThan(waiting.GetProperty("createdAt").GetDateTimeOffset());
            await mail.Smtp.StartAsync();
            (await mail.Smtp.WaitForAsync(address)).Subject.ShouldBe("Certus test mail");
            var sent = await WaitForRowAsync(admin, location, r => r.GetProperty("status").GetString() == "sent");
            sent.GetProperty("lastError").ValueKind.ShouldBe(JsonValueKind.Null);
        }
        finally
        {
            await mail.Smtp.StartAsync();
        }
    }

    [Fact]
    public async Task After_the_last_attempt_a_mail_fails_visibly_and_audited_and_retry_now_sends_it()
    {
        using var admin = await Host.AdminAsync();
        var address = Address();
        await mail.Smtp.StopAsync();
        string location;
        try
        {
            var response = await admin.PostAsJsonAsync("/api/v1/outbox/test", new { address });
            location = response.Headers.Location!.ToString();

            var failed = await WaitForRowAsync(admin, location, r => r.GetProperty("status").GetString() == "failed", TimeSpan.FromSeconds(60));

            failed.GetProperty("attempts").GetInt32().ShouldBe(MailSettings.MaxAttempts);
            failed.GetProperty("lastError").GetString().ShouldNotBeNullOrWhiteSpace();
            var id = failed.GetProperty("id").GetGuid();
            var history = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?recordType=outbox-message&recordId={id}");
            history.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ShouldBe(["test-queued", "failed"]);
            (await admin.GetFromJsonAsync<JsonElement>("/api/v1/outbox?status=failed")).GetProperty("items").EnumerateArray()
                .ShouldContain(r => r.GetProperty("id").GetGuid() == id);
        }
        finally
        {
            await mail.Smtp.StartAsync();
        }

        var retry = await admin.PostAsync($"{location}/retry", null);

        retry.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await mail.Smtp.WaitForAsync(address)).Subject.ShouldBe("Certus test mail");
        await WaitForRowAsync(admin, location, r => r.GetProperty("status").GetString() == "sent");
        (await admin.PostAsync($"{location}/retry", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_notification_is_rendered_in_each_recipients_language_in_the_app_and_by_mail()
    {
        var build = await Builders.ForAsync(Host);
        var provider = await build.ProviderIdAsync();
        var zhUser = await build.UserAsync(provider, "service-desk-agent");
        var enUser = await build.UserAsync(provider, "service-desk-agent");
        using var zh = await build.ClientAsync(zhUser);
        using var en = await build.ClientAsync(enUser);
        (await zh.PatchAsJsonAsync("/api/v1/me", new { culture = "zh-CN" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await en.PatchAsJsonAsync("/api/v1/me", new { culture = "en-US" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await NotifyAsync(new Notification("notifications.test", [zhUser.Id, enUser.Id, zhUser.Id],
            new Dictionary<string, object?>(StringComparer.Ordinal) { ["sentBy"] = "王芳 <script>", ["sentAt"] = "2026-11-21", ["address"] = "desk" },
            Link: "/incidents"));

        var zhList = await zh.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications");
        zhList.GetProperty("total").GetInt64().ShouldBe(1);
        zhList.GetProperty("items")[0].GetProperty("title").GetString().ShouldBe("Certus 测试邮件");
        zhList.GetProperty("items")[0].GetProperty("body").GetString()!.ShouldContain("王芳 <script>");
        zhList.GetProperty("items")[0].GetProperty("link").GetString().ShouldBe("/incidents");
        var enList = await en.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications");
        enList.GetProperty("items")[0].GetProperty("title").GetString().ShouldBe("Certus test mail");
        var zhMail = await mail.Smtp.WaitForAsync(zhUser.Email);
        zhMail.Subject.ShouldBe("Certus 测试邮件");
        zhMail.Text.ShouldContain("https://itsm.example.test/incidents");
        // Values are HTML-escaped in the HTML alternative: the model's markup arrives as text.
        zhMail.Html!.ShouldNotContain("<script>");
        zhMail.Html!.ShouldContain("王芳 &lt;script&gt;");
        (await mail.Smtp.WaitForAsync(enUser.Email)).Subject.ShouldBe("Certus test mail");
    }

    [Fact]
    public async Task A_user_sees_and_marks_only_their_own_notifications()
    {
        var build = await Builders.ForAsync(Host);
        var provider = await build.ProviderIdAsync();
        var owner = await build.UserAsync(provider, "technician");
        var other = await build.UserAsync(await build.OrganisationAsync(), "customer-user");
        using var ownerClient = await build.ClientAsync(owner);
        using var otherClient = await build.ClientAsync(other);
        await NotifyAsync(new Notification("notifications.test", [owner.Id], new Dictionary<string, object?>(StringComparer.Ordinal)));
        await NotifyAsync(new Notification("notifications.test", [owner.Id], new Dictionary<string, object?>(StringComparer.Ordinal)));
        var mine = await ownerClient.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications?unread=true");
        mine.GetProperty("total").GetInt64().ShouldBe(2);
        var id = mine.GetProperty("items")[0].GetProperty("id").GetGuid();

        (await otherClient.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications")).GetProperty("total").GetInt64().ShouldBe(0);
        (await otherClient.PostAsync($"/api/v1/me/notifications/{id}/read", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherClient.PostAsync("/api/v1/me/notifications/read-all", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ownerClient.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications?unread=true")).GetProperty("total").GetInt64().ShouldBe(2);

        var read = await ownerClient.PostAsync($"/api/v1/me/notifications/{id}/read", null);
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("readAt").ValueKind.ShouldBe(JsonValueKind.String);
        (await ownerClient.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications?unread=true")).GetProperty("total").GetInt64().ShouldBe(1);
        (await ownerClient.PostAsync("/api/v1/me/notifications/read-all", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ownerClient.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications?unread=true")).GetProperty("total").GetInt64().ShouldBe(0);
        (await ownerClient.GetFromJsonAsync<JsonElement>("/api/v1/me/notifications?page=1&pageSize=1")).GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task A_template_is_edited_under_if_match_refused_when_broken_and_reset_to_its_default()
    {
        using var admin = await Host.AdminAsync();
        const string url = "/api/v1/notification-templates/notifications.test/en-US";
        var original = await admin.GetAsync(url);
        original.StatusCode.ShouldBe(HttpStatusCode.OK);
        original.Headers.ETag!.Tag.ShouldBe("\"0\"");
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/notification-templates")).EnumerateArray()
            .Count(t => t.GetProperty("key").GetString() == "notifications.test").ShouldBe(2);
        try
        {
            (await admin.PutAsJsonAsync(url, new { subject = "Hello", body = "Body" })).StatusCode.ShouldBe(HttpStatusCode.PreconditionRequired);

            var broken = await PutAsync(admin, url, new { subject = "Hello {{sentBy}}", body = "{{#if sentBy}}unclosed" }, "\"0\"");
            broken.StatusCode.ShouldBe((HttpStatusCode)422);
            broken.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            var problem = await broken.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("errors").TryGetProperty("body", out _).ShouldBeTrue();
            problem.GetProperty("errors").TryGetProperty("subject", out _).ShouldBeFalse();
            (await PutAsync(admin, url, new { subject = "", body = "x" }, "\"0\"")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

            var saved = await PutAsync(admin, url, new { subject = "Edited: test from {{sentBy}}", body = "Edited body for {{address}}." }, "\"0\"");
            saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
            saved.Headers.ETag!.Tag.ShouldBe("\"1\"");
            (await PutAsync(admin, url, new { subject = "Stale", body = "Stale" }, "\"0\"")).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);

            var address = Address();
            (await admin.PostAsJsonAsync("/api/v1/outbox/test", new { address })).StatusCode.ShouldBe(HttpStatusCode.Created);
            var received = await mail.Smtp.WaitForAsync(address);
            received.Subject.ShouldStartWith("Edited: test from ");
            received.Text.ShouldContain($"Edited body for {address}.");
            var history = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?recordType=notification-template&recordId=notifications.test/en-US");
            history.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ShouldContain("updated");
        }
        finally
        {
            var reset = await admin.DeleteAsync(url);
            reset.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var after = await admin.GetAsync(url);
        after.Headers.ETag!.Tag.ShouldBe("\"0\"");
        (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subject").GetString().ShouldBe("Certus test mail");
        (await admin.GetAsync("/api/v1/notification-templates/nope/en-US")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Templates_and_the_outbox_are_for_administrators_only_and_bad_addresses_are_refused()
    {
        var build = await Builders.ForAsync(Host);
        var agent = await build.UserAsync(await build.ProviderIdAsync(), "service-desk-agent");
        using var client = await build.ClientAsync(agent);

        (await client.GetAsync("/api/v1/outbox")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.PostAsJsonAsync("/api/v1/outbox/test", new { address = "a@example.test" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync("/api/v1/notification-templates")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync("/api/v1/me/notifications")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var admin = await Host.AdminAsync("zh-CN");
        var bad = await admin.PostAsJsonAsync("/api/v1/outbox/test", new { address = "not an address" });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("address")[0].GetString().ShouldBe("这不是有效的邮箱地址。");
        (await admin.PostAsync($"/api/v1/outbox/{Guid.NewGuid()}/retry", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task NotifyAsync(Notification notification)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var notifier = scope.ServiceProvider.GetRequiredService<INotifier>();
        await Host.Services.GetRequiredService<Database>().WriteAsync(async (connection, tx) =>
        {
            await notifier.NotifyAsync(notification, connection, tx, CancellationToken.None);
            return true;
        });
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string url, object body, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.ParseAdd(etag);
        return client.SendAsync(request);
    }

    private static async Task<JsonElement> WaitForRowAsync(HttpClient client, string location, Func<JsonElement, bool> done, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        JsonElement row;
        do
        {
            row = await client.GetFromJsonAsync<JsonElement>(location);
            if (done(row))
            {
                return row;
            }
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < until);
        throw new TimeoutException($"Outbox row never reached the expected state: {row}");
    }
}

public sealed class NotificationApiTestsOnSqlite(SqliteMailCertus host) : NotificationApiTests(host), IClassFixture<SqliteMailCertus>;

public sealed class NotificationApiTestsOnPostgres(PostgresMailCertus host) : NotificationApiTests(host), IClassFixture<PostgresMailCertus>;
