using Certus.Kernel.Security;
using Dapper;

namespace Certus.Data.Audit;

/// <summary>Reads a record's history, scoped to what the caller may see.</summary>
public sealed class AuditQueries(Database database, ICurrentUser caller)
{
    public async Task<IReadOnlyList<AuditEntry>> HistoryAsync(string recordType, string recordId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<AuditEntry>(new CommandDefinition(
            $"""
            SELECT * FROM sys_audit_entries
            WHERE record_type = @recordType AND record_id = @recordId
              AND {OrganisationScope.Filter(caller, "organisation_id")}
            ORDER BY seq
            """,
            new { recordType, recordId, scopeOrg = OrganisationScope.Parameter(caller) }, cancellationToken: ct));
        return rows.ToList();
    }

    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, long? beforeSeq, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var before = beforeSeq is null ? "" : "AND seq < @before";
        var rows = await connection.QueryAsync<AuditEntry>(new CommandDefinition(
            $"""
            SELECT * FROM sys_audit_entries
            WHERE {OrganisationScope.Filter(caller, "organisation_id")} {before}
            ORDER BY seq DESC LIMIT @limit
            """,
            new { scopeOrg = OrganisationScope.Parameter(caller), before = beforeSeq, limit }, cancellationToken: ct));
        return rows.ToList();
    }
}
