using Certus.Competence.Contracts;
using Certus.Competence.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Competence.Pages.Competence;

/// <summary>One course: its details and the competences it develops, its sessions, and a new session.</summary>
[RequirePermission(CompetencePermissions.Read)]
public sealed class CourseModel(Courses courses, Sessions sessions, Catalogue catalogue, Staff staff, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty]
    public Courses.Request Input { get; set; } = new(null, null, null, null, null, null, null, null, null, null, null, null, null);

    /// <summary>Level a pass brings, per competence id; blank means the course does not develop it.</summary>
    [BindProperty]
    public Dictionary<Guid, int?> Levels { get; set; } = [];

    [BindProperty]
    public Sessions.Request Session { get; set; } = new(null, null, null, null, null, true, null, null);

    public CourseView Course { get; private set; } = null!;

    public IReadOnlyList<SessionView> CourseSessions { get; private set; } = [];

    public IReadOnlyList<CompetenceView> Competences { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public bool CanManage => caller.HasPermission(CompetencePermissions.Manage);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        var c = Course;
        Input = new Courses.Request(c.Code, c.TitleEn, c.TitleZh, c.Description, c.Kind, c.Provider, c.Hours, c.Awareness, c.HasExam, c.PassMark, c.CertificateName,
            c.CertificateMonths, null);
        Levels = c.Competences.ToDictionary(x => x.CompetenceId, x => (int?)x.Level);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, int version, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var developed = Levels.Where(l => l.Value is not null).Select(l => new Courses.CompetenceLevel(l.Key, l.Value)).ToList();
        var outcome = await courses.UpdateAsync(id, version, Input with { Competences = developed }, ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Saved"].Value;
            return Redirect($"/competence/courses/{id}");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostSessionAsync(Guid id, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await sessions.CreateAsync(Session with { CourseId = id }, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/competence/sessions/{outcome.Value!.Id}");
        }
        ModelState.AddOutcome(outcome.Failure!, text, "Session");
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        var c = Course;
        Input = new Courses.Request(c.Code, c.TitleEn, c.TitleZh, c.Description, c.Kind, c.Provider, c.Hours, c.Awareness, c.HasExam, c.PassMark, c.CertificateName,
            c.CertificateMonths, null);
        Levels = c.Competences.ToDictionary(x => x.CompetenceId, x => (int?)x.Level);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await courses.GetAsync(id, ct) is not { } course)
        {
            return false;
        }
        Course = course;
        CourseSessions = [.. (await sessions.ListAsync(null, id, ct)).OrderByDescending(s => s.StartsOn, StringComparer.Ordinal)];
        Competences = await catalogue.CompetencesAsync(ct);
        Staff = await staff.ActiveAsync(ct);
        return true;
    }
}
