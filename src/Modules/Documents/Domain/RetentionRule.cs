namespace Certus.Documents.Domain;

/// <summary>
/// How long a record is kept (ISO/IEC 20000-1:2018 7.5.3 retention and disposition; manual §1.4): a version that is a
/// record is kept while it is in force and, once a newer version retains it (保留文件), for the document's retention
/// period from that day. On its retain-until date the period is over and the version is due for disposal, unless the
/// document is under legal hold.
/// </summary>
public static class RetentionRule
{
    /// <summary>The day the retention period of a version retained on <paramref name="retainedOn"/> ends.</summary>
    public static DateOnly RetainUntil(DateOnly retainedOn, int retentionMonths) => retainedOn.AddMonths(retentionMonths);

    /// <summary>True once the retention period is over.</summary>
    public static bool IsDue(DateOnly retainUntil, DateOnly today) => retainUntil <= today;
}
