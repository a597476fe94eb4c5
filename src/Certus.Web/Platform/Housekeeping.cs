using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Quartz;

namespace Certus.Web.Platform;

/// <summary>
/// Runs every module's <see cref="IHousekeeping"/> (expired Idempotency-Key records, for one) as the system. The
/// <see cref="HousekeepingJob"/> calls it once an hour; one housekeeping that fails is logged and the others still run.
/// </summary>
public sealed partial class Housekeeping(IServiceScopeFactory scopes, TimeProvider clock, ILogger<Housekeeping> log)
{
    /// <summary>Purges what has expired now; returns the rows each housekeeping deleted, by its name.</summary>
    public async Task<IReadOnlyDictionary<string, int>> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.ActAsSystem();
        var now = clock.GetUtcNow();
        var purged = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var housekeeping in scope.ServiceProvider.GetServices<IHousekeeping>())
        {
            try
            {
                purged[housekeeping.Name] = await housekeeping.PurgeAsync(now, ct);
                if (purged[housekeeping.Name] > 0)
                {
                    Purged(log, housekeeping.Name, purged[housekeeping.Name]);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(log, housekeeping.Name, e);
            }
        }
        return purged;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Housekeeping {Name}: {Rows} expired rows deleted")]
    private static partial void Purged(ILogger logger, string name, int rows);

    [LoggerMessage(Level = LogLevel.Error, Message = "Housekeeping {Name} failed; it is tried again at the next run")]
    private static partial void Failed(ILogger logger, string name, Exception exception);
}

/// <summary>Runs <see cref="Housekeeping"/> every hour, on one instance of a cluster at a time.</summary>
[DisallowConcurrentExecution]
public sealed class HousekeepingJob(Housekeeping housekeeping) : IJob
{
    public static readonly JobKey Key = new("housekeeping", "platform");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await housekeeping.RunOnceAsync(cancellationToken);
}
