using System.Data.Common;

namespace Certus.Kernel.Notifications;

/// <summary>
/// Tells people that something happened: an in-app notification for each recipient and, where the recipient has
/// an email address, a mail through the outbox. Modules call it from inside their own unit of work.
/// </summary>
/// <remarks>
/// Everything is written on the caller's connection, in the caller's transaction: the notification commits
/// with the change that caused it or not at all, and delivery happens later, so a slow or absent mail server never
/// holds a business transaction open. ISO/IEC 20000-1:2018 7.4 (communication) and 8.3.3 (notifications of SLA).
/// </remarks>
public interface INotifier
{
    /// <summary>Renders <paramref name="notification"/> per recipient's language and queues it.</summary>
    /// <param name="notification">What to say and to whom.</param>
    /// <param name="connection">The caller's open connection.</param>
    /// <param name="transaction">The caller's transaction; nothing is committed here.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="ArgumentException">No template is registered under <see cref="Notification.TemplateKey"/>.</exception>
    Task NotifyAsync(Notification notification, DbConnection connection, DbTransaction transaction, CancellationToken ct);
}

/// <summary>One message to a list of users, rendered from a template.</summary>
/// <param name="TemplateKey">Key of a template some module registered with <see cref="NotificationTemplateDefault"/>, e.g. <c>incidents.assigned</c>.</param>
/// <param name="Recipients">User ids; unknown or inactive users are skipped, duplicates are notified once.</param>
/// <param name="Model">Values the template refers to as <c>{{name}}</c>; they are HTML-escaped where the output is HTML.</param>
/// <param name="Link">Relative URL of the record, such as <c>/incidents/…</c>; shown in the app and appended to mail as an absolute URL.</param>
/// <param name="RecordType">Kind of record the notification is about, for finding it later (optional).</param>
/// <param name="RecordId">Id of that record (optional).</param>
public sealed record Notification(
    string TemplateKey,
    IReadOnlyList<Guid> Recipients,
    IReadOnlyDictionary<string, object?> Model,
    string? Link = null,
    string? RecordType = null,
    string? RecordId = null);

/// <summary>
/// A template a module ships, in one language. Register one per key and culture with
/// <c>services.AddSingleton(new NotificationTemplateDefault(...))</c>; administrators may override it.
/// </summary>
/// <param name="Key">Template key, prefixed with the module's name: <c>incidents.assigned</c>.</param>
/// <param name="Culture"><c>en-US</c> or <c>zh-CN</c>.</param>
/// <param name="Subject">Handlebars template of the subject line (one line of plain text).</param>
/// <param name="Body">Handlebars template of the body, written in Markdown.</param>
public sealed record NotificationTemplateDefault(string Key, string Culture, string Subject, string Body);
