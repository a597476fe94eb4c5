using System.Data.Common;
using Certus.Data;
using Certus.Improvement.Contracts;
using Certus.Improvement.Domain;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Improvement.Features;

/// <summary>The register as other modules reach it: raise inside their transaction, look up, and the review's figures.</summary>
public sealed class NonconformityRegister(Database database, Nonconformities nonconformities) : INonconformityRegister
{
    public async Task<NonconformitySummary> RaiseAsync(RaiseNonconformity request, DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        var severity = NcNames.Severities.Contains(request.Severity, StringComparer.Ordinal) ? request.Severity : "minor";
        var id = await nonconformities.InsertAsync(connection, transaction, "nonconformity", request.Source, request.SourceRef, request.SourceId,
            request.Title, request.Description, severity, request.Clause, null, null, ct);
        return Summary((await Nonconformities.GetAsync(connection, transaction, id, ct))!);
    }

    public async Task<IReadOnlyDictionary<Guid, NonconformitySummary>> FindAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToArray();
        if (list.Length == 0)
        {
            return new Dictionary<Guid, NonconformitySummary>();
        }
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<NonconformityView>(new CommandDefinition(
            $"SELECT {NonconformityView.Columns} FROM imp_nonconformities WHERE {database.Dialect.In("id", "ids")}", new { ids = list }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Id, Summary);
    }

    public async Task<NonconformityFigures> NonconformitiesAsync(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<NonconformityView>(new CommandDefinition(
            $"""
            SELECT {NonconformityView.Columns} FROM imp_nonconformities
            WHERE (raised_at >= @from AND raised_at < @to) OR (closed_at >= @from AND closed_at < @to) OR status NOT IN ('closed', 'rejected')
            ORDER BY number
            """, new { from, to }, cancellationToken: ct))).ToList();
        var today = CalendarDates.Day(now);
        bool InPeriod(DateTimeOffset? at) => at is { } a && a >= from && a < to;
        var open = rows.Where(r => NonconformityLifecycle.IsOpen(NcNames.ParseStatus(r.Status))).ToList();
        var raised = rows.Where(r => InPeriod(r.RaisedAt)).ToList();
        var checkedInPeriod = rows.Where(r => InPeriod(r.EffectivenessCheckedAt)).ToList();
        return new NonconformityFigures(
            raised.Count,
            rows.Count(r => r.Status == "closed" && InPeriod(r.ClosedAt)),
            open.Count,
            open.Count(r => r.DueDate is { } d && string.CompareOrdinal(d, today) < 0),
            checkedInPeriod.Count(r => r.EffectivenessResult == "effective"),
            checkedInPeriod.Count(r => r.EffectivenessResult == "not-effective"),
            raised.GroupBy(r => r.Source, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            open.Select(Summary).ToList());
    }

    public async Task<ImprovementFigures> ImprovementsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<ImprovementView>(new CommandDefinition(
            $"""
            SELECT {ImprovementView.Columns} FROM imp_improvements
            WHERE (proposed_at >= @from AND proposed_at < @to) OR (done_at >= @from AND done_at < @to) OR status NOT IN ('done', 'rejected')
            ORDER BY number
            """, new { from, to }, cancellationToken: ct))).ToList();
        var open = rows.Where(r => ImprovementLifecycle.IsOpen(ImpNames.ParseStatus(r.Status))).ToList();
        return new ImprovementFigures(
            rows.Count(r => r.ProposedAt >= from && r.ProposedAt < to),
            rows.Count(r => r.DoneAt is { } d && d >= from && d < to),
            open.Count,
            open.Select(r => new ImprovementSummary(r.Id, r.Number, r.Title, r.Status, r.Priority)).ToList());
    }

    private static NonconformitySummary Summary(NonconformityView n) =>
        new(n.Id, n.Number, n.Title, n.Status, n.Source, n.DueDate, n.EffectivenessResult);
}
