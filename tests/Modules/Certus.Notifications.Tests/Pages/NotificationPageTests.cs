using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certus.Kernel.Notifications;
using Certus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Certus.Notifications.Tests.Pages;

/// <summary>The pages through the real host, as a browser without JavaScript uses them.</summary>
public sealed class NotificationPageTests(SqliteMailCertus mail) : IClassFixture<SqliteMailCertus>
{
    [Fact]
    public async Task The_bell_counts_unread_notifications_and_the_list_marks_them_read()
    {
        var build = await Builders.ForAsync(mail);
        var user = await build.UserAsync(await build.ProviderIdAsync(), "technician");
        await using (var scope = mail.Services.CreateAsyncScope())
        {
            var notifier = scope.ServiceProvider.GetRequiredService<INotifier>();
            await mail.Database.WriteAsync(async (connection, tx) =>
            {
                await notifier.NotifyAsync(new Notification("notifications.test", [user.Id],
                    new Dictionary<string, object?>(StringComparer.Ordinal) { ["sentBy"] = "Li Na" }), connection, tx, CancellationToken.None);
                return true;
            });
        }
        using var session = new BrowserSession(mail);
        (await session.SignInAsync(user.Email, user.Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var home = await session.GetHtmlAsync("/");
        home.ShouldContain("data-testid=\"notification-bell\"");
        home.ShouldContain("data-testid=\"notification-count\">1<");
        var list = await session.GetHtmlAsync("/notifications");
        list.ShouldContain("Certus test mail");
        list.ShouldContain("<strong>Li Na</strong>");

        var readAll = await session.PostFormAsync("/notifications", "/notifications?handler=ReadAll", new Dictionary<string, string>(StringComparer.Ordinal));

        readAll.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await session.GetHtmlAsync("/")).ShouldNotContain("data-testid=\"notification-count\"");
        // A page the caller lacks the permission for sends them to the access-denied page.
        var denied = await session.GetAsync("/admin/outbox");
        denied.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        denied.Headers.Location!.ToString().ShouldContain("/account/denied");
    }

    [Fact]
    public async Task An_administrator_sends_a_test_mail_sees_it_in_the_outbox_and_a_broken_template_is_a_form_error()
    {
        using var session = new BrowserSession(mail);
        await session.SignInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword);
        var address = $"page.{Guid.NewGuid():N}@example.test";

        var sent = await session.PostFormAsync("/admin/outbox", "/admin/outbox?handler=Test", new Dictionary<string, string>(StringComparer.Ordinal) { ["Address"] = address });

        sent.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await mail.Smtp.WaitForAsync(address);
        var outbox = await session.GetHtmlAsync("/admin/outbox");
        outbox.ShouldContain(address);
        outbox.ShouldNotContain("data-testid=\"mail-not-configured\"");
        (await session.GetHtmlAsync("/admin/notification-templates")).ShouldContain("notifications.test");

        var broken = await session.PostFormAsync("/admin/notification-templates/notifications.test/zh-CN", "/admin/notification-templates/notifications.test/zh-CN",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["Input.Subject"] = "主题", ["Input.Body"] = "{{#each}}", ["Input.Version"] = "0" });

        broken.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await broken.Content.ReadAsStringAsync();
        html.ShouldContain("The template does not compile");
        using var admin = await mail.AdminAsync();
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/notification-templates/notifications.test/zh-CN")).GetProperty("isOverridden").GetBoolean().ShouldBeFalse();
    }
}

/// <summary>Certus without an SMTP server configured: mail waits, and the outbox page says why.</summary>
public sealed class MailNotConfiguredTests(SqliteCertus host) : IClassFixture<SqliteCertus>
{
    [Fact]
    public async Task Without_an_smtp_host_mail_stays_pending_untouched_and_the_outbox_page_says_mail_is_not_configured()
    {
        using var admin = await host.AdminAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/outbox/test", new { address = "nobody@example.test" });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);

        await Task.Delay(TimeSpan.FromSeconds(2));

        var row = await admin.GetFromJsonAsync<JsonElement>(response.Headers.Location!.ToString());
        row.GetProperty("status").GetString().ShouldBe("pending");
        row.GetProperty("attempts").GetInt32().ShouldBe(0);
        using var session = new BrowserSession(host);
        await session.SignInAsync(CertusFixture.AdminEmail, CertusFixture.AdminPassword);
        (await session.GetHtmlAsync("/admin/outbox")).ShouldContain("data-testid=\"mail-not-configured\"");
    }
}
