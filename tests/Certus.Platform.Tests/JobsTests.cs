using Certus.Data;
using Certus.Testing;
using Certus.Web.Platform;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shouldly;
using Xunit;

namespace Certus.Platform.Tests;

/// <summary>ADR 0006: one Quartz scheduler per instance, its schedule in the Certus database, clustered on PostgreSQL.</summary>
public sealed class JobsTests(SqliteCertus sqlite, PostgresCertus postgres) : IClassFixture<SqliteCertus>, IClassFixture<PostgresCertus>
{
    [Fact]
    public async Task On_sqlite_the_schedule_is_kept_in_the_certus_file_with_the_modules_jobs()
    {
        await using var connection = await sqlite.Database.OpenAsync();

        var jobs = (await connection.QueryAsync<string>("SELECT JOB_GROUP || '.' || JOB_NAME FROM QRTZ_JOB_DETAILS WHERE SCHED_NAME = 'certus'")).ToList();

        jobs.ShouldContain("notifications.deliver-mail");
        jobs.ShouldContain("incidents.close-quiet");
        jobs.ShouldContain("documents.remind-reviews");
        jobs.ShouldContain("documents.remind-disposals");
        jobs.ShouldContain("competence.warn-expiring-certificates");
    }

    [Fact]
    public async Task Two_instances_on_one_postgresql_database_form_one_cluster()
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Certus:Database:Provider"] = "postgres",
            ["Certus:Database:ConnectionString"] = postgres.Services.GetRequiredService<DatabaseOptions>().ConnectionString,
            ["Certus:Jobs:CheckinInterval"] = "00:00:01",
        };
        await using var second = CertusHost.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
        }, RepositoryPaths.WebProject);
        await second.StartAsync();
        try
        {
            await using var connection = await postgres.Database.OpenAsync();
            var until = DateTime.UtcNow.AddSeconds(30);
            List<string> nodes;
            do
            {
                nodes = (await connection.QueryAsync<string>("SELECT instance_name FROM qrtz_scheduler_state WHERE sched_name = 'certus'")).ToList();
                await Task.Delay(250);
            }
            while (nodes.Count < 2 && DateTime.UtcNow < until);

            nodes.Count.ShouldBe(2);
            nodes.ShouldBeUnique();
            (await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM qrtz_job_details WHERE sched_name = 'certus' AND job_name = 'deliver-mail'")).ShouldBe(1);
        }
        finally
        {
            await second.StopAsync();
        }
    }
}
