using System.Globalization;
using System.Text.Json;
using Certus.Kernel.Http;

namespace Certus.Documents.Features;

/// <summary>One version of a document: its content, its place in the workflow and who approved it, with why.</summary>
public sealed class VersionView
{
    public Guid Id { get; init; }
    public Guid DocumentId { get; init; }
    public int Number { get; init; }
    public string Label { get; init; } = "";
    public string Status { get; init; } = "";
    public string Body { get; init; } = "";
    public string ChangeNote { get; init; } = "";
    public string? FileHash { get; init; }
    public string? FileName { get; init; }
    public string? FileType { get; init; }
    public long? FileSize { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public Guid? CreatedBy { get; init; }
    public string CreatedByName { get; init; } = "";
    public DateTimeOffset? SubmittedAt { get; init; }
    public DateTimeOffset? ApprovedAt { get; init; }
    public Guid? ApprovedBy { get; init; }
    public string? ApprovedByName { get; init; }
    public string? ApprovalReason { get; init; }
    public DateTimeOffset? EffectiveAt { get; init; }
    public DateTimeOffset? RetainedAt { get; init; }

    /// <summary>SHA-256 of the body as it was when the version was disposed (the body itself is gone).</summary>
    public string? BodySha256 { get; init; }

    public DateTimeOffset? DisposedAt { get; init; }
    public Guid? DisposedBy { get; init; }
    public string? DisposedByName { get; init; }
    public string? DisposalReason { get; init; }

    /// <summary>For a retained version of a document with a retention period: the day its retention ends (yyyy-MM-dd).</summary>
    public string? RetainUntil { get; set; }

    /// <summary>True when the retention period of this retained version is over and it awaits disposal.</summary>
    public bool DueForDisposal { get; set; }

    /// <summary>Holders who have confirmed reading this version.</summary>
    public IReadOnlyList<Acknowledgement> Acknowledgements { get; set; } = [];

    internal const string Columns =
        "id, document_id, number, label, status, body, change_note, file_hash, file_name, file_type, file_size, created_at, created_by, created_by_name, "
        + "submitted_at, approved_at, approved_by, approved_by_name, approval_reason, effective_at, retained_at, body_sha256, disposed_at, disposed_by, "
        + "disposed_by_name, disposal_reason";
}

/// <summary>A holder's confirmation that they read a version.</summary>
public sealed record Acknowledgement(Guid UserId, string Name, DateTimeOffset AcknowledgedAt);

/// <summary>A named holder of a document (manual §1.4.2), and whether they acknowledged the effective version.</summary>
public sealed record Holder(Guid UserId, string Name, DateTimeOffset AddedAt, DateTimeOffset? AcknowledgedAt);

/// <summary>A document of the register with its versions, holders and review date.</summary>
public sealed class DocumentView : IVersioned
{
    public Guid Id { get; init; }
    public string Code { get; init; } = "";
    public string Tier { get; init; } = "";
    public string TitleEn { get; init; } = "";
    public string TitleZh { get; init; } = "";
    public Guid? OwnerId { get; init; }
    public string? OwnerName { get; set; }
    public IReadOnlyList<string> Clauses { get; private set; } = [];
    public int ReviewMonths { get; init; }
    public int? RetentionMonths { get; init; }
    public string? NextReviewOn { get; init; }

    /// <summary>Why the document's records may not be disposed of now (a dispute, an investigation), or null.</summary>
    public string? LegalHoldReason { get; init; }
    public DateTimeOffset? LegalHoldAt { get; init; }
    public string? LegalHoldByName { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }

    /// <summary>The effective version's label, or null when none is in force yet.</summary>
    public string? EffectiveVersion { get; set; }

    /// <summary>The status of the newest version (draft, in-review, approved, effective), or null without versions.</summary>
    public string? LatestStatus { get; set; }

    /// <summary>The earliest retain-until date of the retained versions not yet disposed (yyyy-MM-dd), or null.</summary>
    public string? NextRetainUntil { get; set; }

    /// <summary>How many retained versions are past their retention period and not yet disposed.</summary>
    public int DueForDisposal { get; set; }

    public bool OnLegalHold => LegalHoldReason is not null;

    public IReadOnlyList<VersionView>? Versions { get; set; }

    public IReadOnlyList<Holder>? Holders { get; set; }

    public string Title(CultureInfo culture) => culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? TitleZh : TitleEn;

    /// <summary>True when the review date has passed.</summary>
    public bool ReviewOverdue(DateOnly today) => ReviewDue is { } due && due < today;

    public DateOnly? ReviewDue => DateOnly.TryParseExact(NextReviewOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    internal string ClausesJson { get => JsonSerializer.Serialize(Clauses); init => Clauses = JsonSerializer.Deserialize<string[]>(value) ?? []; }

    internal const string Columns =
        "id, code, tier, title_en, title_zh, owner_id, clauses AS ClausesJson, review_months, retention_months, next_review_on, legal_hold_reason, legal_hold_at, "
        + "legal_hold_by_name, created_at, updated_at, version";
}
