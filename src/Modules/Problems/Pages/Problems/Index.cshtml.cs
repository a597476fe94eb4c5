using System.Globalization;
using Certus.Kernel;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Certus.Problems.Contracts;
using Certus.Problems.Domain;
using Certus.Problems.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Problems.Pages.Problems;

/// <summary>The problems, newest first, filtered by state, service, priority, known errors only and the caller's own.</summary>
[RequirePermission(ProblemPermissions.Read)]
public sealed class IndexModel(ProblemQueries queries, IEnumerable<IServiceLookup> services, ICurrentUser caller) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Service { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Priority { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool KnownErrors { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Mine { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Page<ProblemRow> Result { get; private set; } = new([], 0, 1, PageSize);

    public IReadOnlyList<ServiceOption> ServiceOptions { get; private set; } = [];

    public bool CanRaise => caller.HasPermission(ProblemPermissions.Raise);

    public int Pages => (int)Math.Max(1, (Result.Total + PageSize - 1) / PageSize);

    /// <summary>The state pills: every open state together, then each state.</summary>
    public static IReadOnlyList<string> States { get; } = ["open", .. ProblemNames.StateKeys];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!caller.IsProviderStaff)
        {
            return Forbid();
        }
        PageNumber = Math.Max(1, PageNumber);
        if (Priority is < 1 or > 5)
        {
            Priority = null;
        }
        Result = await queries.ListAsync(new ProblemQueries.ListQuery(State, Service, Priority, KnownErrors, Mine, Q, PageNumber, PageSize), ct);
        if (services.FirstOrDefault() is { } lookup)
        {
            ServiceOptions = await lookup.ForOrganisationAsync(null, ct);
        }
        return Page();
    }

    /// <summary>This list's address with one filter changed (paging restarts unless the page is what changes).</summary>
    public string Link(string? state = "\0", int? page = null)
    {
        var query = new List<string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Add($"{key}={Uri.EscapeDataString(value)}");
            }
        }
        Add("state", state == "\0" ? State : state);
        Add("service", Service);
        Add("priority", Priority?.ToString(CultureInfo.InvariantCulture));
        Add("knownErrors", KnownErrors ? "true" : null);
        Add("mine", Mine ? "true" : null);
        Add("q", Q);
        if (page is > 1)
        {
            Add("page", page.Value.ToString(CultureInfo.InvariantCulture));
        }
        return query.Count == 0 ? "/problems" : "/problems?" + string.Join("&", query);
    }
}
