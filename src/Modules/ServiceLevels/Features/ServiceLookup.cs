using System.Globalization;
using Certus.Data;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>The services incidents can name: live and retiring ones, for the organisation that takes them.</summary>
public sealed class ServiceLookup(Database database, ICurrentUser caller) : IServiceLookup
{
    public async Task<IReadOnlyList<ServiceOption>> ForOrganisationAsync(Guid? organisationId, CancellationToken ct)
    {
        var organisation = caller.VisibleOrganisationId ?? organisationId;
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Code, string NameEn, string NameZh)>(new CommandDefinition(
            $"""
            SELECT s.code, s.name_en, s.name_zh FROM sla_services s
            WHERE s.lifecycle IN ('live', 'retiring')
            {(organisation is null ? "" : "AND EXISTS (SELECT 1 FROM sla_service_customers c WHERE c.service_id = s.id AND c.organisation_id = @organisation)")}
            ORDER BY s.code
            """, new { organisation }, cancellationToken: ct));
        var chinese = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
        return [.. rows.Select(r => new ServiceOption(r.Code, chinese ? r.NameZh : r.NameEn))];
    }

    public async Task<IReadOnlyList<ServiceFacts>> FindAsync(IReadOnlyCollection<string> codes, CancellationToken ct)
    {
        if (codes.Count == 0)
        {
            return [];
        }
        await using var connection = await database.OpenAsync(ct);
        var wanted = codes.Select(c => c.Trim().ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        var rows = (await connection.QueryAsync<(Guid Id, string Code, string NameEn, string NameZh, string Lifecycle)>(new CommandDefinition(
            $"SELECT id, code, name_en, name_zh, lifecycle FROM sla_services WHERE {database.Dialect.In("upper(code)", "wanted")} ORDER BY code",
            new { wanted }, cancellationToken: ct))).ToList();
        var customers = (await connection.QueryAsync<(Guid ServiceId, Guid OrganisationId)>(new CommandDefinition(
            $"SELECT service_id, organisation_id FROM sla_service_customers WHERE {database.Dialect.In("service_id", "ids")}",
            new { ids = rows.Select(r => r.Id).ToArray() }, cancellationToken: ct))).ToLookup(c => c.ServiceId, c => c.OrganisationId);
        var chinese = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
        return [.. rows.Select(r => new ServiceFacts(r.Code, chinese ? r.NameZh : r.NameEn, r.Lifecycle,
            // A customer learns only that their own organisation takes a service.
            [.. customers[r.Id].Where(c => caller.CanSee(c))]))];
    }
}
