using Certus.Changes.Contracts;
using Certus.Changes.Domain;
using Certus.Changes.Features;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.Changes.Pages.Settings;

/// <summary>What the settings pages share: the refusal on the form, the flash after a save.</summary>
public abstract class SettingsPage(IStringLocalizer<Strings> text) : PageModel
{
    protected IStringLocalizer<Strings> Text => text;

    /// <summary>After a save: back to the page with a message, or the page again with the errors.</summary>
    protected async Task<IActionResult> AfterAsync<T>(Outcome<T> outcome, string page, Func<Task> reload, string prefix = "Input")
    {
        if (outcome.Succeeded)
        {
            TempData["Flash"] = text["Settings.Saved"].Value;
            return Redirect(page);
        }
        if (outcome.Failure!.Kind == FailureKind.NotFound)
        {
            return NotFound();
        }
        ModelState.AddOutcome(outcome.Failure, text, prefix);
        await reload();
        return Page();
    }
}

/// <summary>The change advisory boards: approval rule, member role and named members.</summary>
[RequirePermission(ChangePermissions.Configure)]
public sealed class BoardsModel(ChangeSettings settings, IDirectory directory, IStringLocalizer<Strings> text) : SettingsPage(text)
{
    public IReadOnlyList<Board> Boards { get; private set; } = [];

    public IReadOnlyList<UserSummary> Staff { get; private set; } = [];

    /// <summary>The board whose form failed.</summary>
    public Guid? Failed { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(Guid id, int version, string? approvalMode, int? quorum, string? memberRole, List<Guid>? memberIds, CancellationToken ct)
    {
        Failed = id;
        return await AfterAsync(await settings.UpdateBoardAsync(id, version, new ChangeSettings.BoardRequest(approvalMode, quorum, memberRole, memberIds ?? []), ct),
            "/changes/settings/boards", () => LoadAsync(ct), "");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Boards = await settings.BoardsAsync(ct);
        Staff = await directory.StaffAsync(Roles.Staff, ct);
    }
}

/// <summary>A risk question as the form holds it, with up to five scored answers.</summary>
public sealed class QuestionInput
{
    public string? Key { get; set; }
    public int? Position { get; set; }
    public string? TextEn { get; set; }
    public string? TextZh { get; set; }
    public bool Active { get; set; } = true;
    public List<AnswerInput> Answers { get; set; } = [];
}

public sealed class AnswerInput
{
    public string? Key { get; set; }
    public string? En { get; set; }
    public string? Zh { get; set; }
    public int? Score { get; set; }
}

/// <summary>The risk questionnaire and the scale turning its score into a level.</summary>
[RequirePermission(ChangePermissions.Configure)]
public sealed class RiskModel(ChangeSettings settings, IStringLocalizer<Strings> text) : SettingsPage(text)
{
    public const int AnswerRows = 5;

    public IReadOnlyList<RiskQuestion> Questions { get; private set; } = [];

    public RiskScale Scale { get; private set; } = RiskScale.Default;

    [BindProperty]
    public QuestionInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public Guid? Edit { get; set; }

