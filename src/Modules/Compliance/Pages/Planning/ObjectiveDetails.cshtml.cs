using System.Globalization;
using System.Text.Json;
using Certus.Compliance.Contracts;
using Certus.Compliance.Features;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Compliance.Pages.Planning;

/// <summary>One objective: its value this period against the target, the trend, the records behind the value, the plan, readings and history.</summary>
[RequirePermission(CompliancePermissions.PlanningRead)]
public sealed class ObjectiveDetailsModel(Objectives objectives, ObjectiveValues values, AuditQueries history, ICurrentUser caller, IStringLocalizer<PlanningStrings> text)
    : PageModel
{
    public ObjectiveView Objective { get; private set; } = null!;

    public IReadOnlyList<AuditEntry> History { get; private set; } = [];

    public bool CanManage => caller.HasPermission(CompliancePermissions.Manage);

    public bool CanRecord => Objective.IsManual && Objective.Status == "active" && (CanManage || Objective.OwnerId == caller.ActorId);

    [BindProperty]
    public Objectives.ReadingRequest Reading { get; set; } = new(null, null, null);

    public string Today => values.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The trend for the chart: period labels, values and the target, as JSON in a data attribute (no inline script).</summary>
    public string TrendJson => JsonSerializer.Serialize(new
    {
        labels = Objective.Trend!.Select(t => t.Label),
        values = Objective.Trend!.Select(t => t.Value),
        targets = Objective.Trend!.Select(t => t.Target),
        name = Objective.MeasureTitle,
        targetName = text["Objective.Target"].Value,
        unit = Objective.Unit ?? "",
    });

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostReadingAsync(Guid id, CancellationToken ct)
    {
        var outcome = await objectives.RecordReadingAsync(id, Reading, ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/compliance/objectives/{id}");
        }
        if (outcome.Failure!.Kind == FailureKind.Forbidden)
        {
            return Forbid();
        }
        ModelState.AddOutcome(outcome.Failure, text, "Reading");
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostMoveAsync(Guid id, int version, string? move, string? reason, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }
        var outcome = await objectives.MoveAsync(id, version, new Objectives.MoveRequest(move, reason), ct);
        if (outcome.Succeeded)
        {
            return Redirect($"/compliance/objectives/{id}");
        }
        ModelState.AddOutcome(outcome.Failure!, text, "");
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await objectives.GetAsync(id, withValues: true, ct) is not { } found)
        {
            return false;
        }
        Objective = found;
        History = await history.HistoryAsync(Objectives.RecordType, id.ToString("D"), ct);
        return true;
    }
}
