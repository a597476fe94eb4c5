namespace Certus.Kernel.Conformity;

/// <summary>Which way an objective's measure should go to meet its target.</summary>
public enum MeasureDirection
{
    /// <summary>Met when the value is at or above the target (an attainment, a completion rate).</summary>
    AtLeast,

    /// <summary>Met when the value is at or below the target (a count of breaches, a backlog).</summary>
    AtMost,
}

/// <summary>
/// A measure's value over a period: null when there was nothing to measure (no clocks stopped, no changes closed),
/// with the figures it was computed from and up to a page of the records behind it.
/// </summary>
public sealed record MeasureValue(decimal? Value, IReadOnlyList<CheckFigure> Figures, IReadOnlyList<EvidenceRecord> Records)
{
    public static MeasureValue Nothing(params CheckFigure[] figures) => new(null, figures, []);
}

/// <summary>
/// A figure computed from live data that a service management objective can be measured by (ISO/IEC 20000-1:2018 6.2),
/// such as "SLA attainment" or "change success rate". Modules register theirs in DI; the compliance module lets an
/// objective pick one, computes it over the objective's period and judges it against the objective's target.
/// A measure reads provider-wide data and must not write.
/// </summary>
public interface IObjectiveMeasure
{
    /// <summary>Stable key, <c>module.what</c>, such as <c>service-levels.attainment</c>.</summary>
    string Key { get; }

    /// <summary>What is measured, in the caller's language.</summary>
    string Title { get; }

    /// <summary>The unit shown after the value, such as <c>%</c>, or null for a count.</summary>
    string? Unit { get; }

    /// <summary>The direction a target for this measure usually takes (an objective may still set its own).</summary>
    MeasureDirection Direction { get; }

    /// <summary>The value over [from, to).</summary>
    Task<MeasureValue> MeasureAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct);
}
