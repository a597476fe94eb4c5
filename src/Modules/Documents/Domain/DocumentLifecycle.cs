namespace Certus.Documents.Domain;

/// <summary>Where a version of a document stands. Approved, effective and retained versions never change again.</summary>
public enum VersionStatus { Draft, InReview, Approved, Effective, Retained }

/// <summary>What can be done to a version.</summary>
public enum VersionTrigger { Submit, Reject, Approve, Publish, Retain }

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
    };

    public static VersionStatus? Next(VersionStatus from, VersionTrigger trigger) =>
        Table.TryGetValue((from, trigger), out var to) ? to : null;

    /// <summary>The moves possible from <paramref name="from"/> that a user can make (retaining happens on publish).</summary>
    public static IReadOnlyList<VersionTrigger> Allowed(VersionStatus from) =>
        [.. Table.Keys.Where(k => k.From == from && k.Trigger != VersionTrigger.Retain).Select(k => k.Trigger)];

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
    };

    public static string Key(this VersionTrigger trigger) => trigger switch
    {
        VersionTrigger.Submit => "submit",
        VersionTrigger.Reject => "reject",
        VersionTrigger.Approve => "approve",
        VersionTrigger.Publish => "publish",
        VersionTrigger.Retain => "retain",
    };

    public static VersionStatus ParseStatus(string key) =>
        Enum.GetValues<VersionStatus>().First(s => string.Equals(s.Key(), key, StringComparison.Ordinal));

    public static VersionTrigger? ParseTrigger(string? key) =>
        Enum.GetValues<VersionTrigger>().Where(t => t != VersionTrigger.Retain).Cast<VersionTrigger?>()
            .FirstOrDefault(t => string.Equals(t!.Value.Key(), key, StringComparison.Ordinal));

    public static DocumentTier? ParseTier(string? key) =>
        Enum.TryParse<DocumentTier>(key, ignoreCase: false, out var tier) && Enum.IsDefined(tier) ? tier : null;
}
