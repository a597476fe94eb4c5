using System.Data.Common;
using System.Globalization;
using System.Net.Mail;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel;
using Certus.Kernel.Errors;
using Certus.Kernel.Localization;
using Certus.Kernel.Security;
using Dapper;
using Microsoft.Extensions.Options;

namespace Certus.Notifications.Features;

/// <summary>Where a mail is: waiting, handed to the server, or given up after the last attempt.</summary>
public static class OutboxStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Sent, Failed];
}

/// <summary>A mail in the outbox, as the outbox page and API show it.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; init; }
    public Guid? NotificationId { get; init; }
    public string RecipientAddress { get; init; } = "";
    public string Culture { get; init; } = "";
    public string Subject { get; init; } = "";
    public string Body { get; init; } = "";
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }
}

/// <summary>The mail outbox: what producers queue, and what administrators see, retry and test.</summary>
public sealed class Outbox(
    Database database, TemplateRenderer renderer, NotificationTemplates templates, AuditTrail audit, ICurrentUser caller,
    IOptions<MailOptions> options, TimeProvider clock, Texts<Strings> text)
{
    public const string AuditRecordType = "outbox-message";
    public const string TestTemplate = "notifications.test";

    private const string Columns =
        "id, notification_id, recipient_address, culture, subject, body, status, attempts, next_attempt_at, last_error, created_at, sent_at";

    public sealed record TestRequest(string? Address);

    public bool IsConfigured => options.Value.IsConfigured;

    /// <summary>Queues one mail in the caller's transaction; the delivery job sends it.</summary>
    internal async Task<Guid> EnqueueAsync(
        DbConnection connection, DbTransaction tx, string address, string culture, RenderedMessage message, Guid? notificationId, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO ntf_outbox (id, notification_id, recipient_address, culture, subject, body, body_html, status, attempts, next_attempt_at,
                                    claimed_until, claim_token, last_error, created_at, sent_at)
            VALUES (@id, @notificationId, @address, @culture, @subject, @body, @html, @pending, 0, @now, NULL, NULL, NULL, @now, NULL)
            """,
            new { id, notificationId, address, culture, subject = message.Subject, body = message.Body, html = message.BodyHtml, pending = OutboxStatus.Pending, now },
            tx, cancellationToken: ct));
        return id;
    }

    public async Task<Page<OutboxMessage>> ListAsync(string? status, PageRequest page, CancellationToken ct = default)
    {
        var filter = OutboxStatus.All.Contains(status ?? "", StringComparer.Ordinal) ? "WHERE status = @status" : "";
        await using var connection = await database.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM ntf_outbox {filter}", new { status }, cancellationToken: ct));
        var items = await connection.QueryAsync<OutboxMessage>(new CommandDefinition(
            $"SELECT {Columns} FROM ntf_outbox {filter} ORDER BY created_at DESC, id DESC LIMIT @size OFFSET @offset",
            new { status, size = page.Size, offset = page.Offset }, cancellationToken: ct));
        return new Page<OutboxMessage>(items.ToList(), total, page.Number, page.Size);
    }

    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM ntf_outbox GROUP BY status", cancellationToken: ct));
        var counts = OutboxStatus.All.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        foreach (var (s, count) in rows)
        {
            counts[s] = count;
        }
        return counts;
    }

    public async Task<OutboxMessage?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await FindAsync(connection, null, id, ct);
    }

    /// <summary>Sends a failed mail again, with a fresh set of attempts; a pending one is tried at the next poll.</summary>
    public async Task<Outcome<OutboxMessage>> RetryAsync(Guid id, CancellationToken ct = default) =>
        await database.WriteAsync<Outcome<OutboxMessage>>(async (connection, tx) =>
        {
            var current = await FindAsync(connection, tx, id, ct);
            if (current is null)
            {
                return text.NotFound();
            }
            if (current.Status == OutboxStatus.Sent)
            {
                return new Failure(FailureKind.Conflict, text["Outbox.AlreadySent"]);
            }
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE ntf_outbox SET status = @pending, attempts = 0, next_attempt_at = @now, claimed_until = NULL, claim_token = NULL
                WHERE id = @id
                """, new { pending = OutboxStatus.Pending, now, id }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(AuditRecordType, id.ToString("D"), "retried", null,
                AuditTrail.Diff(
                    new Dictionary<string, object?>(StringComparer.Ordinal) { ["status"] = current.Status, ["attempts"] = current.Attempts },
                    new Dictionary<string, object?>(StringComparer.Ordinal) { ["status"] = OutboxStatus.Pending, ["attempts"] = 0 })), ct);
            return (await FindAsync(connection, tx, id, ct))!;
        }, ct);

    /// <summary>Queues a test mail to <see cref="TestRequest.Address"/>, in the caller's language.</summary>
    public async Task<Outcome<OutboxMessage>> SendTestAsync(TestRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("address", request.Address, 254);
        if (errors.IsEmpty && !MailAddress.TryCreate(request.Address!.Trim(), out _))
        {
            errors.AddMessage("address", text["Outbox.BadAddress"]);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var address = request.Address!.Trim();
        var culture = Cultures.IsSupported(CultureInfo.CurrentUICulture.Name) ? CultureInfo.CurrentUICulture.Name : Cultures.Chinese;
        return await database.WriteAsync<Outcome<OutboxMessage>>(async (connection, tx) =>
        {
            var template = (await templates.ForSendingAsync(connection, tx, TestTemplate, culture, ct))!;
            var message = renderer.Render(template.Subject, template.Body, new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["sentBy"] = caller.DisplayName,
                ["sentAt"] = clock.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
                ["address"] = address,
            });
            var id = await EnqueueAsync(connection, tx, address, culture, message, null, ct);
            await audit.WriteAsync(connection, tx, new AuditEvent(AuditRecordType, id.ToString("D"), "test-queued", null,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal) { ["recipientAddress"] = address, ["subject"] = message.Subject })), ct);
            return (await FindAsync(connection, tx, id, ct))!;
        }, ct);
    }

    private static Task<OutboxMessage?> FindAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<OutboxMessage>(new CommandDefinition(
            $"SELECT {Columns} FROM ntf_outbox WHERE id = @id", new { id }, tx, cancellationToken: ct));
}
