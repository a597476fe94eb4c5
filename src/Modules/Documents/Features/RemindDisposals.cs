using Certus.Data;
using Certus.Kernel.Notifications;
using Certus.Kernel.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Certus.Documents.Features;

/// <summary>
/// Tells each document's owner once that retained versions have come to the end of their retention period and wait to
/// be disposed of or put under legal hold (manual §1.4: records are kept for their retention period). A changed
/// retention period gives a new due date, which is announced again. Versions under legal hold are not announced.
/// </summary>
public sealed class RemindDisposals(IServiceScopeFactory scopes)
{
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

/// <summary>Runs <see cref="RemindDisposals"/> every hour, on one instance of a cluster at a time (ADR 0006).</summary>
[Quartz.DisallowConcurrentExecution]
public sealed class RemindDisposalsJob(RemindDisposals work, ILogger<RemindDisposalsJob> logger) : Quartz.IJob
{
    public static readonly Quartz.JobKey Key = new("remind-disposals", "documents");

    public async ValueTask Execute(Quartz.IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var count = await work.RunOnceAsync(cancellationToken);
        if (count > 0)
        {
            logger.LogInformation("Told owners of {Count} records that their retention period is over.", count);
        }
    }
}
