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

    /// <summary>Holders who have confirmed reading this version.</summary>
    public IReadOnlyList<Acknowledgement> Acknowledgements { get; set; } = [];

    internal const string Columns =
        "id, document_id, number, label, status, body, change_note, file_hash, file_name, file_type, file_size, created_at, created_by, created_by_name, "
        + "submitted_at, approved_at, approved_by, approved_by_name, approval_reason, effective_at, retained_at";
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
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }

    /// <summary>The effective version's label, or null when none is in force yet.</summary>
    public string? EffectiveVersion { get; set; }

    /// <summary>The status of the newest version (draft, in-review, approved, effective), or null without versions.</summary>
    public string? LatestStatus { get; set; }

    public IReadOnlyList<VersionView>? Versions { get; set; }

    public IReadOnlyList<Holder>? Holders { get; set; }

    public string Title(CultureInfo culture) => culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? TitleZh : TitleEn;

    /// <summary>True when the review date has passed.</summary>
    public bool ReviewOverdue(DateOnly today) => ReviewDue is { } due && due < today;

    public DateOnly? ReviewDue => DateOnly.TryParseExact(NextReviewOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    internal string ClausesJson { get => JsonSerializer.Serialize(Clauses); init => Clauses = JsonSerializer.Deserialize<string[]>(value) ?? []; }

    internal const string Columns =
        "id, code, tier, title_en, title_zh, owner_id, clauses AS ClausesJson, review_months, retention_months, next_review_on, created_at, updated_at, version";
}