    public RiskQuestion? Editing => Questions.FirstOrDefault(q => q.Id == Edit);

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Editing is { } q)
        {
            Input = new QuestionInput
            {
                Key = q.Key, Position = q.Position, TextEn = q.TextEn, TextZh = q.TextZh, Active = q.Active,
                Answers = [.. q.Answers.Select(a => new AnswerInput { Key = a.Key, En = a.En, Zh = a.Zh, Score = a.Score })],
            };
        }
        Pad();
    }

    public async Task<IActionResult> OnPostAsync(int? version, CancellationToken ct)
    {
        var answers = Input.Answers.Where(a => !string.IsNullOrWhiteSpace(a.Key))
            .Select(a => new RiskAnswer(a.Key!.Trim(), a.En?.Trim() ?? "", a.Zh?.Trim() ?? "", a.Score ?? 0)).ToList();
        var request = new ChangeSettings.QuestionRequest(Input.Key, Input.Position, Input.TextEn, Input.TextZh, answers, Input.Active);
        return await AfterAsync(await settings.SaveQuestionAsync(Edit, Edit is null ? null : version, request, ct), "/changes/settings/risk", async () =>
        {
            await LoadAsync(ct);
            Pad();
        });
    }

    public async Task<IActionResult> OnPostScaleAsync(int mediumFrom, int highFrom, int veryHighFrom, CancellationToken ct) =>
        await AfterAsync(await settings.SaveScaleAsync(new RiskScale(mediumFrom, highFrom, veryHighFrom), ct), "/changes/settings/risk", async () =>
        {
            await LoadAsync(ct);
            Pad();
        }, "");

    private async Task LoadAsync(CancellationToken ct)
    {
        Questions = await settings.QuestionsAsync(false, ct);
        Scale = await settings.ScaleAsync(ct);
    }

    private void Pad()
    {
        while (Input.Answers.Count < AnswerRows)
        {
            Input.Answers.Add(new AnswerInput());
        }
    }
}

/// <summary>The standard (pre-authorised) change templates.</summary>
[RequirePermission(ChangePermissions.Configure)]
public sealed class TemplatesModel(ChangeSettings settings, IStringLocalizer<Strings> text) : SettingsPage(text)
{
    public IReadOnlyList<ChangeTemplate> Templates { get; private set; } = [];

    [BindProperty]
    public ChangeSettings.TemplateRequest Input { get; set; } = new(null, null, "low", null, null, null, true);

    [BindProperty(SupportsGet = true)]
    public Guid? Edit { get; set; }

    public ChangeTemplate? Editing => Templates.FirstOrDefault(t => t.Id == Edit);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Templates = await settings.TemplatesAsync(false, ct);
        if (Editing is { } t)
        {
            Input = new(t.Name, t.Description, t.RiskLevel, t.ImplementationPlan, t.BackoutPlan, t.TestPlan, t.Active);
        }
    }

    public async Task<IActionResult> OnPostAsync(int? version, CancellationToken ct) =>
        await AfterAsync(await settings.SaveTemplateAsync(Edit, Edit is null ? null : version, Input, ct), "/changes/settings/templates",
            async () => Templates = await settings.TemplatesAsync(false, ct));
}

/// <summary>A window as the form holds it (local times).</summary>
public sealed class WindowInput
{
    public string? Kind { get; set; } = "freeze";
    public string? Name { get; set; }
    public DateTime? StartsAt { get; set; }
    public DateTime? EndsAt { get; set; }
    public string? ServiceCode { get; set; }
    public string? Note { get; set; }
}

/// <summary>Freeze and maintenance windows: the current and coming ones, add, remove with a reason.</summary>
[RequirePermission(ChangePermissions.Configure)]
public sealed class WindowsModel(ChangeSettings settings, IEnumerable<IServiceLookup> services, TimeProvider clock, IStringLocalizer<Strings> text) : SettingsPage(text)
{
    public IReadOnlyList<ScheduleWindow> Windows { get; private set; } = [];

    public IReadOnlyList<ServiceOption>? ServiceOptions { get; private set; }

    [BindProperty]
    public WindowInput Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct) =>
        await AfterAsync(await settings.SaveWindowAsync(null, null, new ChangeSettings.WindowRequest(
                Input.Kind, Input.Name, Show.Instant(Input.StartsAt), Show.Instant(Input.EndsAt), Input.ServiceCode, Input.Note), ct),
            "/changes/settings/windows", () => LoadAsync(ct));

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, string? reason, CancellationToken ct) =>
        await AfterAsync(await settings.DeleteWindowAsync(id, reason, ct), "/changes/settings/windows", () => LoadAsync(ct), "Delete");

    private async Task LoadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Windows = await settings.WindowsAsync(now.AddDays(-30), now.AddYears(3), ct);
        if (services.FirstOrDefault() is { } lookup)
        {
            ServiceOptions = await lookup.ForOrganisationAsync(null, ct);
        }
    }
}
