namespace Certus.Notifications.Features;

/// <summary>Bound from <c>Certus:Mail</c>: the SMTP server mail is handed to.</summary>
public sealed class MailOptions
{
    public const string Section = "Certus:Mail";

    /// <summary>SMTP server; without one, mail waits in the outbox and the outbox page says mail is not configured.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    /// <summary>Sender address.</summary>
    public string From { get; set; } = "certus@localhost";

    /// <summary>Sender display name.</summary>
    public string FromName { get; set; } = "Certus";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>STARTTLS.</summary>
    public bool EnableSsl { get; set; }

    /// <summary>Attempts before a mail is given up as failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How often the outbox is looked at.</summary>
    public TimeSpan PollEvery { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait after the first failed attempt; doubled after each further one.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Seconds an SMTP conversation may take.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Absolute address of Certus (such as <c>https://itsm.example.com</c>), so links in mail can be followed.</summary>
    public string? PublicUrl { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <summary>Back-off after <paramref name="attempts"/> failed attempts: 30s, 1m, 2m, … capped at <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan DelayAfter(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(RetryAfter.Ticks * factor, MaxRetryDelay.Ticks));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }
}
