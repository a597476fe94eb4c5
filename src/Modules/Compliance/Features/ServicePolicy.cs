using System.Data.Common;
using System.Globalization;
using Certus.Compliance.Contracts;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Documents.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Compliance.Features;

/// <summary>One version of the service management policy, in both languages, with its three commitments.</summary>
public sealed class PolicyVersionView : IVersioned
{
    public Guid Id { get; init; }
    public int Number { get; init; }
    public string Status { get; init; } = "";
    public string StatementEn { get; init; } = "";
    public string StatementZh { get; init; } = "";
    public string CommitRequirementsEn { get; init; } = "";
    public string CommitRequirementsZh { get; init; } = "";
    public string CommitImprovementEn { get; init; } = "";
    public string CommitImprovementZh { get; init; } = "";
    public string CommitObjectivesEn { get; init; } = "";
    public string CommitObjectivesZh { get; init; } = "";
    public string? DocumentCode { get; init; }
    public string ChangeNote { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedByName { get; init; } = "";
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? ApprovedAt { get; init; }
    public Guid? ApprovedBy { get; init; }
    public string? ApprovedByName { get; init; }
    public string? ApprovalReason { get; init; }
    public DateTimeOffset? SupersededAt { get; init; }
    public int Version { get; init; }

    internal const string Columns =
        "id, number, status, statement_en, statement_zh, commit_requirements_en, commit_requirements_zh, commit_improvement_en, commit_improvement_zh, " +
        "commit_objectives_en, commit_objectives_zh, document_code, change_note, created_at, created_by_name, updated_at, approved_at, approved_by, " +
        "approved_by_name, approval_reason, superseded_at, version";

    /// <summary>The text in the caller's language, or the other one when that is all there is.</summary>
    public static string In(CultureInfo culture, string en, string zh) =>
        culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? (zh.Length > 0 ? zh : en) : (en.Length > 0 ? en : zh);

    public string Statement(CultureInfo culture) => In(culture, StatementEn, StatementZh);
}

/// <summary>Top management's confirmation that the approved policy still holds, without a new version.</summary>
public sealed class PolicyReviewView
{
    public Guid Id { get; init; }
    public Guid VersionId { get; init; }
    public DateTimeOffset ReviewedAt { get; init; }
    public string ReviewedByName { get; init; } = "";
    public string Note { get; init; } = "";
}

/// <summary>The policy as staff and auditors see it: the version in force, the draft being prepared, every version and the reviews.</summary>
/// <param name="Effective">The approved version in force, if any.</param>
/// <param name="Draft">The version being prepared, if any.</param>
/// <param name="Versions">Every version, newest first; superseded ones are kept.</param>
/// <param name="Reviews">Confirmations of the version in force, newest first.</param>
/// <param name="LastConfirmedAt">When top management last approved or confirmed it.</param>
/// <param name="ReviewDueOn">Twelve months after that: when it is due for review again.</param>
/// <param name="Document">The controlled document carrying the policy, if one is named.</param>
public sealed record PolicyOverview(
    PolicyVersionView? Effective, PolicyVersionView? Draft, IReadOnlyList<PolicyVersionView> Versions, IReadOnlyList<PolicyReviewView> Reviews,
    DateTimeOffset? LastConfirmedAt, DateTimeOffset? ReviewDueOn, DocumentEvidence? Document);

/// <summary>
/// The service management policy (ISO/IEC 20000-1:2018 5.2; 2005 3.1; manual §2.1.6): versions from draft to approval by
/// top management (<see cref="CompliancePermissions.Approve"/>, with a reason, audited); the approved version replaces the
/// one before it, which is kept as superseded. Approved versions never change (the database refuses too); a yearly
/// review may confirm the version in force without a new one.
/// </summary>
public sealed class ServicePolicy(Database database, AuditTrail audit, ICurrentUser caller, IDocumentEvidence documents, Texts<PlanningStrings> text, TimeProvider clock)
{
    public const string RecordType = "policy-version";

    /// <summary>How long an approval or confirmation counts before the policy is due for review again.</summary>
    public const int ReviewMonths = 12;

    public sealed record DraftRequest(
        string? StatementEn, string? StatementZh, string? CommitRequirementsEn, string? CommitRequirementsZh, string? CommitImprovementEn,
        string? CommitImprovementZh, string? CommitObjectivesEn, string? CommitObjectivesZh, string? DocumentCode, string? ChangeNote);

    public sealed record ApproveRequest(string? Reason);

    public sealed record ReviewRequest(string? Note);

