using Certus.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Certus.Web.Platform;

/// <summary>Ready when the database answers and every migration this build carries is applied.</summary>
internal sealed class DatabaseReadyCheck(MigrationRunner migrations, Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var status = await migrations.StatusAsync(cancellationToken);
            var data = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["provider"] = database.Provider.ToString().ToLowerInvariant(),
                ["applied"] = status.Applied.Count,
                ["pending"] = status.Pending.Count,
            };
            return status.IsCurrent
                ? HealthCheckResult.Healthy("Database reachable; migrations applied.", data)
                : HealthCheckResult.Unhealthy($"{status.Pending.Count} migrations pending.", data: data);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Database unreachable.", ex);
        }
    }
}
