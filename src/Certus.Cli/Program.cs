using System.CommandLine;
using Certus.Cli;

// certus: the administrator's command. It reads the same configuration as the web host
// (appsettings.json, Certus__* environment variables), so it works on the same database.
var root = new RootCommand("Certus administration: database migrations, administrators, audit trail, demo data, backups.");
root.Subcommands.Add(Commands.Migrate());
root.Subcommands.Add(Commands.Admin());
root.Subcommands.Add(Commands.Audit());
root.Subcommands.Add(Commands.Demo());
root.Subcommands.Add(Commands.Backup());
return await root.Parse(args).InvokeAsync();
