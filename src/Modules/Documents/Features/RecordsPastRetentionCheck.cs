using System.Globalization;
using Certus.Data;
using Certus.Kernel.Conformity;
using Dapper;
using Microsoft.Extensions.Localization;

namespace Certus.Documents.Features;

/// <summary>
/// Records past their retention period that are neither disposed of nor under legal hold = 0 (ISO/IEC 20000-1:2018 7.5.3
/// retention and disposition; 2005 3.2; manual §1.4). No evidence while no record has ever come under a retention period.
/// </summary>
public sealed class RecordsPastRetentionCheck(RecordRetention retention, Database database, IStringLocalizer<Strings> text) : IConformityCheck
{
    public string Key => "documents.records-past-retention";

    public IReadOnlyList<ClauseRef> Clauses { get; } = [ClauseRef.Of2018("7.5.3"), ClauseRef.Of2005("3.2")];

    public string Title => text["Check.PastRetention"];

    public async Task<CheckResult> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        _ = now;
        var records = await retention.RecordsAsync(ct);
        long disposed;
        await using (var connection = await database.OpenAsync(ct))
        {
            disposed = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM doc_disposals", cancellationToken: ct));
        }
        var overdue = records.Where(r => r.Due && !r.OnLegalHold).ToList();
        var figures = new List<CheckFigure>
        {
            new(text["Check.PastRetention.Kept"], records.Count),
            new(text["Check.PastRetention.Overdue"], overdue.Count),
            new(text["Check.PastRetention.OnHold"], records.Count(r => r.Due && r.OnLegalHold)),
            new(text["Check.PastRetention.Disposed"], disposed),
        };
        if (records.Count == 0 && disposed == 0)
        {
            return new CheckResult(CheckVerdict.NoEvidence, text["Check.PastRetention.None"], figures, []);
        }
        if (overdue.Count == 0)
        {
            return new CheckResult(CheckVerdict.Conforming, text["Check.PastRetention.Ok", records.Count, disposed], figures, []);
        }
        var culture = CultureInfo.CurrentUICulture;
        var evidence = overdue.Take(50).Select(r => new EvidenceRecord($"{r.Code} {r.Label}", $"{r.Title(culture)} ({r.RetainUntil})", r.Path)).ToList();
        return new CheckResult(CheckVerdict.Gap, text["Check.PastRetention.Gap", overdue.Count], figures, evidence);
    }
}
