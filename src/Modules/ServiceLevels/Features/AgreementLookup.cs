using Certus.Data;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>SLAs in force for customers and services, for impact analysis.</summary>
public sealed class AgreementLookup(Database database, ICurrentUser caller, TimeProvider clock) : IAgreementLookup
{
    public async Task<IReadOnlyList<AgreementFacts>> InForceAsync(
        IReadOnlyCollection<Guid> organisationIds, IReadOnlyCollection<string> serviceCodes, CancellationToken ct)
    {
        var organisations = organisationIds.Where(o => caller.CanSee(o)).Distinct().ToArray();
        if (organisations.Length == 0)
        {
            return [];
        }
        var codes = serviceCodes.Select(c => c.Trim().ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT a.id, a.number, a.kind, a.title, a.organisation_id, s.code AS service_code
            FROM sla_agreements a
            LEFT JOIN sla_services s ON s.id = a.service_id
            WHERE a.kind = 'sla' AND {database.Dialect.In("a.organisation_id", "organisations")}
              AND (a.service_id IS NULL OR {(codes.Length == 0 ? "1 = 0" : database.Dialect.In("s.code", "codes"))})
              AND EXISTS (SELECT 1 FROM sla_agreement_versions v WHERE v.agreement_id = a.id AND v.status = 'approved'
                          AND v.effective_from <= @now AND (v.effective_to IS NULL OR v.effective_to > @now))
            ORDER BY a.number
            """, new { organisations, codes, now = clock.GetUtcNow() }, cancellationToken: ct));
        return [.. rows.Select(r => new AgreementFacts(r.Id, $"{r.Kind.ToUpperInvariant()}-{r.Number:D4}", r.Title, r.Kind, r.OrganisationId, r.ServiceCode))];
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public long Number { get; init; }
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public Guid? OrganisationId { get; init; }
        public string? ServiceCode { get; init; }
    }
}
