using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Certus.ServiceLevels.Pages.EscalationRules;

/// <summary>Creates a rule (<c>/service-levels/escalation-rules/new</c>) or edits one.</summary>
[RequirePermission(ServiceLevelPermissions.Manage)]
public sealed class EditModel(Features.EscalationRules rules, Features.Agreements agreements, IDirectory directory, IStringLocalizer<Strings> text) : PageModel
{
    [BindProperty]
    public Features.EscalationRules.Request Input { get; set; } = new(null, null, "any", "breach", 5, true, true, false, null, false, true);

    [BindProperty]
    public int Version { get; set; }

    public Guid? RuleId { get; private set; }

    public IReadOnlyList<AgreementView> Agreements { get; private set; } = [];

    public IReadOnlyList<GroupSummary> Groups { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (id != "new")
        {
            if (!Guid.TryParse(id, out var ruleId) || await rules.GetAsync(ruleId, ct) is not { } r)
            {
                return NotFound();
            }
            RuleId = ruleId;
            Version = r.Version;
            Input = new Features.EscalationRules.Request(r.Name, r.AgreementId, r.Metric, r.Level, r.MinPriority, r.NotifyAssignee, r.NotifyGroupLead,
                r.NotifyServiceOwner, r.ReassignGroupId, r.RaisePriority, r.IsActive);
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        Guid? ruleId = null;
        if (id != "new")
        {
            if (!Guid.TryParse(id, out var parsed))
            {
                return NotFound();
            }
            ruleId = parsed;
        }
        RuleId = ruleId;
        if (ModelState.IsValid)
        {
            // Unticked boxes post nothing: they mean false, not "leave as it was".
            var request = Input with
            {
                NotifyAssignee = Input.NotifyAssignee == true, NotifyGroupLead = Input.NotifyGroupLead == true,
                NotifyServiceOwner = Input.NotifyServiceOwner == true, RaisePriority = Input.RaisePriority == true, IsActive = Input.IsActive == true,
            };
            var outcome = ruleId is { } existing ? await rules.UpdateAsync(existing, Version, request, ct) : await rules.CreateAsync(request, ct);
            if (outcome.Succeeded)
            {
                return Redirect("/service-levels/escalation-rules");
            }
            if (outcome.Failure!.Kind == FailureKind.NotFound)
            {
                return NotFound();
            }
            ModelState.AddOutcome(outcome.Failure, text);
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Agreements = await agreements.ListAsync(ct: ct);
        Groups = await directory.ProviderGroupsAsync(ct);
    }
}
