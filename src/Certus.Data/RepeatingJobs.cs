using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Certus.Data;

/// <summary>Work a module repeats on a clock (a reminder sweep, an outbox poll): one pass, returning how many records it acted on.</summary>
public interface IRepeatingWork
{
    Task<int> RunOnceAsync(CancellationToken ct);
}

/// <summary>
/// Puts a module's <see cref="IRepeatingWork"/> in the platform's one Quartz scheduler (ADR 0006): it runs at start and
/// then every interval, on one instance of a cluster at a time, and a missed run is skipped rather than caught up.
/// </summary>
public static class RepeatingJobs
{
    /// <summary>Registers <typeparamref name="TWork"/> as a singleton and the job <paramref name="key"/> that runs it every <paramref name="every"/>.</summary>
    public static IServiceCollection AddRepeatingJob<TWork>(this IServiceCollection services, JobKey key, TimeSpan every)
        where TWork : class, IRepeatingWork
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero);
        services.AddSingleton<TWork>();
        services.AddKeyedSingleton<IRepeatingWork>(key.ToString(), (sp, _) => sp.GetRequiredService<TWork>());
        // AddQuartz is additive: every call configures the platform's one scheduler; the platform chooses the store.
        services.AddQuartz(q =>
        {
            q.AddJob<RepeatingJob>(j => j.WithIdentity(key).StoreDurably());
            q.AddTrigger(t => t.ForJob(key).WithIdentity(key.Name, key.Group).StartNow()
                .WithSimpleSchedule(s => s.WithInterval(every).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        return services;
    }
}

/// <summary>The Quartz job behind every <see cref="RepeatingJobs.AddRepeatingJob{TWork}"/>: finds the work by its job key and runs one pass.</summary>
[DisallowConcurrentExecution]
public sealed class RepeatingJob(IServiceProvider services, ILogger<RepeatingJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var key = context.JobDetail.Key.ToString();
        var count = await services.GetRequiredKeyedService<IRepeatingWork>(key).RunOnceAsync(cancellationToken);
        if (count > 0)
        {
            logger.LogInformation("{Job} finished a pass; records acted on: {Count}.", key, count);
        }
    }
}
