using Certus.Data;
using Certus.Identity.Features;
using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Web.Pages;

public sealed class IndexModel(
    GetMe me, ICurrentUser caller, Database database, MigrationRunner migrations, IStringLocalizer<Identity.Strings> identityText, IEnumerable<IModule> modules)
    : PageModel
{
    public IReadOnlyList<string> HomeWidgets { get; } = modules.SelectMany(m => m.HomeWidgets).ToList();

    public sealed record SystemStats(long Organisations, long Users, string Provider, int Migrations, long AuditEntries);

    public GetMe.Response Me { get; private set; } = null!;

    public IReadOnlyList<string> RoleNames { get; private set; } = [];

    public SystemStats? Stats { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var found = await me.HandleAsync(ct);
        if (found is null)
        {
            return Forbid();
        }
        Me = found;
        RoleNames = found.Roles.Select(r => identityText[$"Role.{r}"].Value).ToList();
        if (caller.HasPermission(PlatformPermissions.SystemMonitor))
        {
            await using var connection = await database.OpenAsync(ct);
            var organisations = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM idn_organisations");
            var users = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM idn_users");
            var entries = await connection.ExecuteScalarAsync<long?>("SELECT max(seq) FROM sys_audit_entries") ?? 0;
            var status = await migrations.StatusAsync(ct);
            Stats = new SystemStats(organisations, users, database.Provider == DatabaseProvider.Sqlite ? "SQLite" : "PostgreSQL",
                status.Applied.Count, entries);
        }
        return Page();
    }
}
