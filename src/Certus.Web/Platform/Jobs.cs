using Certus.Data;
using Microsoft.Data.Sqlite;
using Quartz;

namespace Certus.Web.Platform;

/// <summary>
/// The one Quartz.NET scheduler of a Certus instance (ADR 0006). Its schedule lives in the Certus database, so
/// nothing is lost on restart: SQLite for the single-node default, and on PostgreSQL a clustered store, so that
/// every instance sharing the database runs the jobs and each firing happens on exactly one of them.
/// </summary>
/// <remarks>
/// Modules add their jobs in their own <c>AddServices</c> with another <c>services.AddQuartz(q => q.AddJob…)</c>:
/// registering the default scheduler is additive in Quartz 4, so every call configures this one scheduler.
/// </remarks>
public static class Jobs
{
    /// <summary>Scheduler name: the key every cluster member shares in the <c>qrtz_*</c> tables.</summary>
    public const string SchedulerName = "certus";

    public static void AddCertusJobs(this IServiceCollection services, DatabaseOptions database, IConfiguration configuration)
    {
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = SchedulerName;
                // AUTO: host name plus a time stamp, distinct per process; clustering needs one id per node.
                s.GenerateInstanceId = true;
            });
            q.UsePersistentStore(store =>
            {
                switch (database.ParsedProvider)
                {
                    case DatabaseProvider.Sqlite:
                        store.UseSqlite(SqliteConnectionString(database));
                        break;
                    case DatabaseProvider.Postgres:
                        store.UsePostgres(database.ConnectionString!);
                        // Every instance on this database is one cluster: a trigger fires on one of them, and a dead
                        // instance's work is taken over after the check-in threshold.
                        store.UseClustering(c =>
                        {
                            c.CheckinInterval = configuration.GetValue("Certus:Jobs:CheckinInterval", TimeSpan.FromSeconds(7.5));
                            c.CheckinMisfireThreshold = configuration.GetValue("Certus:Jobs:CheckinMisfireThreshold", TimeSpan.FromSeconds(20));
                        });
                        break;
                    default:
                        throw new InvalidOperationException($"Unknown provider {database.ParsedProvider}.");
                }
                // Quartz owns its qrtz_* tables and creates what is missing at start (only ever creates); they are
                // not part of Certus's migrations, so a Quartz upgrade brings its own schema scripts.
                store.ProvisionSchema();
                store.UseSystemTextJsonSerializer();
            });
        });
        services.AddSingleton<Housekeeping>();
        services.AddQuartz(q =>
        {
            q.AddJob<HousekeepingJob>(j => j.WithIdentity(HousekeepingJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(HousekeepingJob.Key).WithIdentity("housekeeping", "platform").StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        // Stopping waits for running jobs (a mail being handed to the server), so a deploy does not cut one off.
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }

    private static string SqliteConnectionString(DatabaseOptions options)
    {
        var builder = string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new SqliteConnectionStringBuilder { DataSource = options.Path }
            : new SqliteConnectionStringBuilder(options.ConnectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:")
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource);
        }
        builder.Pooling = true;
        // Quartz shares the file with Certus's own writers; wait on a busy database as Certus does.
        builder.DefaultTimeout = 30;
        return builder.ToString();
    }
}
