using Certus.Compliance.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Lookups;

namespace Certus.Compliance.Pages.Planning;

/// <summary>What the objective form needs: the values, the staff to choose owners from, and the live measures to choose from.</summary>
public sealed record ObjectiveFields(Objectives.Request Input, IReadOnlyList<UserSummary> Staff, IReadOnlyList<MeasureOption> Measures);

/// <summary>What the risk form needs: the values, the staff and the services in the portfolio.</summary>
public sealed record RiskFields(Risks.Request Input, IReadOnlyList<UserSummary> Staff, IReadOnlyList<ServiceOption> Services, bool Accepted);

/// <summary>One heat map: which kind, its 25 cells, and the page whose filters its links keep.</summary>
public sealed record HeatMapView(string Kind, IReadOnlyList<HeatCell> Cells, RisksModel Page);
