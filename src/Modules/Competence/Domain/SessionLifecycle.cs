namespace Certus.Competence.Domain;

/// <summary>Where a training session is.</summary>
public enum SessionStatus
{
    Planned,
    Held,
    Cancelled,
}

/// <summary>What moves a session on.</summary>
public enum SessionTrigger
{
    /// <summary>The session took place: attendance and exam results can be recorded.</summary>
    Hold,

    /// <summary>It will not take place (a reason is required).</summary>
    Cancel,
}

/// <summary>The transition table of a training session: (status, trigger) → status.</summary>
public static class SessionLifecycle
{
    private static readonly Dictionary<(SessionStatus From, SessionTrigger Trigger), SessionStatus> Table = new()
    {
        [(SessionStatus.Planned, SessionTrigger.Hold)] = SessionStatus.Held,
        [(SessionStatus.Planned, SessionTrigger.Cancel)] = SessionStatus.Cancelled,
    };

    public static SessionStatus? Next(SessionStatus from, SessionTrigger trigger) => Table.TryGetValue((from, trigger), out var to) ? to : null;

    public static IReadOnlyList<SessionTrigger> Allowed(SessionStatus from) => Table.Keys.Where(k => k.From == from).Select(k => k.Trigger).ToList();

    public static string Key(this SessionStatus status) => status switch
    {
        SessionStatus.Planned => "planned",
        SessionStatus.Held => "held",
        SessionStatus.Cancelled => "cancelled",
    };

    public static string Key(this SessionTrigger trigger) => trigger switch
    {
        SessionTrigger.Hold => "hold",
        SessionTrigger.Cancel => "cancel",
    };

    public static SessionStatus ParseStatus(string key) => Enum.GetValues<SessionStatus>().First(s => s.Key() == key);

    public static SessionTrigger? ParseTrigger(string? key) =>
        Enum.GetValues<SessionTrigger>().Where(t => t.Key() == key).Select(t => (SessionTrigger?)t).FirstOrDefault();
}
