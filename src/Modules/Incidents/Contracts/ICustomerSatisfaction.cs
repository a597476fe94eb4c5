namespace Certus.Incidents.Contracts;

/// <summary>A rating a caller gave when confirming a resolution.</summary>
/// <param name="Id">The incident.</param>
/// <param name="Number">Such as <c>INC-000123</c>.</param>
/// <param name="Title">What the incident was about.</param>
/// <param name="Score">1 (very dissatisfied) to 5 (very satisfied).</param>
/// <param name="Comment">What the caller wrote, if anything.</param>
/// <param name="RatedAt">When the caller rated.</param>
/// <param name="Path">The incident's page.</param>
public sealed record IncidentRating(Guid Id, string Number, string Title, int Score, string? Comment, DateTimeOffset RatedAt, string Path);

/// <summary>Customer satisfaction collected on incidents over a period, provider-wide.</summary>
/// <param name="Responses">Ratings given in the period.</param>
/// <param name="Closed">Incidents closed in the period (the response rate's base).</param>
/// <param name="Average">Mean score 1-5; null without ratings.</param>
/// <param name="SatisfiedPercent">Share of ratings of 4 or 5; null without ratings.</param>
/// <param name="ByScore">Ratings per score: index 0 is score 1, index 4 is score 5.</param>
/// <param name="Dissatisfied">Ratings of 1 or 2, newest first, up to 20: what the review should look at.</param>
public sealed record SatisfactionFigures(
    int Responses, int Closed, decimal? Average, decimal? SatisfiedPercent, IReadOnlyList<int> ByScore, IReadOnlyList<IncidentRating> Dissatisfied);

/// <summary>
/// Customer satisfaction as callers rate it when they confirm a resolution (manual §6.2; ISO/IEC 20000-1:2018 8.3.2,
/// 9.3 c). Implemented by incident management; read by the management review and by objectives.
/// </summary>
public interface ICustomerSatisfaction
{
    /// <summary>Ratings given in [from, to).</summary>
    Task<SatisfactionFigures> ForPeriodAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct);
}
