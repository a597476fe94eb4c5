using Certus.Competence.Contracts;
using Certus.Competence.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Certus.Kernel.Text;

namespace Certus.Competence.Pages.Competence;

/// <summary>The year's performance reviews, who still has none, and a new review.</summary>
[RequirePermission(CompetencePermissions.Read)]
public sealed class ReviewsModel(PerformanceReviews reviews, Catalogue catalogue, Courses courses, Staff staff, ICurrentUser caller, IStringLocalizer<Strings> text, TimeProvider clock)
    : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Year { get; set; }

    [BindProperty]
    public PerformanceReviews.Request Input { get; set; } = new(null, null, null, null, null, null, null, null);

    public IReadOnlyList<ReviewView> All { get; private set; } = [];

    /// <summary>People holding job roles with no review of the year yet.</summary>
    public IReadOnlyList<RolePersonView> Missing { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public IReadOnlyList<CourseView> CourseList { get; private set; } = [];

    public IReadOnlyList<int> Years { get; private set; } = [];

    public bool CanManage => caller.HasPermission(CompetencePermissions.Manage);

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Input = Input with { Year = Year };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await reviews.CreateAsync(Input, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/competence/reviews/{outcome.Value!.Id}");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        Year = Input.Year ?? Year;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var thisYear = CalendarDates.Year(clock.GetUtcNow());
        Year ??= thisYear;
        var everything = await reviews.ListAsync(null, null, ct);
        All = [.. everything.Where(r => r.Year == Year)];
        Years = [.. everything.Select(r => r.Year).Append(thisYear).Append(thisYear - 1).Distinct().OrderDescending()];
        Missing = [.. (await catalogue.JobRolesAsync(ct)).SelectMany(r => r.People).Where(p => p.IsActive).DistinctBy(p => p.UserId)
            .Where(p => All.All(r => r.UserId != p.UserId)).OrderBy(p => p.Name, StringComparer.Ordinal)];
        Staff = await staff.ActiveAsync(ct);
        CourseList = await courses.ListAsync(ct);
    }
}
