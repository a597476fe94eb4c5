using System.Globalization;
using Certus.Configuration.Contracts;
using Certus.Configuration.Domain;
using Certus.Configuration.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Configuration.Pages.Cmdb;

/// <summary>The CMDB: configuration items filtered by class (with subclasses), status, text and, for staff, customer.</summary>
[RequirePermission(ConfigurationPermissions.Read)]
public sealed class IndexModel(ConfigurationItems items, CiClasses classes, IDirectory directory, ICurrentUser caller) : PageModel
{
    public const int PageSize = 25;

    public static IReadOnlyList<string> Statuses { get; } = [.. Enum.GetValues<CiStatus>().Select(s => s.Key())];

    [BindProperty(SupportsGet = true)]
    public string? Class { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? Customer { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public ConfigurationItems.ListResult Result { get; private set; } = new([], 0);

    /// <summary>How many CIs each status holds under the other filters.</summary>
    public IReadOnlyDictionary<string, int> StatusCounts { get; private set; } = new Dictionary<string, int>(StringComparer.Ordinal);

    public int AllStatusesCount { get; private set; }

    public IReadOnlyList<ClassView> Classes { get; private set; } = [];

    public IReadOnlyList<OrganisationSummary> Customers { get; private set; } = [];

    public bool IsStaff => caller.IsProviderStaff;

    public bool CanManage => caller.HasPermission(ConfigurationPermissions.Manage);

    public int Pages => Math.Max(1, (Result.Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Max(1, PageNumber);
        var customer = IsStaff ? Customer : null;
        Result = await items.ListAsync(new ConfigurationItems.ListQuery(Class, Status, Q, customer, null, PageNumber, PageSize), ct);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in Statuses)
        {
            counts[s] = (await items.ListAsync(new ConfigurationItems.ListQuery(Class, s, Q, customer, null, 1, 1), ct)).Total;
        }
        StatusCounts = counts;
        AllStatusesCount = counts.Values.Sum();
        Classes = Show.Tree(await classes.ListAsync(ct), CultureInfo.CurrentUICulture.Name);
        if (IsStaff)
        {
            Customers = [.. (await directory.OrganisationsAsync(ct)).Where(o => o.Kind == OrganisationKind.Customer)];
        }
    }

    /// <summary>This list's address with one filter changed (paging restarts unless the page is what changes).</summary>
    public string Link(string? status = "\0", int? page = null)
    {
        var query = new List<string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Add($"{key}={Uri.EscapeDataString(value)}");
            }
        }
        Add("class", Class);
        Add("status", status == "\0" ? Status : status);
        Add("q", Q);
        Add("customer", Customer?.ToString());
        if (page is > 1)
        {
            Add("page", page.Value.ToString(CultureInfo.InvariantCulture));
        }
        return query.Count == 0 ? "/cmdb" : "/cmdb?" + string.Join("&", query);
    }
}
