using Certus.Audits.Contracts;
using Certus.Changes.Domain;
using Certus.Data;
using Certus.Kernel.Conformity;
using Certus.Kernel.Errors;
using Dapper;

namespace Certus.Changes.Features;

/// <summary>
/// The changes of a management review's period (ISO/IEC 20000-1:2018 9.3; manual §3.4.3): how many were carried out,
/// how many failed or were backed out, the emergency changes, and those still owing their review.
/// </summary>
public sealed class ChangeReviewInput(Database database, Texts<Strings> text) : IManagementReviewInput
{
    public string Key => ReviewInputKeys.Changes;

    public int Order => 70;

    public string Title => text["Input.Title"];

    public async Task<ReviewInputSection> CompileAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT number, title, type, state, outcome_reason, review_result, reviewed_at FROM chg_changes
            WHERE actual_end IS NOT NULL AND actual_end >= @from AND actual_end < @to
            ORDER BY number
            """, new { from = from.ToUniversalTime(), to = to.ToUniversalTime() }, cancellationToken: ct))).ToList();
        var raised = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM chg_changes WHERE created_at >= @from AND created_at < @to",
            new { from = from.ToUniversalTime(), to = to.ToUniversalTime() }, cancellationToken: ct));
        // A failed or backed-out change keeps its reason in outcome_reason after it is reviewed and closed, so its state alone
        // would count it a success once closed.
        var failed = rows.Count(r => r.Failed);
        var emergency = rows.Count(r => r.Type == "emergency");
        var unreviewed = rows.Count(r => r.ReviewedAt is null && r.Type != "standard");
        var success = rows.Count == 0 ? 0m : Math.Round(100m * (rows.Count - failed) / rows.Count, 1);
        var notable = rows.Where(r => r.Failed || r.Type == "emergency" || (r.ReviewedAt is null && r.Type != "standard")).Take(30);
        return new ReviewInputSection(
            rows.Count == 0 ? text["Input.None", raised] : text["Input.Summary", rows.Count, success, failed, emergency, raised],
            [
                new(text["Input.Raised"], raised), new(text["Input.CarriedOut"], rows.Count), new(text["Input.Success"], success, "%"),
                new(text["Input.Failed"], failed), new(text["Input.Emergency"], emergency), new(text["Input.Unreviewed"], unreviewed),
            ],
            [.. notable.Select(r => new EvidenceRecord(new ChangeNumber(r.Number).ToString(), r.Title, "/changes/" + new ChangeNumber(r.Number)))]);
    }

    private sealed class Row
    {
        public long Number { get; init; }
        public string Title { get; init; } = "";
        public string Type { get; init; } = "";
        public string State { get; init; } = "";
        public string? OutcomeReason { get; init; }
        public string? ReviewResult { get; init; }
        public DateTimeOffset? ReviewedAt { get; init; }

        public bool Failed => OutcomeReason is not null || State is "failed" or "backed-out" || ReviewResult == "unsuccessful";
    }
}
