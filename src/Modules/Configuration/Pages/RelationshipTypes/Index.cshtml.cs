using Certus.Configuration.Contracts;
using Certus.Configuration.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Configuration.Pages.RelationshipTypes;

/// <summary>Relationship types: their names both ways, how a failure spreads along them, and which classes they join.</summary>
[RequirePermission(ConfigurationPermissions.Read)]
public sealed class IndexModel(Features.RelationshipTypes types, CiClasses classes, ICurrentUser caller) : PageModel
{
    public IReadOnlyList<RelationshipTypeView> Types { get; private set; } = [];

    public IReadOnlyList<ClassView> Classes { get; private set; } = [];

    public bool CanModel => caller.HasPermission(ConfigurationPermissions.Model);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Types = await types.ListAsync(ct);
        Classes = await classes.ListAsync(ct);
    }

    public string ClassName(Guid? id, string culture, string any) =>
        id is { } c ? Classes.FirstOrDefault(x => x.Id == c)?.Name(culture) ?? c.ToString() : any;
}
