using Certus.Incidents.Contracts;
using Certus.Data;
using Certus.Incidents.Domain;
using Certus.Kernel.Conformity;
using Dapper;
using Microsoft.Extensions.Localization;

namespace Certus.Incidents.Features;

/// <summary>
/// Incidents closed without confirmation = 0 (ISO/IEC 20000-1:2018 8.6.1; 2005 8.2; manual §7.2.4): every closed
/// incident was closed by the caller's confirmation or, after the quiet period, by the automatic close; both leave
/// their trigger in the audit trail. A closed incident with neither was closed some other way.
/// </summary>
public sealed class ClosedWithoutConfirmationCheck(Database database, IStringLocalizer<Strings> text) : IConformityCheck
{
    public string Key => "incidents.closed-without-confirmation";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("8.6.1"), ClauseRef.Of2005("8.2")];

    public string Title => text["Check.ClosedWithoutConfirmation"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var closed = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM inc_incidents WHERE status = @closed", new { closed = IncidentStatus.Closed.Key() }, cancellationToken: ct));
        var unconfirmed = (await connection.QueryAsync<(long Number, string Title)>(new CommandDefinition(
            """
            SELECT i.number, i.title FROM inc_incidents i
            WHERE i.status = @closed
              AND NOT EXISTS (SELECT 1 FROM sys_audit_entries a
                              WHERE a.record_type = 'incident' AND a.record_id = lower(CAST(i.id AS TEXT)) AND a.action IN (@confirm, @autoClose))
            ORDER BY i.number DESC
            """,
            new { closed = IncidentStatus.Closed.Key(), confirm = IncidentTrigger.Confirm.Key(), autoClose = IncidentTrigger.AutoClose.Key() },
            cancellationToken: ct))).ToList();
        var figures = new List<CheckFigure>
        {
            new(text["Check.ClosedWithoutConfirmation.Closed"], closed),
            new(text["Check.ClosedWithoutConfirmation.Unconfirmed"], unconfirmed.Count),
        };
        if (closed == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.ClosedWithoutConfirmation.None"], figures, []);
        }
        if (unconfirmed.Count == 0)
        {
            return new CheckResult(CheckVerdict.Conforming, text["Check.ClosedWithoutConfirmation.Ok", closed], figures, []);
        }
        return new CheckResult(CheckVerdict.Gap, text["Check.ClosedWithoutConfirmation.Gap", unconfirmed.Count], figures,
            [.. unconfirmed.Take(50).Select(i => new EvidenceRecord(new IncidentNumber(i.Number).ToString(), i.Title, new IncidentNumber(i.Number).Path))]);
    }
}
