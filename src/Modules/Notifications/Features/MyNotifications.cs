using Certus.Data;
using Certus.Kernel;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Notifications.Features;

/// <summary>An in-app notification as its recipient sees it.</summary>
public sealed class NotificationView
{
    public Guid Id { get; init; }
    public string TemplateKey { get; init; } = "";
    public string Title { get; init; } = "";
    public string Body { get; init; } = "";
    public string? Link { get; init; }
    public string? RecordType { get; init; }
    public string? RecordId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadAt { get; init; }
    public bool IsRead => ReadAt is not null;
}

/// <summary>The caller's own in-app notifications. Every statement is filtered by the caller's id: nobody sees another's.</summary>
public sealed class MyNotifications(Database database, ICurrentUser caller, TimeProvider clock)
{
    private const string Columns = "id, template_key, title, body, link, record_type, record_id, created_at, read_at";

    public async Task<Page<NotificationView>> ListAsync(bool unreadOnly, PageRequest page, CancellationToken ct = default)
    {
        var unread = unreadOnly ? "AND read_at IS NULL" : "";
        await using var connection = await database.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM ntf_notifications WHERE user_id = @me {unread}", new { me = caller.UserId }, cancellationToken: ct));
        var items = await connection.QueryAsync<NotificationView>(new CommandDefinition(
            $"SELECT {Columns} FROM ntf_notifications WHERE user_id = @me {unread} ORDER BY created_at DESC, id DESC LIMIT @size OFFSET @offset",
            new { me = caller.UserId, size = page.Size, offset = page.Offset }, cancellationToken: ct));
        return new Page<NotificationView>(items.ToList(), total, page.Number, page.Size);
    }

    public async Task<long> UnreadCountAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM ntf_notifications WHERE user_id = @me AND read_at IS NULL", new { me = caller.UserId }, cancellationToken: ct));
    }

    /// <summary>Marks one of the caller's notifications read; <c>null</c> when it is not theirs (or does not exist).</summary>
    public async Task<NotificationView?> MarkReadAsync(Guid id, CancellationToken ct = default) =>
        await database.WriteAsync(async (connection, tx) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE ntf_notifications SET read_at = @now WHERE id = @id AND user_id = @me AND read_at IS NULL",
                new { now = clock.GetUtcNow(), id, me = caller.UserId }, tx, cancellationToken: ct));
            return await connection.QuerySingleOrDefaultAsync<NotificationView>(new CommandDefinition(
                $"SELECT {Columns} FROM ntf_notifications WHERE id = @id AND user_id = @me", new { id, me = caller.UserId }, tx, cancellationToken: ct));
        }, ct);

    /// <summary>Marks every unread notification of the caller read; returns how many there were.</summary>
    public async Task<int> MarkAllReadAsync(CancellationToken ct = default) =>
        await database.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE ntf_notifications SET read_at = @now WHERE user_id = @me AND read_at IS NULL",
            new { now = clock.GetUtcNow(), me = caller.UserId }, tx, cancellationToken: ct)), ct);
}
