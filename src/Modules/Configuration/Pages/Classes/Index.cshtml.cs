using System.Globalization;
using Certus.Configuration.Contracts;
using Certus.Configuration.Features;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Certus.Configuration.Pages.Classes;

/// <summary>The CI class tree (配置项分类定义表): naming conventions and attributes, inherited ones included.</summary>
[RequirePermission(ConfigurationPermissions.Read)]
public sealed class IndexModel(CiClasses classes, ICurrentUser caller) : PageModel
{
    public IReadOnlyList<ClassView> All { get; private set; } = [];

    public IReadOnlyList<ClassView> Tree { get; private set; } = [];

    public bool CanModel => caller.HasPermission(ConfigurationPermissions.Model);

    public async Task OnGetAsync(CancellationToken ct)
    {
        All = await classes.ListAsync(ct);
        Tree = Show.Tree(All, CultureInfo.CurrentUICulture.Name);
    }

    public int Depth(ClassView c)
    {
        var depth = 0;
        for (var p = c.ParentId; p is { } parent && depth < 10; p = All.FirstOrDefault(x => x.Id == parent)?.ParentId)
        {
            depth++;
        }
        return depth;
    }

    public ClassView? Find(Guid? id) => id is { } i ? All.FirstOrDefault(c => c.Id == i) : null;
}
