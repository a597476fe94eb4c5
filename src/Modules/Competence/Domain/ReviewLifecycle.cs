namespace Certus.Competence.Domain;

/// <summary>Where a yearly performance review is (manual §2.3.1.2).</summary>
public enum ReviewStatus
{
    /// <summary>Being written by the reviewer; the only status in which it changes.</summary>
    Draft,

    /// <summary>Signed off by the reviewer: immutable from here on.</summary>
    Completed,

    /// <summary>The person reviewed has read it and said so.</summary>
    Acknowledged,
}

/// <summary>What moves a performance review on.</summary>
public enum ReviewTrigger
{
    Complete,
    Acknowledge,
}

/// <summary>The transition table of a performance review: (status, trigger) → status.</summary>
public static class ReviewLifecycle
{
    private static readonly Dictionary<(ReviewStatus From, ReviewTrigger Trigger), ReviewStatus> Table = new()
    {
        [(ReviewStatus.Draft, ReviewTrigger.Complete)] = ReviewStatus.Completed,
        [(ReviewStatus.Completed, ReviewTrigger.Acknowledge)] = ReviewStatus.Acknowledged,
    };

    public static ReviewStatus? Next(ReviewStatus from, ReviewTrigger trigger) => Table.TryGetValue((from, trigger), out var to) ? to : null;

    public static IReadOnlyList<ReviewTrigger> Allowed(ReviewStatus from) => Table.Keys.Where(k => k.From == from).Select(k => k.Trigger).ToList();

    /// <summary>A review counts as done once the reviewer completed it, whether or not the person acknowledged it yet.</summary>
    public static bool IsDone(ReviewStatus status) => status is ReviewStatus.Completed or ReviewStatus.Acknowledged;

    public static string Key(this ReviewStatus status) => status switch
    {
        ReviewStatus.Draft => "draft",
        ReviewStatus.Completed => "completed",
        ReviewStatus.Acknowledged => "acknowledged",
    };

    public static string Key(this ReviewTrigger trigger) => trigger switch
    {
        ReviewTrigger.Complete => "complete",
        ReviewTrigger.Acknowledge => "acknowledge",
    };

    public static ReviewStatus ParseStatus(string key) => Enum.GetValues<ReviewStatus>().First(s => s.Key() == key);

    public static ReviewTrigger? ParseTrigger(string? key) =>
        Enum.GetValues<ReviewTrigger>().Where(t => t.Key() == key).Select(t => (ReviewTrigger?)t).FirstOrDefault();
}
