using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Documents.Domain;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Dapper;

namespace Certus.Documents.Features;

/// <summary>
/// The document register (ISO/IEC 20000-1:2018 7.5; manual §1.4, §2.2): documents in four tiers with owner, clauses
/// served, review interval and, for records, a retention period. Versions are handled by <see cref="DocumentWorkflow"/>.
/// </summary>
public sealed partial class DocumentRegister(Database database, AuditTrail audit, IDirectory directory, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "document";

    /// <summary>What a document is; <c>Code</c> is set once, at registration.</summary>
    public sealed record Request(
        string? Code, string? Tier, string? TitleEn, string? TitleZh, Guid? OwnerId, IReadOnlyList<string>? Clauses,
        int? ReviewMonths = null, int? RetentionMonths = null, string? NextReviewOn = null);

    public async Task<IReadOnlyList<DocumentView>> ListAsync(string? tier = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var docs = (await connection.QueryAsync<DocumentView>(new CommandDefinition(
            $"SELECT {DocumentView.Columns} FROM doc_documents WHERE (@tier = '' OR tier = @tier) ORDER BY tier, code",
            new { tier = tier ?? "" }, cancellationToken: ct))).ToList();
        var versions = (await connection.QueryAsync<VersionRow>(new CommandDefinition(
            "SELECT document_id, number, label, status, retained_at FROM doc_versions ORDER BY document_id, number", cancellationToken: ct))).ToList();
        await DecorateAsync(docs, versions, ct);
        return docs;
    }

    public async Task<DocumentView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await LoadAsync(connection, null, id, full: true, ct);
    }

    public async Task<DocumentView?> FindByCodeAsync(string code, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var id = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM doc_documents WHERE code = @code", new { code }, cancellationToken: ct));
        return id is { } found ? await LoadAsync(connection, null, found, full: true, ct) : null;
    }

    internal async Task<DocumentView?> LoadAsync(DbConnection connection, DbTransaction? tx, Guid id, bool full, CancellationToken ct)
    {
        var doc = await connection.QuerySingleOrDefaultAsync<DocumentView>(new CommandDefinition(
            $"SELECT {DocumentView.Columns} FROM doc_documents WHERE id = @id", new { id }, tx, cancellationToken: ct));
        if (doc is null)
        {
            return null;
        }
        var versions = (await connection.QueryAsync<VersionView>(new CommandDefinition(
            $"SELECT {VersionView.Columns} FROM doc_versions WHERE document_id = @id ORDER BY number DESC", new { id }, tx, cancellationToken: ct))).ToList();
        await DecorateAsync([doc], [.. versions.Select(v => new VersionRow { DocumentId = v.DocumentId, Number = v.Number, Label = v.Label, Status = v.Status, RetainedAt = v.RetainedAt })], ct);
        var today = Today();
        foreach (var v in versions.Where(v => v.Status == VersionStatus.Retained.Key()))
        {
            if (RetainUntil(doc.RetentionMonths, v.RetainedAt) is { } until)
            {
                v.RetainUntil = Day(until);
                v.DueForDisposal = RetentionRule.IsDue(until, today);
            }
        }
        if (!full)
        {
            return doc;
        }
        var acks = (await connection.QueryAsync<(Guid VersionId, Guid UserId, DateTimeOffset At)>(new CommandDefinition(
            "SELECT a.version_id, a.user_id, a.acknowledged_at FROM doc_acknowledgements a JOIN doc_versions v ON v.id = a.version_id WHERE v.document_id = @id",
            new { id }, tx, cancellationToken: ct))).ToList();
        var holders = (await connection.QueryAsync<(Guid UserId, DateTimeOffset AddedAt)>(new CommandDefinition(
            "SELECT user_id, added_at FROM doc_holders WHERE document_id = @id", new { id }, tx, cancellationToken: ct))).ToList();
        var names = await directory.FindUsersAsync(acks.Select(a => a.UserId).Concat(holders.Select(h => h.UserId)).Distinct(), ct);
        string Name(Guid user) => names.TryGetValue(user, out var u) ? u.DisplayName : user.ToString("D")[..8];
        foreach (var v in versions)
        {
            v.Acknowledgements = [.. acks.Where(a => a.VersionId == v.Id).Select(a => new Acknowledgement(a.UserId, Name(a.UserId), a.At)).OrderBy(a => a.AcknowledgedAt)];
        }
        var effective = versions.FirstOrDefault(v => v.Status == VersionStatus.Effective.Key());
        doc.Versions = versions;
        doc.Holders = [.. holders.Select(h => new Holder(h.UserId, Name(h.UserId), h.AddedAt,
            effective?.Acknowledgements.FirstOrDefault(a => a.UserId == h.UserId)?.AcknowledgedAt)).OrderBy(h => h.Name, StringComparer.CurrentCulture)];
        return doc;
    }

    private async Task DecorateAsync(List<DocumentView> docs, List<VersionRow> versions, CancellationToken ct)
    {
        var byDoc = versions.GroupBy(v => v.DocumentId).ToDictionary(g => g.Key, g => g.OrderBy(v => v.Number).ToList());
        var owners = await directory.FindUsersAsync(docs.Where(d => d.OwnerId is not null).Select(d => d.OwnerId!.Value).Distinct(), ct);
        var today = Today();
        foreach (var d in docs)
        {
            d.OwnerName = d.OwnerId is { } o && owners.TryGetValue(o, out var u) ? u.DisplayName : null;
            if (byDoc.TryGetValue(d.Id, out var list))
            {
                d.EffectiveVersion = list.LastOrDefault(v => v.Status == VersionStatus.Effective.Key())?.Label;
                d.LatestStatus = list[^1].Status;
                var until = list.Where(v => v.Status == VersionStatus.Retained.Key())
                    .Select(v => RetainUntil(d.RetentionMonths, v.RetainedAt)).OfType<DateOnly>().Order().ToList();
                d.NextRetainUntil = until.Count > 0 ? Day(until[0]) : null;
                d.DueForDisposal = until.Count(day => RetentionRule.IsDue(day, today));
            }
        }
    }

    /// <summary>The day a version retained at <paramref name="retainedAt"/> is due for disposal, or null when nothing limits its keeping.</summary>
    internal DateOnly? RetainUntil(int? retentionMonths, DateTimeOffset? retainedAt) =>
        retentionMonths is { } months && retainedAt is { } at ? RetentionRule.RetainUntil(LocalDay(at), months) : null;

    /// <summary>The calendar day of <paramref name="at"/> where Certus runs.</summary>
    internal DateOnly LocalDay(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, clock.LocalTimeZone).DateTime);

    internal DateOnly Today() => LocalDay(clock.GetUtcNow());

    internal static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class VersionRow
    {
        public Guid DocumentId { get; init; }
        public int Number { get; init; }
        public string Label { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset? RetainedAt { get; init; }
    }

    public async Task<Outcome<DocumentView>> CreateAsync(Request request, CancellationToken ct = default) =>
        await CreateAsync(request, starterKey: null, ct);

    internal async Task<Outcome<DocumentView>> CreateAsync(Request request, string? starterKey, CancellationToken ct)
    {
        var errors = Validate(request, creating: true, out var clauses);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var code = request.Code!.Trim().ToUpperInvariant();
        return await database.WriteAsync<Outcome<DocumentView>>(async (connection, tx) =>
        {
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM doc_documents WHERE code = @code", new { code }, tx, cancellationToken: ct)) > 0)
            {
                return text.Invalid(text.Errors().AddMessage("code", text["Document.CodeTaken", code]));
            }
            var id = Guid.NewGuid();
            var now = clock.GetUtcNow();
            var row = Row(request, clauses);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO doc_documents (id, code, tier, title_en, title_zh, owner_id, clauses, review_months, retention_months, next_review_on, starter_key, created_at, updated_at, version)
                VALUES (@id, @code, @tier, @titleEn, @titleZh, @ownerId, @clauses, @reviewMonths, @retentionMonths, @nextReviewOn, @starterKey, @now, @now, 1)
                """,
                new { id, code, row.tier, row.titleEn, row.titleZh, row.ownerId, row.clauses, row.reviewMonths, row.retentionMonths, row.nextReviewOn, starterKey, now },
                tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "created", null,
                AuditTrail.Created(Snapshot(code, row))), ct);
            return (await LoadAsync(connection, tx, id, full: true, ct))!;
        }, ct);
    }

    /// <summary>Changes what the register says about a document (not its content: that is a new version).</summary>
    public async Task<Outcome<DocumentView>> UpdateAsync(Guid id, int version, Request request, CancellationToken ct = default)
    {
        var errors = Validate(request, creating: false, out var clauses);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<DocumentView>>(async (connection, tx) =>
        {
            var current = await LoadAsync(connection, tx, id, full: false, ct);
            if (current is null)
            {
                return text.NotFound();
            }
            if (current.Version != version)
            {
                return text.Stale();
            }
            var row = Row(request, clauses);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE doc_documents SET tier = @tier, title_en = @titleEn, title_zh = @titleZh, owner_id = @ownerId, clauses = @clauses,
                    review_months = @reviewMonths, retention_months = @retentionMonths, next_review_on = @nextReviewOn,
                    reminded_for = CASE WHEN next_review_on = @nextReviewOn THEN reminded_for ELSE NULL END, updated_at = @now, version = version + 1
                WHERE id = @id
                """,
                new { id, row.tier, row.titleEn, row.titleZh, row.ownerId, row.clauses, row.reviewMonths, row.retentionMonths, row.nextReviewOn, now = clock.GetUtcNow() },
                tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "updated", null,
                AuditTrail.Diff(Snapshot(current.Code, Row(current)), Snapshot(current.Code, row))), ct);
            return (await LoadAsync(connection, tx, id, full: true, ct))!;
        }, ct);
    }

    internal static Dictionary<string, object?> Snapshot(string code, DocumentRow row) => new(StringComparer.Ordinal)
    {
        ["code"] = code,
        ["tier"] = row.tier,
        ["titleEn"] = row.titleEn,
        ["titleZh"] = row.titleZh,
        ["ownerId"] = row.ownerId,
        ["clauses"] = row.clauses,
        ["reviewMonths"] = row.reviewMonths,
        ["retentionMonths"] = row.retentionMonths,
        ["nextReviewOn"] = row.nextReviewOn,
    };

    internal sealed record DocumentRow(string tier, string titleEn, string titleZh, Guid? ownerId, string clauses, int reviewMonths, int? retentionMonths, string? nextReviewOn);

    private static DocumentRow Row(Request r, IReadOnlyList<string> clauses) => new(
        r.Tier!.Trim(), r.TitleEn!.Trim(), r.TitleZh!.Trim(), r.OwnerId, JsonSerializer.Serialize(clauses), r.ReviewMonths ?? 12, r.RetentionMonths,
        string.IsNullOrWhiteSpace(r.NextReviewOn) ? null : r.NextReviewOn.Trim());

    private static DocumentRow Row(DocumentView d) => new(
        d.Tier, d.TitleEn, d.TitleZh, d.OwnerId, JsonSerializer.Serialize(d.Clauses), d.ReviewMonths, d.RetentionMonths, d.NextReviewOn);

    private FieldErrors Validate(Request r, bool creating, out IReadOnlyList<string> clauses)
    {
        var errors = text.Errors();
        if (creating)
        {
            errors.Required("code", r.Code, 40);
            if (!string.IsNullOrWhiteSpace(r.Code) && !CodePattern().IsMatch(r.Code.Trim()))
            {
                errors.AddMessage("code", text["Document.CodeFormat"]);
            }
            else if (ReservedCodes.Contains(r.Code?.Trim() ?? "", StringComparer.OrdinalIgnoreCase))
            {
                // /documents/retention is a page of its own: a document under that code could never be opened.
                errors.AddMessage("code", text["Document.CodeReserved", r.Code!.Trim()]);
            }
        }
        errors.Required("titleEn", r.TitleEn, 200).Required("titleZh", r.TitleZh, 200);
        if (DocumentLifecycle.ParseTier(r.Tier?.Trim()) is null)
        {
            errors.Add("tier", "Validation.OneOf", "A, B, C, D");
        }
        if (r.ReviewMonths is < 1 or > 60)
        {
            errors.AddMessage("reviewMonths", text["Document.ReviewMonthsRange"]);
        }
        if (r.RetentionMonths is < 1 or > 1200)
        {
            errors.AddMessage("retentionMonths", text["Document.RetentionRange"]);
        }
        if (!string.IsNullOrWhiteSpace(r.NextReviewOn)
            && !DateOnly.TryParseExact(r.NextReviewOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.AddMessage("nextReviewOn", text["Validation.Date"]);
        }
        var list = new List<string>();
        foreach (var raw in r.Clauses ?? [])
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }
            var clause = raw.Trim();
            clause = clause.Contains(':', StringComparison.Ordinal) ? clause : "2018:" + clause;
            if (!ClausePattern().IsMatch(clause))
            {
                errors.AddMessage("clauses", text["Document.ClauseFormat", raw]);
                continue;
            }
            if (!list.Contains(clause, StringComparer.Ordinal))
            {
                list.Add(clause);
            }
        }
        clauses = list;
        return errors;
    }

    private static readonly string[] ReservedCodes = ["retention"];

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^(2018|2005):\d{1,2}(\.\d{1,2}){0,3}$")]
    private static partial Regex ClausePattern();
}
