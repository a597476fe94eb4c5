using Certus.Incidents.Contracts;
using Certus.Incidents.Features;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Incidents.Pages.Admin;

[RequirePermission(IncidentPermissions.Settings)]
public sealed class IncidentSettingsModel(IncidentSettings settings) : PageModel
{
    private static readonly string[] Levels = ["high", "medium", "low"];

    public IReadOnlyList<CategoryView> Categories { get; private set; } = [];

    public IReadOnlyList<IncidentSettings.MatrixCell> Matrix { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCategoryAsync(IncidentSettings.CategoryRequest request, CancellationToken ct)
    {
        var outcome = await settings.AddCategoryAsync(request, ct);
        if (outcome.Succeeded)
        {
            return RedirectToPage();
        }
        ModelState.AddFailure(outcome.Failure!, prefix: "");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostMatrixAsync(CancellationToken ct)
    {
        var cells = (from impact in Levels
                     from urgency in Levels
                     let value = Request.Form[$"cell_{impact}_{urgency}"].ToString()
                     select new IncidentSettings.MatrixCell(impact, urgency, int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : 0)).ToList();
        var outcome = await settings.SetMatrixAsync(cells, ct);
        if (outcome.Succeeded)
        {
            return RedirectToPage();
        }
        ModelState.AddFailure(outcome.Failure!, prefix: "");
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Categories = await settings.CategoriesAsync(ct);
        Matrix = await settings.MatrixAsync(ct);
    }
}
