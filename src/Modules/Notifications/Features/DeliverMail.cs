using System.Net;
using System.Net.Mail;
using System.Text;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace Certus.Notifications.Features;

/// <summary>
/// Hands due mail from the outbox to the SMTP server. Rows are claimed under a lease first (on PostgreSQL with
/// <c>FOR UPDATE SKIP LOCKED</c>), so two instances never send one mail twice, and a mail claimed by an instance
/// that died is picked up again once the lease runs out. A failure waits 30s, 1m, 2m … (capped at an hour) and
/// after <see cref="MailOptions.MaxAttempts"/> the mail is failed, with the error kept and the give-up audited.
/// </summary>
public sealed class DeliverMail(IServiceScopeFactory scopes, IOptions<MailOptions> options, TimeProvider clock, ILogger<DeliverMail> logger)
    : IRepeatingWork
{
    /// <summary>Its job in the platform's scheduler, every <see cref="MailOptions.PollEvery"/>.</summary>
    public static readonly JobKey Job = new("deliver-mail", "notifications");

    private const int BatchSize = 20;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private sealed class Claimed
    {
        public Guid Id { get; init; }
        public string RecipientAddress { get; init; } = "";
        public string Subject { get; init; } = "";
        public string Body { get; init; } = "";
        public string? BodyHtml { get; init; }
        public int Attempts { get; init; }
    }

    /// <summary>Sends what is due; returns how many mails were handed over.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var mail = options.Value;
        if (!mail.IsConfigured)
        {
            return 0;
        }
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider.ActAsSystem();
        var database = services.GetRequiredService<Database>();
        var audit = services.GetRequiredService<AuditTrail>();
        var token = Guid.NewGuid();
        var batch = await ClaimAsync(database, token, ct);
        if (batch.Count == 0)
        {
            return 0;
        }
        var sent = 0;
        using var smtp = new SmtpClient(mail.Host, mail.Port)
        {
            EnableSsl = mail.EnableSsl,
            Timeout = mail.TimeoutSeconds * 1000,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (!string.IsNullOrEmpty(mail.UserName))
        {
            smtp.Credentials = new NetworkCredential(mail.UserName, mail.Password);
        }
        foreach (var row in batch)
        {
            string? error = null;
            try
            {
                using var message = Compose(mail, row);
                await smtp.SendMailAsync(message, ct);
            }
            catch (Exception e) when (e is SmtpException or InvalidOperationException or FormatException or IOException)
            {
                error = Describe(e);
                logger.LogWarning("Mail {Id} to the SMTP server failed (attempt {Attempt}): {Error}", row.Id, row.Attempts + 1, error);
            }
            // Recorded whatever the shutdown token says: the server has the mail now, and sending it again would duplicate it.
            await RecordAsync(database, audit, row, token, error, mail, CancellationToken.None);
            sent += error is null ? 1 : 0;
        }
        return sent;
    }

    private async Task<IReadOnlyList<Claimed>> ClaimAsync(Database database, Guid token, CancellationToken ct) =>
        await database.WriteAsync<IReadOnlyList<Claimed>>(async (connection, tx) =>
        {
            var now = clock.GetUtcNow();
            var dialect = SqlDialect.For(connection);
            // SQLite has one writer at a time, so the transaction alone keeps two claimers apart.
            var skipLocked = dialect.Provider == DatabaseProvider.Postgres ? "FOR UPDATE SKIP LOCKED" : "";
            var ids = (await connection.QueryAsync<Guid>(new CommandDefinition(
                $"""
                SELECT id FROM ntf_outbox
                WHERE status = @pending AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)
                ORDER BY next_attempt_at, id
                LIMIT {BatchSize} {skipLocked}
                """, new { pending = OutboxStatus.Pending, now }, tx, cancellationToken: ct))).ToArray();
            if (ids.Length == 0)
            {
                return [];
            }
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE ntf_outbox SET claimed_until = @until, claim_token = @token WHERE {dialect.In("id", "ids")}",
                new { until = now + Lease, token, ids }, tx, cancellationToken: ct));
            return (await connection.QueryAsync<Claimed>(new CommandDefinition(
                "SELECT id, recipient_address, subject, body, body_html, attempts FROM ntf_outbox WHERE claim_token = @token ORDER BY next_attempt_at, id",
                new { token }, tx, cancellationToken: ct))).ToList();
        }, ct);

    private async Task RecordAsync(Database database, AuditTrail audit, Claimed row, Guid token, string? error, MailOptions mail, CancellationToken ct) =>
        await database.WriteAsync(async (connection, tx) =>
        {
            var now = clock.GetUtcNow();
            var attempts = row.Attempts + 1;
            if (error is null)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE ntf_outbox SET status = @sent, attempts = @attempts, sent_at = @now, last_error = NULL, claimed_until = NULL, claim_token = NULL
                    WHERE id = @id AND claim_token = @token
                    """, new { sent = OutboxStatus.Sent, attempts, now, id = row.Id, token }, tx, cancellationToken: ct));
                return true;
            }
            var givenUp = attempts >= mail.MaxAttempts;
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE ntf_outbox SET status = @status, attempts = @attempts, next_attempt_at = @next, last_error = @error, claimed_until = NULL, claim_token = NULL
                WHERE id = @id AND claim_token = @token
                """,
                new
                {
                    status = givenUp ? OutboxStatus.Failed : OutboxStatus.Pending, attempts, next = now + mail.DelayAfter(attempts), error,
                    id = row.Id, token,
                }, tx, cancellationToken: ct));
            if (givenUp && changed == 1)
            {
                await audit.WriteAsync(connection, tx, new AuditEvent(Outbox.AuditRecordType, row.Id.ToString("D"), "failed", null,
                    [new AuditChange("status", OutboxStatus.Pending, OutboxStatus.Failed), new AuditChange("attempts", null, attempts.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                    error), ct);
            }
            return true;
        }, ct);

    private static MailMessage Compose(MailOptions mail, Claimed row)
    {
        var message = new MailMessage
        {
            From = new MailAddress(mail.From, mail.FromName, Encoding.UTF8),
            Subject = row.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            Body = row.Body,
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = System.Net.Mime.TransferEncoding.Base64,
            IsBodyHtml = false,
        };
        message.To.Add(new MailAddress(row.RecipientAddress));
        if (!string.IsNullOrEmpty(row.BodyHtml))
        {
            var html = AlternateView.CreateAlternateViewFromString(row.BodyHtml, Encoding.UTF8, "text/html");
            html.TransferEncoding = System.Net.Mime.TransferEncoding.Base64;
            message.AlternateViews.Add(html);
        }
        return message;
    }

    private static string Describe(Exception e)
    {
        var text = new StringBuilder(e.Message);
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" → ").Append(inner.Message);
        }
        return text.Length > 2000 ? text.ToString(0, 2000) : text.ToString();
    }
}
