using Certus.Configuration.Domain;
using Certus.Data;
using Certus.Kernel.Conformity;
using Dapper;
using Microsoft.Extensions.Localization;

namespace Certus.Configuration.Features;

/// <summary>CIs in use without an owner = 0 (ISO/IEC 20000-1:2018 8.2.6; 2005 9.1; manual §8.1): each CI someone answers for.</summary>
public sealed class CisInUseHaveOwnerCheck(Database database, IStringLocalizer<Strings> text) : IConformityCheck
{
    public string Key => "configuration.cis-in-use-have-owner";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("8.2.6"), ClauseRef.Of2005("9.1")];

    public string Title => text["Check.Owner"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var inUse = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM cmdb_items WHERE status = @inUse", new { inUse = CiStatus.InUse.Key() }, cancellationToken: ct));
        var orphans = (await connection.QueryAsync<(Guid Id, string Identifier, string Name)>(new CommandDefinition(
            "SELECT id, identifier, name FROM cmdb_items WHERE status = @inUse AND owner_id IS NULL ORDER BY identifier",
            new { inUse = CiStatus.InUse.Key() }, cancellationToken: ct))).ToList();
        var figures = new List<CheckFigure> { new(text["Check.Owner.InUse"], inUse), new(text["Check.Owner.Without"], orphans.Count) };
        if (inUse == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.Owner.None"], figures, []);
        }
        return orphans.Count == 0
            ? new CheckResult(CheckVerdict.Conforming, text["Check.Owner.Ok", inUse], figures, [])
            : new CheckResult(CheckVerdict.Gap, text["Check.Owner.Gap", orphans.Count], figures,
                [.. orphans.Take(50).Select(c => new EvidenceRecord(c.Identifier, c.Name, $"/cmdb/{c.Id:D}"))]);
    }
}

/// <summary>A configuration audit in the last 12 months (ISO/IEC 20000-1:2018 8.2.6; 2005 9.1; manual §8.1.7).</summary>
public sealed class ConfigurationAuditedCheck(Database database, IStringLocalizer<Strings> text) : IConformityCheck
{
    public string Key => "configuration.audited-within-12-months";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("8.2.6"), ClauseRef.Of2005("9.1")];

    public string Title => text["Check.Audited"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var cis = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM cmdb_items WHERE status NOT IN ('disposed', 'cancelled')", cancellationToken: ct));
        var recent = (await connection.QueryAsync<(Guid Id, string Number, string Title, DateTimeOffset PerformedAt)>(new CommandDefinition(
            "SELECT id, number, title, performed_at FROM cmdb_audits WHERE performed_at >= @since ORDER BY performed_at DESC",
            new { since = now.AddMonths(-12) }, cancellationToken: ct))).ToList();
        var figures = new List<CheckFigure> { new(text["Check.Audited.Cis"], cis), new(text["Check.Audited.Recent"], recent.Count) };
        var records = recent.Take(20).Select(a => new EvidenceRecord(a.Number, a.Title, $"/cmdb/audits/{a.Id:D}")).ToList();
        if (recent.Count > 0)
        {
            return new CheckResult(CheckVerdict.Conforming, text["Check.Audited.Ok", recent.Count], figures, records);
        }
        return cis == 0
            ? new CheckResult(CheckVerdict.NoEvidence, text["Check.Audited.None"], figures, [])
            : new CheckResult(CheckVerdict.Gap, text["Check.Audited.Gap", cis], figures, []);
    }
}
