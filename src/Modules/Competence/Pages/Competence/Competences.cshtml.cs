using Certus.Competence.Contracts;
using Certus.Competence.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Competence.Pages.Competence;

/// <summary>The competence catalogue, with a form to add a competence or change one (?edit=id).</summary>
[RequirePermission(CompetencePermissions.Read)]
public sealed class CompetencesModel(Catalogue catalogue, ICurrentUser caller, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid? Edit { get; set; }

    [BindProperty]
    public Catalogue.CompetenceRequest Input { get; set; } = new(null, null, null, null, "technical");

    [BindProperty]
    public int Version { get; set; }

    public IReadOnlyList<CompetenceView> All { get; private set; } = [];

    public bool CanManage => caller.HasPermission(CompetencePermissions.Manage);

    public async Task OnGetAsync(CancellationToken ct)
    {
        All = await catalogue.CompetencesAsync(ct);
        if (All.FirstOrDefault(c => c.Id == Edit) is { } c)
        {
            Input = new Catalogue.CompetenceRequest(c.Key, c.NameEn, c.NameZh, c.Description, c.Category);
            Version = c.Version;
        }
        else
        {
            Edit = null;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = Edit is { } id ? await catalogue.UpdateCompetenceAsync(id, Version, Input, ct) : await catalogue.CreateCompetenceAsync(Input, ct);
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Saved"].Value;
            return Redirect("/competence/competences");
        }
        ModelState.AddOutcome(outcome.Failure!, text);
        All = await catalogue.CompetencesAsync(ct);
        return Page();
    }
}
