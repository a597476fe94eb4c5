using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Compliance.Pages.Planning;

/// <summary>The register of risks and opportunities: the heat map (each cell links to its risks) and the list, filtered.</summary>
[RequirePermission(CompliancePermissions.PlanningRead)]
public sealed class RisksModel(Risks risks, IDirectory directory, ICurrentUser caller) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Level { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? OwnerId { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Likelihood { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Impact { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Residual { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Overdue { get; set; }

    public IReadOnlyList<RiskView> List { get; private set; } = [];

    public IReadOnlyList<HeatCell> RiskMap { get; private set; } = [];

    public IReadOnlyList<HeatCell> OpportunityMap { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public bool CanManage => caller.HasPermission(CompliancePermissions.Manage);

    public bool Filtered => Kind is not null || Level is not null || Status is not null || OwnerId is not null || Likelihood is not null || Impact is not null || Overdue;

    /// <summary>The list's link for one heat-map cell, keeping the map's view.</summary>
    public string CellLink(string kind, HeatCell cell) =>
        $"/compliance/risks?kind={kind}&likelihood={cell.Likelihood}&impact={cell.Impact}{(Residual ? "&residual=true" : "")}#register";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Kind = Kind is "risk" or "opportunity" ? Kind : null;
        Level = Domain.RiskMatrix.ParseLevel(Level) is null ? null : Level;
        Status = Status is "all" or "closed" or "identified" or "treating" or "monitored" ? Status : null;
        Likelihood = Domain.RiskMatrix.IsRating(Likelihood) ? Likelihood : null;
        Impact = Domain.RiskMatrix.IsRating(Impact) ? Impact : null;
        List = await risks.ListAsync(new RiskFilter(Kind, Level, Status, OwnerId, Likelihood, Impact, Residual, Overdue), ct);
        RiskMap = await risks.HeatMapAsync("risk", Residual, ct);
        OpportunityMap = await risks.HeatMapAsync("opportunity", Residual, ct);
        Staff = await directory.StaffAsync(Roles.Staff, ct);
    }
}
