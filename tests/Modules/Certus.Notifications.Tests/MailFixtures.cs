using Certus.Testing;

namespace Certus.Notifications.Tests;

/// <summary>Certus with a real SMTP server on loopback, polling the outbox every second with short back-off.</summary>
public interface IMailHost
{
    CertusFixture Host { get; }

    SmtpTestServer Smtp { get; }
}

internal static class MailSettings
{
    public const int MaxAttempts = 4;

    public static IDictionary<string, string?> For(SmtpTestServer smtp) => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["Certus:Mail:Host"] = "127.0.0.1",
        ["Certus:Mail:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Certus:Mail:From"] = "certus@certus.test",
        ["Certus:Mail:FromName"] = "Certus 服务台",
        ["Certus:Mail:PollEvery"] = "00:00:01",
        ["Certus:Mail:RetryAfter"] = "00:00:01",
        ["Certus:Mail:MaxRetryDelay"] = "00:00:01",
        ["Certus:Mail:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Certus:Mail:PublicUrl"] = "https://itsm.example.test",
    };
}

public sealed class SqliteMailCertus : SqliteCertus, IMailHost
{
    public CertusFixture Host => this;

    public SmtpTestServer Smtp { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings => MailSettings.For(Smtp);

    protected override Task StartingAsync() => Smtp.StartAsync();

    protected override async Task StoppedAsync() => await Smtp.DisposeAsync();
}

public sealed class PostgresMailCertus : PostgresCertus, IMailHost
{
    public CertusFixture Host => this;

    public SmtpTestServer Smtp { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings => MailSettings.For(Smtp);

    protected override Task StartingAsync() => Smtp.StartAsync();

    protected override async Task StoppedAsync() => await Smtp.DisposeAsync();
}
