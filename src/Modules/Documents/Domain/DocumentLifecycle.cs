namespace Certus.Documents.Domain;

/// <summary>
/// Where a version of a document stands. Approved, effective and retained versions never change again, except that a
/// retained version past its retention period is disposed (保留期满已销毁): its content goes, its register entry stays.
/// </summary>
public enum VersionStatus { Draft, InReview, Approved, Effective, Retained, Disposed }

/// <summary>What can be done to a version.</summary>
public enum VersionTrigger { Submit, Reject, Approve, Publish, Retain, Dispose }

/// <summary>The four tiers of the document system (manual §2.2.1).</summary>
public enum DocumentTier { A, B, C, D }

/// <summary>
/// The one transition table of a document version: draft → review → approval → effective; the effective version a
/// newer one replaces is retained (保留文件, manual §1.4.3.3), never deleted.
/// </summary>
public static class DocumentLifecycle
{
    private static readonly Dictionary<(VersionStatus From, VersionTrigger Trigger), VersionStatus> Table = new()
    {
        [(VersionStatus.Draft, VersionTrigger.Submit)] = VersionStatus.InReview,
        [(VersionStatus.InReview, VersionTrigger.Reject)] = VersionStatus.Draft,
        [(VersionStatus.InReview, VersionTrigger.Approve)] = VersionStatus.Approved,
        [(VersionStatus.Approved, VersionTrigger.Publish)] = VersionStatus.Effective,
        [(VersionStatus.Effective, VersionTrigger.Retain)] = VersionStatus.Retained,
        [(VersionStatus.Retained, VersionTrigger.Dispose)] = VersionStatus.Disposed,
    };

    public static VersionStatus? Next(VersionStatus from, VersionTrigger trigger) =>
        Table.TryGetValue((from, trigger), out var to) ? to : null;

    /// <summary>
    /// The workflow moves possible from <paramref name="from"/> (retaining happens on publish; disposal is the records
    /// manager's own action, with its permission, reason and confirmation).
    /// </summary>
    public static IReadOnlyList<VersionTrigger> Allowed(VersionStatus from) =>
        [.. Table.Keys.Where(k => k.From == from && IsWorkflowMove(k.Trigger)).Select(k => k.Trigger)];

    private static bool IsWorkflowMove(VersionTrigger trigger) => trigger is not (VersionTrigger.Retain or VersionTrigger.Dispose);

    /// <summary>Only a draft's content may change; everything after approval is a record.</summary>
    public static bool IsEditable(VersionStatus status) => status == VersionStatus.Draft;

    /// <summary>A version still on its way to being effective: a document has at most one.</summary>
    public static bool IsOpen(VersionStatus status) => status is VersionStatus.Draft or VersionStatus.InReview or VersionStatus.Approved;

    public static string Key(this VersionStatus status) => status switch
    {
        VersionStatus.Draft => "draft",
        VersionStatus.InReview => "in-review",
        VersionStatus.Approved => "approved",
        VersionStatus.Effective => "effective",
        VersionStatus.Retained => "retained",
        VersionStatus.Disposed => "disposed",
    };

    public static string Key(this VersionTrigger trigger) => trigger switch
    {
        VersionTrigger.Submit => "submit",
        VersionTrigger.Reject => "reject",
        VersionTrigger.Approve => "approve",
        VersionTrigger.Publish => "publish",
        VersionTrigger.Retain => "retain",
        VersionTrigger.Dispose => "dispose",
    };

    public static VersionStatus ParseStatus(string key) =>
        Enum.GetValues<VersionStatus>().First(s => string.Equals(s.Key(), key, StringComparison.Ordinal));

    public static VersionTrigger? ParseTrigger(string? key) =>
        Enum.GetValues<VersionTrigger>().Where(IsWorkflowMove).Cast<VersionTrigger?>()
            .FirstOrDefault(t => string.Equals(t!.Value.Key(), key, StringComparison.Ordinal));

    public static DocumentTier? ParseTier(string? key) =>
        Enum.TryParse<DocumentTier>(key, ignoreCase: false, out var tier) && Enum.IsDefined(tier) ? tier : null;
}
