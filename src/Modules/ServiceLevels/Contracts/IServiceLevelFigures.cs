namespace Certus.ServiceLevels.Contracts;

/// <summary>SLA performance of a period, provider-wide, for the management review (ISO/IEC 20000-1:2018 9.3 c).</summary>
/// <param name="Met">Customer-SLA resolution clocks that stopped in the period within their target.</param>
/// <param name="Breached">Those that stopped after their target.</param>
/// <param name="AttainmentPercent">Met as a share of all; null when none stopped.</param>
/// <param name="ResponseBreaches">Response targets missed in the period.</param>
/// <param name="ResolutionBreaches">Resolution targets missed in the period.</param>
public sealed record SlaPeriodFigures(int Met, int Breached, double? AttainmentPercent, int ResponseBreaches, int ResolutionBreaches);

/// <summary>SLA figures for other modules. Implemented by service level management.</summary>
public interface IServiceLevelFigures
{
    /// <summary>Attainment and breaches over [from, to).</summary>
    Task<SlaPeriodFigures> ForPeriodAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct);
}
