using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Contracts;
using Certus.ServiceLevels.Features;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.ServiceLevels.Pages.EscalationRules;

[RequirePermission(ServiceLevelPermissions.Manage)]
public sealed class IndexModel(Features.EscalationRules rules, Features.Agreements agreements, IDirectory directory) : PageModel
{
    public IReadOnlyList<EscalationRuleView> Rules { get; private set; } = [];

    public IReadOnlyDictionary<Guid, AgreementView> Agreements { get; private set; } = new Dictionary<Guid, AgreementView>();

    public IReadOnlyDictionary<Guid, GroupSummary> Groups { get; private set; } = new Dictionary<Guid, GroupSummary>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Rules = await rules.ListAsync(ct);
        Agreements = (await agreements.ListAsync(ct: ct)).ToDictionary(a => a.Id);
        Groups = await directory.FindGroupsAsync(Rules.Where(r => r.ReassignGroupId is not null).Select(r => r.ReassignGroupId!.Value).Distinct(), ct);
    }
}
