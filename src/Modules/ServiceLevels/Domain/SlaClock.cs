namespace Certus.ServiceLevels.Domain;

/// <summary>
/// One SLA clock of one incident under one agreement: response or resolution. It counts business time on the
/// agreement's calendar while running, keeps what it has counted while paused, and settles when stopped.
/// <see cref="ElapsedMinutes"/> is what was counted up to <see cref="RunningSince"/>; the running stretch is
/// added on demand, so the stored row only changes when the clock changes state.
/// </summary>
public sealed class SlaClock
{
    public required SlaMetric Metric { get; init; }
    public required int TargetMinutes { get; set; }
    public required int Priority { get; set; }
    public ClockState State { get; private set; } = ClockState.Running;
    public required DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? RunningSince { get; private set; }
    public double ElapsedMinutes { get; private set; }
    public DateTimeOffset? DueAt { get; private set; }
    public DateTimeOffset? WarnAt { get; private set; }
    public DateTimeOffset? StoppedAt { get; private set; }
    public DateTimeOffset? WarnedAt { get; set; }
    public DateTimeOffset? BreachedAt { get; set; }

    /// <summary>A clock that starts counting at <paramref name="at"/>.</summary>
    public static SlaClock Start(SlaMetric metric, int priority, int targetMinutes, DateTimeOffset at, BusinessCalendar calendar, int warningPercent)
    {
        var clock = new SlaClock { Metric = metric, Priority = priority, TargetMinutes = targetMinutes, StartedAt = at, RunningSince = at };
        clock.Plan(calendar, warningPercent);
        return clock;
    }

    /// <summary>Rebuilds a clock from its stored state.</summary>
    public static SlaClock Restore(
        SlaMetric metric, int priority, int targetMinutes, ClockState state, DateTimeOffset startedAt, DateTimeOffset? runningSince, double elapsed,
        DateTimeOffset? dueAt, DateTimeOffset? warnAt, DateTimeOffset? stoppedAt, DateTimeOffset? warnedAt, DateTimeOffset? breachedAt) => new()
    {
        Metric = metric, Priority = priority, TargetMinutes = targetMinutes, State = state, StartedAt = startedAt, RunningSince = runningSince,
        ElapsedMinutes = elapsed, DueAt = dueAt, WarnAt = warnAt, StoppedAt = stoppedAt, WarnedAt = warnedAt, BreachedAt = breachedAt,
    };

    /// <summary>Business minutes counted by <paramref name="at"/>.</summary>
    public double ElapsedAt(DateTimeOffset at, BusinessCalendar calendar) =>
        State == ClockState.Running && RunningSince is { } since && at > since ? ElapsedMinutes + calendar.Elapsed(since, at) : ElapsedMinutes;

    /// <summary>Business minutes left at <paramref name="at"/>; negative once the target has passed.</summary>
    public double RemainingAt(DateTimeOffset at, BusinessCalendar calendar) => TargetMinutes - ElapsedAt(at, calendar);

    /// <summary>Whether the clock missed its target: already recorded, or stopped later than its due time.</summary>
    public bool IsBreached => BreachedAt is not null;

    public void Pause(DateTimeOffset at, BusinessCalendar calendar)
    {
        if (State != ClockState.Running)
        {
            return;
        }
        Settle(at, calendar);
        State = ClockState.Paused;
        DueAt = null;
        WarnAt = null;
    }

    public void Resume(DateTimeOffset at, BusinessCalendar calendar, int warningPercent)
    {
        if (State != ClockState.Paused)
        {
            return;
        }
        State = ClockState.Running;
        RunningSince = at;
        Plan(calendar, warningPercent);
    }

    /// <summary>Stops the clock; a stop after the due time is a breach at the due time.</summary>
    public void Stop(DateTimeOffset at, BusinessCalendar calendar)
    {
        if (State is ClockState.Stopped or ClockState.Cancelled)
        {
            return;
        }
        if (State == ClockState.Running)
        {
            if (DueAt is { } due && at > due && BreachedAt is null)
            {
                BreachedAt = due;
            }
            Settle(at, calendar);
        }
        if (BreachedAt is null && ElapsedMinutes > TargetMinutes)
        {
            BreachedAt = at;
        }
        State = ClockState.Stopped;
        StoppedAt = at;
        DueAt = null;
        WarnAt = null;
    }

    /// <summary>Takes the clock out of the figures: the incident was cancelled, or another group took it over.</summary>
    public void Cancel(DateTimeOffset at, BusinessCalendar calendar)
    {
        if (State == ClockState.Running)
        {
            Settle(at, calendar);
        }
        State = ClockState.Cancelled;
        StoppedAt = at;
        DueAt = null;
        WarnAt = null;
    }

    /// <summary>A reopened incident: the clock goes on from where it stopped, or starts again from nothing.</summary>
    public void Reopen(DateTimeOffset at, ReopenPolicy policy, BusinessCalendar calendar, int warningPercent)
    {
        if (State is not (ClockState.Stopped or ClockState.Cancelled))
        {
            return;
        }
        if (policy == ReopenPolicy.Restart)
        {
            ElapsedMinutes = 0;
            StartedAt = at;
            WarnedAt = null;
            BreachedAt = null;
        }
        State = ClockState.Running;
        RunningSince = at;
        StoppedAt = null;
        Plan(calendar, warningPercent);
    }

    /// <summary>A new target (the priority changed): due and warning times are worked out again.</summary>
    public void Retarget(int priority, int targetMinutes, BusinessCalendar calendar, int warningPercent)
    {
        Priority = priority;
        TargetMinutes = targetMinutes;
        if (State == ClockState.Running)
        {
            Plan(calendar, warningPercent);
        }
    }

    /// <summary>Works out due and warning instants again, after a calendar edit or a new target.</summary>
    public void Plan(BusinessCalendar calendar, int warningPercent)
    {
        if (State != ClockState.Running || RunningSince is not { } since)
        {
            return;
        }
        DueAt = At(since, TargetMinutes - ElapsedMinutes, calendar);
        WarnAt = At(since, (TargetMinutes * warningPercent / 100.0) - ElapsedMinutes, calendar);
    }

    private static DateTimeOffset At(DateTimeOffset since, double minutes, BusinessCalendar calendar) =>
        minutes <= 0 ? since : calendar.Due(since, minutes);

    private void Settle(DateTimeOffset at, BusinessCalendar calendar)
    {
        if (RunningSince is { } since && at > since)
        {
            ElapsedMinutes += calendar.Elapsed(since, at);
        }
        RunningSince = null;
    }
}
