using Certus.Competence.Contracts;
using Certus.Competence.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Certus.Kernel.Text;

namespace Certus.Competence.Pages.Competence;

/// <summary>The course catalogue and a new course.</summary>
[RequirePermission(CompetencePermissions.Read)]
public sealed class CoursesModel(Courses courses, Sessions sessions, ICurrentUser caller, IStringLocalizer<Strings> text, TimeProvider clock) : PageModel
{
    [BindProperty]
    public Courses.Request Input { get; set; } = new(null, null, null, null, "internal", null, null, null, null, null, null, null, null);

    public IReadOnlyList<CourseView> All { get; private set; } = [];

    public ILookup<Guid, SessionView> SessionsByCourse { get; private set; } = Array.Empty<SessionView>().ToLookup(s => s.CourseId);

    public bool CanManage => caller.HasPermission(CompetencePermissions.Manage);

    public string Today { get; } = CalendarDates.Day(clock.GetUtcNow());

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await courses.CreateAsync(Input with { Competences = [] }, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/competence/courses/{outcome.Value!.Id}");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        All = await courses.ListAsync(ct);
        SessionsByCourse = (await sessions.ListAsync(null, null, ct)).ToLookup(s => s.CourseId);
    }
}
