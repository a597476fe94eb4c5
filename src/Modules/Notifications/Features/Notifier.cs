using System.Data.Common;
using Certus.Identity.Contracts;
using Certus.Kernel.Localization;
using Certus.Kernel.Notifications;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Certus.Notifications.Features;

/// <summary>
/// <see cref="INotifier"/>: renders the template in each recipient's language (their saved choice, else the
/// installation's default, else zh-CN), writes an in-app notification and queues a mail, all in the caller's transaction.
/// </summary>
internal sealed class Notifier(
    IDirectory directory, NotificationTemplates templates, TemplateRenderer renderer, Outbox outbox, IOptions<MailOptions> mail,
    IConfiguration configuration, TimeProvider clock) : INotifier
{
    public async Task NotifyAsync(Notification notification, DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (!templates.Exists(notification.TemplateKey))
        {
            throw new ArgumentException($"No notification template is registered under '{notification.TemplateKey}'.", nameof(notification));
        }
        var users = await directory.FindUsersAsync(notification.Recipients, ct);
        var fallback = configuration["Certus:DefaultCulture"] is { } c && Cultures.IsSupported(c) ? c : Cultures.Chinese;
        var now = clock.GetUtcNow();
        foreach (var user in notification.Recipients.Distinct().Select(users.GetValueOrDefault).OfType<UserSummary>().Where(u => u.IsActive))
        {
            var culture = Cultures.IsSupported(user.Culture) ? user.Culture! : fallback;
            var template = (await templates.ForSendingAsync(connection, transaction, notification.TemplateKey, culture, ct))!;
            var model = new Dictionary<string, object?>(notification.Model, StringComparer.Ordinal) { ["recipientName"] = user.DisplayName };
            var message = renderer.Render(template.Subject, template.Body, model);
            var id = Guid.CreateVersion7();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO ntf_notifications (id, user_id, template_key, title, body, link, record_type, record_id, created_at, read_at)
                VALUES (@id, @userId, @key, @title, @body, @link, @recordType, @recordId, @now, NULL)
                """,
                new
                {
                    id, userId = user.Id, key = notification.TemplateKey, title = message.Subject, body = message.Body, link = notification.Link,
                    recordType = notification.RecordType, recordId = notification.RecordId, now,
                }, transaction, cancellationToken: ct));
            if (!string.IsNullOrWhiteSpace(user.Email))
            {
                await outbox.EnqueueAsync(connection, transaction, user.Email, culture, WithLink(message, notification.Link), id, ct);
            }
        }
    }

    // In the app the link is the notification's own; in a mail it has to be absolute to be followed.
    private RenderedMessage WithLink(RenderedMessage message, string? link)
    {
        if (string.IsNullOrWhiteSpace(link) || string.IsNullOrWhiteSpace(mail.Value.PublicUrl)
            || !Uri.TryCreate(new Uri(mail.Value.PublicUrl), link, out var absolute))
        {
            return message;
        }
        var url = absolute.ToString();
        return message with
        {
            Body = message.Body.TrimEnd() + "\n\n" + url + "\n",
            BodyHtml = message.BodyHtml + $"<p><a href=\"{System.Net.WebUtility.HtmlEncode(url)}\">{System.Net.WebUtility.HtmlEncode(url)}</a></p>",
        };
    }
}