    public async Task<PolicyOverview> OverviewAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var versions = (await connection.QueryAsync<PolicyVersionView>(new CommandDefinition(
            $"SELECT {PolicyVersionView.Columns} FROM cmp_policy_versions ORDER BY number DESC", cancellationToken: ct))).ToList();
        var effective = versions.FirstOrDefault(v => v.Status == "approved");
        var reviews = effective is null ? [] : (await connection.QueryAsync<PolicyReviewView>(new CommandDefinition(
            "SELECT id, version_id, reviewed_at, reviewed_by_name, note FROM cmp_policy_reviews WHERE version_id = @id ORDER BY reviewed_at DESC",
            new { id = effective.Id }, cancellationToken: ct))).ToList();
        var confirmed = effective is null ? null : reviews.Select(r => (DateTimeOffset?)r.ReviewedAt).Append(effective.ApprovedAt).Max();
        DocumentEvidence? document = null;
        var draft = versions.FirstOrDefault(v => v.Status == "draft");
        if ((effective?.DocumentCode ?? draft?.DocumentCode) is { } code)
        {
            document = (await documents.AllAsync(ct)).FirstOrDefault(d => string.Equals(d.Code, code, StringComparison.OrdinalIgnoreCase));
        }
        return new PolicyOverview(effective, draft, versions, reviews, confirmed, confirmed?.AddMonths(ReviewMonths), document);
    }

