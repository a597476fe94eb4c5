namespace Certus.Notifications.Contracts;

/// <summary>Permissions of the notification module.</summary>
public static class NotificationPermissions
{
    /// <summary>Read and mark one's own in-app notifications.</summary>
    public const string Read = "notifications.read";

    /// <summary>Edit notification templates, watch the mail outbox, retry mail and send a test mail.</summary>
    public const string Manage = "notifications.manage";
}
