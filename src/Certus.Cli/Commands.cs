using System.CommandLine;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Features;
using Certus.Kernel.Security;
using Certus.Web.Demo;
using Certus.Web.Platform;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Certus.Cli;

/// <summary>The commands of <c>certus</c>; each builds the Certus services without starting the web server.</summary>
internal static class Commands
{
    public static Command Migrate()
    {
        var command = new Command("migrate", "Apply pending database migrations and report what was applied.");
        command.SetAction(async (_, ct) =>
        {
            await using var app = BuildApp();
            var applied = await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(ct);
            Console.WriteLine(applied.Count == 0 ? "The database is up to date." : $"Applied {applied.Count} migrations: {string.Join(", ", applied)}");
            return 0;
        });
        return command;
    }

    public static Command Admin()
    {
        var email = new Option<string>("--email") { Description = "Email of the new administrator.", Required = true };
        var password = new Option<string>("--password") { Description = "Initial password: at least 10 characters, with a lower-case letter, a digit and 4 different characters.", Required = true };
        var name = new Option<string>("--name") { Description = "Display name.", DefaultValueFactory = _ => "Administrator" };
        var create = new Command("create", "Create an administrator in the provider organisation.") { email, password, name };
        create.SetAction(async (parse, ct) =>
        {
            await using var app = BuildApp();
            await CertusHost.PrepareDatabaseAsync(app.Services, ct);
            await using var scope = app.Services.CreateAsyncScope();
            var services = scope.ServiceProvider.ActAsSystem();
            var provider = (await services.GetRequiredService<GetOrganisation>().ListAsync("provider", null, Kernel.PageRequest.From(1, 1), ct)).Items.Single();
            var outcome = await services.GetRequiredService<CreateUser>().HandleAsync(new CreateUser.Request(
                parse.GetValue(email), parse.GetValue(name), parse.GetValue(password), provider.Id, [Roles.Administrator]), ct);
            if (!outcome.Succeeded)
            {
                await Console.Error.WriteLineAsync(Describe(outcome.Failure!));
                return 2;
            }
            Console.WriteLine($"Created administrator {outcome.Value!.Email} ({outcome.Value.Id}).");
            return 0;
        });
        var admin = new Command("admin", "Manage administrators.");
        admin.Subcommands.Add(create);
        return admin;
    }

    public static Command Audit()
    {
        var verify = new Command("verify", "Walk the audit trail's hash chain; exit code 1 names the first entry that no longer matches.");
        verify.SetAction(async (_, ct) =>
        {
            await using var app = BuildApp();
            var result = await AuditTrail.VerifyAsync(app.Services.GetRequiredService<Database>(), ct);
            if (result.Intact)
            {
                Console.WriteLine($"Audit trail intact: {result.EntriesChecked} entries checked; last entry {result.LastSeq} has hash {result.LastHash}.");
                return 0;
            }
            await Console.Error.WriteLineAsync(
                $"Audit trail BROKEN at entry {result.BrokenAtSeq} ({result.RecordType} {result.RecordId}): {result.Problem}. " +
                $"{result.EntriesChecked} entries before it are intact.");
            return 1;
        });
        var audit = new Command("audit", "Audit trail tools.");
        audit.Subcommands.Add(verify);
        return audit;
    }

    public static Command Demo()
    {
        var command = new Command("demo", "Load the demo IDC operator, its departments, a user for every role and two customers.");
        command.SetAction(async (_, ct) =>
        {
            await using var app = BuildApp();
            await CertusHost.PrepareDatabaseAsync(app.Services, ct);
            await DemoData.LoadAsync(app.Services, Console.Out, ct);
            return 0;
        });
        return command;
    }

    public static Command Backup()
    {
        var output = new Option<FileInfo>("--output") { Description = "File to write the SQLite copy to.", Required = true };
        var command = new Command("backup", "Write a consistent copy of the SQLite database while Certus runs; on PostgreSQL, print pg_dump guidance.") { output };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = BuildApp();
            var database = app.Services.GetRequiredService<Database>();
            if (database.Provider == DatabaseProvider.Postgres)
            {
                var settings = new NpgsqlConnectionStringBuilder(app.Services.GetRequiredService<DatabaseOptions>().ConnectionString);
                Console.WriteLine(
                    $"""
                    Certus is on PostgreSQL: back it up with PostgreSQL's own tools, for example
                      pg_dump --format=custom --host={settings.Host} --port={settings.Port} --username={settings.Username} --file=certus.dump {settings.Database}
                    and restore with pg_restore --clean --dbname={settings.Database} certus.dump.
                    For point-in-time recovery, archive the WAL (docs/operators/backup.md).
                    """);
                return 0;
            }
            var target = parse.GetValue(output)!;
            if (target.Exists)
            {
                await Console.Error.WriteLineAsync($"{target.FullName} exists; choose a new file name so no backup is overwritten.");
                return 2;
            }
            Directory.CreateDirectory(target.DirectoryName!);
            await using var source = (SqliteConnection)await database.OpenAsync(ct);
            await using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target.FullName, Pooling = false }.ToString());
            await copy.OpenAsync(ct);
            // SQLite's online backup API: a consistent snapshot even while Certus keeps writing.
            source.BackupDatabase(copy);
            var entries = await copy.ExecuteScalarAsync<long>("SELECT count(*) FROM sys_audit_entries");
            Console.WriteLine($"Backed up {database.SqliteFile} to {target.FullName} ({new FileInfo(target.FullName).Length:N0} bytes, {entries} audit entries).");
            return 0;
        });
        return command;
    }

    private static WebApplication BuildApp() =>
        CertusHost.Build([], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        }, contentRoot: Directory.GetCurrentDirectory());

    private static string Describe(Kernel.Errors.Failure failure) =>
        failure.Message + (failure.Fields is null ? "" : " " + string.Join("; ", failure.Fields.Select(f => $"{f.Key}: {string.Join(' ', f.Value)}")));
}