    public async Task<PolicyVersionView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await LoadAsync(connection, null, id, ct);
    }

    /// <summary>Starts the next version as a draft; fields left out are taken from the version in force.</summary>
    public async Task<Outcome<PolicyVersionView>> StartDraftAsync(DraftRequest request, CancellationToken ct = default)
    {
        if (!caller.HasPermission(CompliancePermissions.Manage))
        {
            return new Failure(FailureKind.Forbidden, text["Policy.ManagerOnly"]);
        }
        var errors = await ValidateAsync(request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<PolicyVersionView>>(async (connection, tx) =>
        {
            var versions = (await connection.QueryAsync<PolicyVersionView>(new CommandDefinition(
                $"SELECT {PolicyVersionView.Columns} FROM cmp_policy_versions ORDER BY number DESC", transaction: tx, cancellationToken: ct))).ToList();
            if (versions.FirstOrDefault(v => v.Status == "draft") is { } open)
            {
                return new Failure(FailureKind.Conflict, text["Policy.DraftExists", open.Number]);
            }
            var basis = versions.FirstOrDefault(v => v.Status == "approved");
            var id = Guid.NewGuid();
            var now = clock.GetUtcNow();
            var number = (versions.Count > 0 ? versions[0].Number : 0) + 1;
            var row = Row(request, basis);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cmp_policy_versions (id, number, status, statement_en, statement_zh, commit_requirements_en, commit_requirements_zh,
                    commit_improvement_en, commit_improvement_zh, commit_objectives_en, commit_objectives_zh, document_code, change_note,
                    created_at, created_by_name, updated_at, version)
                VALUES (@id, @number, 'draft', @statementEn, @statementZh, @commitRequirementsEn, @commitRequirementsZh, @commitImprovementEn,
                    @commitImprovementZh, @commitObjectivesEn, @commitObjectivesZh, @documentCode, @changeNote, @now, @by, @now, 1)
                """,
                Parameters(row, ("id", id), ("number", number), ("now", now), ("by", caller.ActorName)), tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "created", null, AuditTrail.Created(
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["number"] = number, ["status"] = "draft", ["basedOn"] = basis?.Number })), ct);
            return (await LoadAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>Rewrites the draft; an approved or superseded version refuses with 409.</summary>
    public async Task<Outcome<PolicyVersionView>> EditDraftAsync(Guid id, int version, DraftRequest request, CancellationToken ct = default)
    {
        if (!caller.HasPermission(CompliancePermissions.Manage))
        {
            return new Failure(FailureKind.Forbidden, text["Policy.ManagerOnly"]);
        }
        var errors = await ValidateAsync(request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<PolicyVersionView>>(async (connection, tx) =>
        {
            var current = await LoadAsync(connection, tx, id, ct);
            if (current is null)
            {
                return text.NotFound();
            }
            if (current.Status != "draft")
            {
                return new Failure(FailureKind.Conflict, text["Policy.Immutable", current.Number, text[$"Policy.Status.{current.Status}"]]);
            }
            if (current.Version != version)
            {
                return text.Stale();
            }
            var row = Row(request, null);
            var now = clock.GetUtcNow();
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cmp_policy_versions SET statement_en = @statementEn, statement_zh = @statementZh, commit_requirements_en = @commitRequirementsEn,
                    commit_requirements_zh = @commitRequirementsZh, commit_improvement_en = @commitImprovementEn, commit_improvement_zh = @commitImprovementZh,
                    commit_objectives_en = @commitObjectivesEn, commit_objectives_zh = @commitObjectivesZh, document_code = @documentCode,
                    change_note = @changeNote, updated_at = @now, version = version + 1
                WHERE id = @id AND version = @version AND status = 'draft'
                """,
                Parameters(row, ("id", id), ("version", version), ("now", now)), tx, cancellationToken: ct));
            if (changed == 0)
            {
                return text.Stale();
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "updated", null, AuditTrail.Diff(Fields(current), Fields(row))), ct);
            return (await LoadAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>
    /// Top management approves the draft, with a reason: it comes into force and the version it replaces is superseded.
    /// A draft without a statement or any of the three commitments (5.2.1 b-d) is refused with what it lacks.
    /// </summary>
    public async Task<Outcome<PolicyVersionView>> ApproveAsync(Guid id, int version, ApproveRequest request, CancellationToken ct = default)
    {
        if (!caller.HasPermission(CompliancePermissions.Approve))
        {
            return new Failure(FailureKind.Forbidden, text["Policy.ApproverOnly"]);
        }
        var errors = text.Errors().Required("reason", request.Reason, 2000);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<PolicyVersionView>>(async (connection, tx) =>
        {
            var current = await LoadAsync(connection, tx, id, ct);
            if (current is null)
            {
                return text.NotFound();
            }
            if (current.Status != "draft")
            {
                return new Failure(FailureKind.Conflict, text["Policy.NotDraft", current.Number, text[$"Policy.Status.{current.Status}"]]);
            }
            if (current.Version != version)
            {
                return text.Stale();
            }
            var missing = Missing(current);
            if (missing.Count > 0)
            {
                return new Failure(FailureKind.Conflict, text["Policy.Incomplete"],
                    missing.ToDictionary(m => m, m => new[] { text[$"Policy.Missing.{m}"] }, StringComparer.Ordinal));
            }
            var now = clock.GetUtcNow();
            var reason = request.Reason!.Trim();
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cmp_policy_versions SET status = 'approved', approved_at = @now, approved_by = @actor, approved_by_name = @actorName,
                    approval_reason = @reason, updated_at = @now, version = version + 1
                WHERE id = @id AND version = @version AND status = 'draft'
                """, new { id, version, now, actor = caller.ActorId, actorName = caller.ActorName, reason }, tx, cancellationToken: ct));
            if (changed == 0)
            {
                return text.Stale();
            }
            var replaced = (await connection.QueryAsync<(Guid Id, int Number)>(new CommandDefinition(
                "SELECT id, number FROM cmp_policy_versions WHERE status = 'approved' AND id <> @id", new { id }, tx, cancellationToken: ct))).ToList();
            foreach (var old in replaced)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE cmp_policy_versions SET status = 'superseded', superseded_at = @now, updated_at = @now, version = version + 1 WHERE id = @old",
                    new { old = old.Id, now }, tx, cancellationToken: ct));
                await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, old.Id.ToString("D"), "superseded", null,
                    [new AuditChange("status", "approved", "superseded")], text["Policy.SupersededBy", current.Number]), ct);
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "approved", null,
                [new AuditChange("status", "draft", "approved"), new AuditChange("approvedBy", null, caller.ActorName)], reason), ct);
            return (await LoadAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>Top management confirms that the version in force still suits the organisation: a review without a new version.</summary>
    public async Task<Outcome<PolicyVersionView>> ReviewAsync(Guid id, ReviewRequest request, CancellationToken ct = default)
    {
        if (!caller.HasPermission(CompliancePermissions.Approve))
        {
            return new Failure(FailureKind.Forbidden, text["Policy.ApproverOnly"]);
        }
        var errors = text.Errors().Required("note", request.Note, 2000);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<PolicyVersionView>>(async (connection, tx) =>
        {
            var current = await LoadAsync(connection, tx, id, ct);
            if (current is null)
            {
                return text.NotFound();
            }
            if (current.Status != "approved")
            {
                return new Failure(FailureKind.Conflict, text["Policy.ReviewOnlyInForce", current.Number, text[$"Policy.Status.{current.Status}"]]);
            }
            var note = request.Note!.Trim();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cmp_policy_reviews (id, version_id, reviewed_at, reviewed_by, reviewed_by_name, note)
                VALUES (@reviewId, @id, @now, @actor, @actorName, @note)
                """, new { reviewId = Guid.NewGuid(), id, now = clock.GetUtcNow(), actor = caller.ActorId, actorName = caller.ActorName, note }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "reviewed", null, [], note), ct);
            return current;
        }, ct);
    }

    /// <summary>What an approval would still miss: the statement and each commitment need at least one language.</summary>
    public static IReadOnlyList<string> Missing(PolicyVersionView v)
    {
        var missing = new List<string>();
        void Need(string field, string en, string zh)
        {
            if (string.IsNullOrWhiteSpace(en) && string.IsNullOrWhiteSpace(zh))
            {
                missing.Add(field);
            }
        }
        Need("statement", v.StatementEn, v.StatementZh);
        Need("commitRequirements", v.CommitRequirementsEn, v.CommitRequirementsZh);
        Need("commitImprovement", v.CommitImprovementEn, v.CommitImprovementZh);
        Need("commitObjectives", v.CommitObjectivesEn, v.CommitObjectivesZh);
        return missing;
    }

    private async Task<FieldErrors> ValidateAsync(DraftRequest r, CancellationToken ct)
    {
        var errors = text.Errors()
            .Optional("statementEn", r.StatementEn, 20_000).Optional("statementZh", r.StatementZh, 20_000)
            .Optional("commitRequirementsEn", r.CommitRequirementsEn, 2000).Optional("commitRequirementsZh", r.CommitRequirementsZh, 2000)
            .Optional("commitImprovementEn", r.CommitImprovementEn, 2000).Optional("commitImprovementZh", r.CommitImprovementZh, 2000)
            .Optional("commitObjectivesEn", r.CommitObjectivesEn, 2000).Optional("commitObjectivesZh", r.CommitObjectivesZh, 2000)
            .Optional("changeNote", r.ChangeNote, 2000);
        if (!string.IsNullOrWhiteSpace(r.DocumentCode)
            && !(await documents.AllAsync(ct)).Any(d => string.Equals(d.Code, r.DocumentCode.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            errors.AddMessage("documentCode", text["Policy.UnknownDocument", r.DocumentCode.Trim()]);
        }
        return errors;
    }

    private static DraftRow Row(DraftRequest r, PolicyVersionView? basis)
    {
        static string Pick(string? given, string? fallback) => (given ?? fallback ?? "").Trim();
        return new DraftRow(
            Pick(r.StatementEn, basis?.StatementEn), Pick(r.StatementZh, basis?.StatementZh),
            Pick(r.CommitRequirementsEn, basis?.CommitRequirementsEn), Pick(r.CommitRequirementsZh, basis?.CommitRequirementsZh),
            Pick(r.CommitImprovementEn, basis?.CommitImprovementEn), Pick(r.CommitImprovementZh, basis?.CommitImprovementZh),
            Pick(r.CommitObjectivesEn, basis?.CommitObjectivesEn), Pick(r.CommitObjectivesZh, basis?.CommitObjectivesZh),
            string.IsNullOrWhiteSpace(r.DocumentCode) ? (r.DocumentCode is null ? basis?.DocumentCode : null) : r.DocumentCode.Trim().ToUpperInvariant(),
            (r.ChangeNote ?? "").Trim());
    }

    private static Dictionary<string, object?> Fields(PolicyVersionView v) => Fields(new DraftRow(v.StatementEn, v.StatementZh, v.CommitRequirementsEn,
        v.CommitRequirementsZh, v.CommitImprovementEn, v.CommitImprovementZh, v.CommitObjectivesEn, v.CommitObjectivesZh, v.DocumentCode, v.ChangeNote));

    private static Dictionary<string, object?> Fields(DraftRow r) => new(StringComparer.Ordinal)
    {
        ["statementEn"] = r.StatementEn, ["statementZh"] = r.StatementZh, ["commitRequirementsEn"] = r.CommitRequirementsEn,
        ["commitRequirementsZh"] = r.CommitRequirementsZh, ["commitImprovementEn"] = r.CommitImprovementEn, ["commitImprovementZh"] = r.CommitImprovementZh,
        ["commitObjectivesEn"] = r.CommitObjectivesEn, ["commitObjectivesZh"] = r.CommitObjectivesZh, ["documentCode"] = r.DocumentCode, ["changeNote"] = r.ChangeNote,
    };

    /// <summary>The draft's columns as SQL parameters (named as the SQL spells them), with the statement's own.</summary>
    private static DynamicParameters Parameters(DraftRow row, params (string Name, object? Value)[] more)
    {
        var parameters = new DynamicParameters();
        foreach (var (name, value) in Fields(row))
        {
            parameters.Add(name, value);
        }
        foreach (var (name, value) in more)
        {
            parameters.Add(name, value);
        }
        return parameters;
    }

    private static async Task<PolicyVersionView?> LoadAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<PolicyVersionView>(new CommandDefinition(
            $"SELECT {PolicyVersionView.Columns} FROM cmp_policy_versions WHERE id = @id", new { id }, tx, cancellationToken: ct));

    private sealed record DraftRow(
        string StatementEn, string StatementZh, string CommitRequirementsEn, string CommitRequirementsZh, string CommitImprovementEn,
        string CommitImprovementZh, string CommitObjectivesEn, string CommitObjectivesZh, string? DocumentCode, string ChangeNote);
}
