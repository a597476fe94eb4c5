using System.Globalization;
using Certus.Data;
using Certus.Kernel.Notifications;
using Certus.Kernel.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Documents.Features;

/// <summary>
/// Reminds each document's owner once that its review is due within <see cref="LeadDays"/> days (manual §2.2.5:
/// documents are reviewed periodically for validity). A changed review date arms the reminder again.
/// </summary>
public sealed class RemindReviews(IServiceScopeFactory scopes, TimeProvider clock) : IRepeatingWork
{
    /// <summary>Its job in the platform's scheduler.</summary>
    public static readonly Quartz.JobKey Job = new("remind-reviews", "documents");

    public const int LeadDays = 14;

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider.ActAsSystem();
        var database = services.GetRequiredService<Database>();
        var notifier = services.GetRequiredService<INotifier>();
        var horizon = DateOnly.FromDateTime(clock.GetLocalNow().DateTime).AddDays(LeadDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return await database.WriteAsync(async (connection, tx) =>
        {
            var due = (await connection.QueryAsync<(Guid Id, string Code, string TitleEn, string TitleZh, Guid OwnerId, string NextReviewOn)>(new CommandDefinition(
                """
                SELECT id, code, title_en, title_zh, owner_id, next_review_on FROM doc_documents
                WHERE owner_id IS NOT NULL AND next_review_on IS NOT NULL AND next_review_on <= @horizon
                  AND (reminded_for IS NULL OR reminded_for <> next_review_on)
                LIMIT 200
                """, new { horizon }, tx, cancellationToken: ct))).ToList();
            foreach (var d in due)
            {
                await notifier.NotifyAsync(new Notification(DocumentTemplates.ReviewDue, [d.OwnerId],
                    new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = d.Code, ["titleEn"] = d.TitleEn, ["titleZh"] = d.TitleZh, ["due"] = d.NextReviewOn },
                    $"/documents/{d.Code}", DocumentRegister.RecordType, d.Id.ToString("D")), connection, tx, ct);
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE doc_documents SET reminded_for = next_review_on WHERE id = @id", new { id = d.Id }, tx, cancellationToken: ct));
            }
            return due.Count;
        }, ct);
    }
}
