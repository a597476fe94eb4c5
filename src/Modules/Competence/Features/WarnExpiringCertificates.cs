using Certus.Competence.Domain;
using Certus.Data;
using Certus.Kernel.Notifications;
using Certus.Kernel.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Certus.Kernel.Text;

namespace Certus.Competence.Features;

/// <summary>
/// Warns a certificate's holder and the people who keep the competence records (administrator, management
/// representative) before it expires, once per threshold (60 and 14 days by default, <c>Certus:Competence:CertificateWarningDays</c>),
/// and once when it has expired without renewal. Each warning sent is recorded in <c>cpt_certificate_warnings</c> with the
/// expiry date it was about, so a corrected expiry date arms the warnings again. Renewed and retired certificates, and
/// those of people who left, are not warned about.
/// </summary>
public sealed class WarnExpiringCertificates(IServiceScopeFactory scopes, IOptions<CompetenceOptions> options, TimeProvider clock) : IRepeatingWork
{
    /// <summary>Its job in the platform's scheduler.</summary>
    public static readonly Quartz.JobKey Job = new("warn-expiring-certificates", "competence");

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider.ActAsSystem();
        var database = services.GetRequiredService<Database>();
        var certificates = services.GetRequiredService<Certificates>();
        var staff = services.GetRequiredService<Staff>();
        var notifier = services.GetRequiredService<INotifier>();
        var today = CalendarDates.Day(clock.GetUtcNow());
        var thresholds = options.Value.Thresholds;
        IReadOnlyList<CertificateView> all;
        await using (var connection = await database.OpenAsync(ct))
        {
            all = await certificates.LoadAsync(connection, null, null, ct);
        }
        var due = all
            .Where(c => c.State is "expiring" or "expired" or "valid" && c.ExpiresOn is not null)
            .Select(c => (Certificate: c, Threshold: CertificateRules.DueThreshold(c.DaysLeft!.Value, thresholds)))
            .Where(x => x.Threshold is not null && !x.Certificate.WarningsSent.Any(w => w.ThresholdDays == x.Threshold && w.ExpiresOn == x.Certificate.ExpiresOn))
            .ToList();
        if (due.Count == 0)
        {
            return 0;
        }
        var holders = await staff.FindManyAsync(due.Select(d => d.Certificate.UserId), ct);
        var managers = (await staff.ManagersAsync(ct)).Select(m => m.Id).ToList();
        var sent = 0;
        foreach (var (certificate, threshold) in due)
        {
            if (!holders.TryGetValue(certificate.UserId, out var holder) || !holder.IsActive)
            {
                continue;
            }
            // One transaction per certificate: the warning is recorded with the notification or not at all.
            var done = await database.WriteAsync(async (connection, tx) =>
            {
                var already = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM cpt_certificate_warnings WHERE certificate_id = @id AND threshold_days = @threshold AND expires_on = @expiresOn",
                    new { id = certificate.Id, threshold, expiresOn = certificate.ExpiresOn }, tx, cancellationToken: ct));
                if (already > 0)
                {
                    return false;
                }
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO cpt_certificate_warnings (certificate_id, threshold_days, expires_on, sent_at) VALUES (@id, @threshold, @expiresOn, @now)",
                    new { id = certificate.Id, threshold, expiresOn = certificate.ExpiresOn, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
                await notifier.NotifyAsync(new Notification(threshold == 0 ? CompetenceTemplates.CertificateExpired : CompetenceTemplates.CertificateExpiring,
                    [certificate.UserId, .. managers],
                    new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["name"] = certificate.Name, ["issuer"] = certificate.Issuer, ["number"] = certificate.Number ?? "—", ["holder"] = holder.DisplayName,
                        ["expiresOn"] = certificate.ExpiresOn, ["days"] = certificate.DaysLeft,
                    },
                    $"/competence/people/{certificate.UserId}#certificates", Certificates.RecordType, certificate.Id.ToString("D")), connection, tx, ct);
                return true;
            }, ct);
            sent += done ? 1 : 0;
        }
        return sent;
    }
}
