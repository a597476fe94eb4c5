using Certus.Data;
using Certus.Kernel.Notifications;
using Certus.Kernel.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Documents.Features;

/// <summary>
/// Tells each document's owner once that retained versions have come to the end of their retention period and wait to
/// be disposed of or put under legal hold (manual §1.4: records are kept for their retention period). A changed
/// retention period gives a new due date, which is announced again. Versions under legal hold are not announced.
/// </summary>
public sealed class RemindDisposals(IServiceScopeFactory scopes) : IRepeatingWork
{
    /// <summary>Its job in the platform's scheduler.</summary>
    public static readonly Quartz.JobKey Job = new("remind-disposals", "documents");

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider.ActAsSystem();
        var database = services.GetRequiredService<Database>();
        var notifier = services.GetRequiredService<INotifier>();
        var retention = services.GetRequiredService<RecordRetention>();
        return await database.WriteAsync(async (connection, tx) =>
        {
            var fresh = (await retention.RecordsAsync(connection, tx, ct))
                .Where(r => r.Due && !r.OnLegalHold && r.DisposalRemindedFor != r.RetainUntil).ToList();
            foreach (var doc in fresh.GroupBy(r => r.DocumentId))
            {
                var first = doc.First();
                if (first.OwnerId is { } owner)
                {
                    await notifier.NotifyAsync(new Notification(DocumentTemplates.DisposalDue, [owner],
                        new Dictionary<string, object?>(StringComparer.Ordinal)
                        {
                            ["code"] = first.Code, ["titleEn"] = first.TitleEn, ["titleZh"] = first.TitleZh, ["count"] = doc.Count(),
                            ["labels"] = string.Join(", ", doc.Select(r => r.Label)), ["due"] = doc.Min(r => r.RetainUntil),
                        }, "/documents/retention", DocumentRegister.RecordType, first.DocumentId.ToString("D")), connection, tx, ct);
                }
                foreach (var r in doc)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "UPDATE doc_versions SET disposal_reminded_for = @until WHERE id = @id AND status = 'retained'",
                        new { until = r.RetainUntil, id = r.VersionId }, tx, cancellationToken: ct));
                }
            }
            return fresh.Count;
        }, ct);
    }
}
