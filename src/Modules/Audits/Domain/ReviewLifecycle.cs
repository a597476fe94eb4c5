namespace Certus.Audits.Domain;

/// <summary>Where a management review is (manual §2.1.11, §3.4.3).</summary>
public enum ReviewStatus
{
    Planned,
    Held,
    Closed,
    Cancelled,
}

/// <summary>What moves a management review on.</summary>
public enum ReviewTrigger
{
    /// <summary>The meeting took place: minutes recorded, inputs frozen.</summary>
    Hold,

    /// <summary>Every action is done or cancelled.</summary>
    Close,
    Cancel,
}

/// <summary>The one transition table of a management review: (status, trigger) → status.</summary>
public static class ReviewLifecycle
{
    private static readonly Dictionary<(ReviewStatus From, ReviewTrigger Trigger), ReviewStatus> Table = new()
    {
        [(ReviewStatus.Planned, ReviewTrigger.Hold)] = ReviewStatus.Held,
        [(ReviewStatus.Planned, ReviewTrigger.Cancel)] = ReviewStatus.Cancelled,
        [(ReviewStatus.Held, ReviewTrigger.Close)] = ReviewStatus.Closed,
    };

    public static ReviewStatus? Next(ReviewStatus from, ReviewTrigger trigger) => Table.TryGetValue((from, trigger), out var to) ? to : null;

    public static IReadOnlyList<ReviewTrigger> Allowed(ReviewStatus from) => Table.Keys.Where(k => k.From == from).Select(k => k.Trigger).ToList();

    public static string Key(this ReviewStatus status) => status switch
    {
        ReviewStatus.Planned => "planned",
        ReviewStatus.Held => "held",
        ReviewStatus.Closed => "closed",
        ReviewStatus.Cancelled => "cancelled",
    };

    public static string Key(this ReviewTrigger trigger) => trigger switch
    {
        ReviewTrigger.Hold => "hold",
        ReviewTrigger.Close => "close",
        ReviewTrigger.Cancel => "cancel",
    };

    public static ReviewStatus ParseStatus(string key) => Enum.GetValues<ReviewStatus>().First(s => s.Key() == key);

    public static ReviewTrigger? ParseTrigger(string? key) => Enum.GetValues<ReviewTrigger>().Where(t => t.Key() == key).Select(t => (ReviewTrigger?)t).FirstOrDefault();
}
