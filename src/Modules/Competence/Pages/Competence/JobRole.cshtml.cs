using Certus.Competence.Contracts;
using Certus.Competence.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Competence.Pages.Competence;

/// <summary>One job role: its names, the competences it requires at which level, and who holds it.</summary>
[RequirePermission(CompetencePermissions.Read)]
public sealed class JobRoleModel(Catalogue catalogue, Assessments assessments, Staff staff, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty]
    public Catalogue.JobRoleRequest Input { get; set; } = new(null, null, null, null, null);

    /// <summary>Required level per competence id; blank means not required.</summary>
    [BindProperty]
    public Dictionary<Guid, int?> Levels { get; set; } = [];

    public JobRoleView Role { get; private set; } = null!;

    public IReadOnlyList<CompetenceView> Competences { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    public MatrixView Matrix { get; private set; } = null!;

    public bool CanManage => caller.HasPermission(CompetencePermissions.Manage);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        Input = new Catalogue.JobRoleRequest(Role.Key, Role.NameEn, Role.NameZh, Role.Description, null);
        Levels = Role.Requirements.ToDictionary(r => r.CompetenceId, r => (int?)r.MinLevel);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, int version, CancellationToken ct)
    {
        var requirements = Levels.Where(l => l.Value is not null).Select(l => new Catalogue.RequirementRequest(l.Key, l.Value)).ToList();
        return await HandleAsync(id, async () => (await catalogue.UpdateJobRoleAsync(id, version, Input with { Requirements = requirements }, ct)).Failure, "Input", ct);
    }

    public async Task<IActionResult> OnPostPeopleAsync(Guid id, int version, List<Guid>? userIds, CancellationToken ct) =>
        await HandleAsync(id, async () => (await catalogue.SetPeopleAsync(id, version, new Catalogue.PeopleRequest(userIds ?? []), ct)).Failure, "", ct);

    private async Task<IActionResult> HandleAsync(Guid id, Func<Task<Failure?>> action, string prefix, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        if (await action() is not { } failure)
        {
            TempData["Flash"] = text["Saved"].Value;
            return Redirect($"/competence/job-roles/{id}");
        }
        ModelState.AddOutcome(failure, text, prefix);
        if (prefix.Length == 0 && failure.Fields is { Count: > 0 })
        {
            ModelState.AddModelError(string.Empty, string.Join(" ", failure.Fields.SelectMany(f => f.Value)));
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await catalogue.JobRoleAsync(id, ct) is not { } role)
        {
            return false;
        }
        Role = role;
        Competences = await catalogue.CompetencesAsync(ct);
        Staff = await staff.ActiveAsync(ct);
        Matrix = await assessments.MatrixAsync(id, ct);
        return true;
    }
}
