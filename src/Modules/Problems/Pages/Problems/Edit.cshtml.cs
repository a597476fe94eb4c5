using Certus.Identity.Contracts;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Certus.Problems.Contracts;
using Certus.Problems.Domain;
using Certus.Problems.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Certus.Problems.Pages.Problems;

/// <summary>Edits what is known of a problem while it is still being worked (problem managers).</summary>
[RequirePermission(ProblemPermissions.Manage)]
public sealed class EditModel(
    RaiseProblem raise, ProblemQueries queries, IDirectory directory, IEnumerable<IServiceLookup> services, IEnumerable<ICiLookup> cis,
    ICurrentUser caller, IStringLocalizer<Strings> text)
    : ProblemFormModel(directory, services, cis, caller, text)
{
    public override bool IsNew => false;

    [BindProperty]
    public int Version { get; set; }

    public ProblemView Problem { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string reference, CancellationToken ct)
    {
        if (await queries.GetAsync(reference, ct) is not { } found)
        {
            return NotFound();
        }
        if (ProblemLifecycle.IsFinished(found.ParsedState))
        {
            return Redirect($"/problems/{found.Number}");
        }
        Problem = found;
        Version = found.Version;
        Input = ProblemInput.From(found);
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string reference, CancellationToken ct)
    {
        if (await queries.GetAsync(reference, ct) is not { } found)
        {
            return NotFound();
        }
        Problem = found;
        Input.SourceKind = found.SourceKind;
        Input.SourceRef = found.SourceRef;
        if (!Caller.HasPermission(ProblemPermissions.Manage))
        {
            return Forbid();
        }
        return await AfterAsync(await raise.UpdateAsync(found.Id, Version, Input.ToRequest(false), ct), ct);
    }
}
