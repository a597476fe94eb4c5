using System.Globalization;
using Certus.Changes.Contracts;
using Certus.Changes.Domain;
using Certus.Changes.Features;
using Certus.Kernel;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Changes.Pages.Changes;

/// <summary>The changes the caller may see, filtered by state, type and text, newest first.</summary>
[RequirePermission(ChangePermissions.Read)]
public sealed class IndexModel(ChangeQueries queries, ICurrentUser caller) : PageModel
{
    public const int PageSize = 25;

    public static IReadOnlyList<string> States { get; } = ChangeNames.Keys<ChangeState>(ChangeNames.Key);

    public static IReadOnlyList<string> Types { get; } = ChangeNames.Keys<ChangeType>(ChangeNames.Key);

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Page<ChangeRow> Result { get; private set; } = new([], 0, 1, PageSize);

    public bool CanRequest => caller.IsProviderStaff && caller.HasPermission(ChangePermissions.Request);

    public bool IsStaff => caller.IsProviderStaff;

    public int Pages => (int)Math.Max(1, (Result.Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Max(1, PageNumber);
        Result = await queries.ListAsync(new ChangeQueries.ListQuery(State, Type, Q, null, PageNumber, PageSize), ct);
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
        Add("type", Type);
        Add("q", Q);
        if (page is > 1)
        {
            Add("page", page.Value.ToString(CultureInfo.InvariantCulture));
        }
        return query.Count == 0 ? "/changes" : "/changes?" + string.Join("&", query);
    }
}
