using Certus.Changes.Contracts;
using Certus.Releases.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Releases.Pages.Releases;

/// <summary>The release form as posted: lists as lines of text, times as <c>datetime-local</c> values.</summary>
public sealed class ReleaseInput
{
    public string? ServiceCode { get; set; }
    public string? Type { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? PlannedStart { get; set; }
    public string? PlannedEnd { get; set; }
    public string? Deliverables { get; set; }
    public string? SiteActivities { get; set; }
    public string? BackOutPlan { get; set; }
    public string? AcceptanceCriteria { get; set; }
    public string? Communication { get; set; }
    public string? Risks { get; set; }
    public string? ProblemsClosed { get; set; }

    /// <summary>Change numbers, one per line.</summary>
    public string? Changes { get; set; }

    /// <summary>One CI per line: its identifier or name, a bar, and the version it is released in (<c>APP-000004 | 3.3.0</c>).</summary>
    public string? Items { get; set; }

    public string? Reason { get; set; }

    public IReadOnlyList<PlanRelease.ItemInput> ParsedItems() =>
        [.. Show.Lines(Items).Select(line =>
        {
            var bar = line.LastIndexOf('|');
            if (bar >= 0)
            {
                return new PlanRelease.ItemInput(line[..bar].Trim(), line[(bar + 1)..].Trim());
            }
            var space = line.LastIndexOf(' ');
            return space > 0 ? new PlanRelease.ItemInput(line[..space].Trim(), line[(space + 1)..].Trim()) : new PlanRelease.ItemInput(line, null);
        })];

    public static ReleaseInput From(ReleaseView r) => new()
    {
        ServiceCode = r.ServiceCode, Type = r.Type, Title = r.Title, Description = r.Description, PlannedStart = Show.Input(r.PlannedStart),
        PlannedEnd = Show.Input(r.PlannedEnd), Deliverables = r.Deliverables, SiteActivities = r.SiteActivities, BackOutPlan = r.BackOutPlan,
        AcceptanceCriteria = r.AcceptanceCriteria, Communication = r.Communication, Risks = r.Risks, ProblemsClosed = r.ProblemsClosed,
        Changes = string.Join("\n", r.Changes.Select(c => c.ChangeNumber)),
        Items = string.Join("\n", r.Items.Select(i => $"{i.Identifier} | {i.VersionLabel}")),
    };
}

/// <summary>What the new and edit pages share: the input, the policies to choose from and the authorised changes to pick.</summary>
public abstract class ReleaseFormPage(IChangeRecords changes) : PageModel
{
    [BindProperty]
    public ReleaseInput Input { get; set; } = new();

    public IReadOnlyList<PolicyView> Policies { get; protected set; } = [];

    public IReadOnlyList<ChangeFacts> Authorised { get; private set; } = [];

    /// <summary>True on the new-release page; the edit page keeps the service and type.</summary>
    public abstract bool IsNew { get; }

    /// <summary>False once the build started: the changes and CIs are then fixed.</summary>
    public virtual bool ContentEditable => true;

    /// <summary>The messages of every field whose key starts with <paramref name="prefix"/>, so list items' errors show under their textarea.</summary>
    public string? Errors(string prefix)
    {
        var messages = ModelState.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) && e.Value is { Errors.Count: > 0 })
            .SelectMany(e => e.Value!.Errors.Select(x => x.ErrorMessage)).ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    protected async Task LoadChoicesAsync(CancellationToken ct) => Authorised = await changes.AuthorisedAsync(null, 50, ct);
}
