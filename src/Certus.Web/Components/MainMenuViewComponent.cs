using Certus.Kernel.Modules;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Certus.Web.Components;

/// <summary>The sidebar: the platform's entries and every module's, filtered by the caller's permissions.</summary>
public sealed class MainMenuViewComponent(IEnumerable<IModule> modules, ICurrentUser caller, IStringLocalizerFactory localizers, IStringLocalizer<Strings> text)
    : ViewComponent
{
    public sealed record Item(string Text, string Path, string Icon, bool Active);

    public sealed record Section(string Title, IReadOnlyList<Item> Items);

    public IViewComponentResult Invoke()
    {
        var path = HttpContext.Request.Path.Value ?? "/";
        var entries = new List<(MenuEntry Entry, string Text)>
        {
            (new MenuEntry("Menu.Home", "/", PlatformPermissions.OrganisationsRead, "home", 0), text["Menu.Home"]),
            (new MenuEntry("Menu.Audit", "/audit", PlatformPermissions.AuditRead, "history", 990, "admin"), text["Menu.Audit"]),
        };
        foreach (var module in modules)
        {
            var strings = localizers.Create(module.Strings);
            entries.AddRange(module.Menu.Select(m => (m, strings[m.TextKey].Value)));
        }
        var visible = entries.Where(e => caller.HasPermission(e.Entry.Permission)).ToList();
        // Only the most specific entry is lit: on /compliance/policy, "Policy" rather than "Conformity" (/compliance) too.
        var active = visible.Select(e => e.Entry.Path).Where(p => IsActive(path, p)).OrderByDescending(p => p.Length).FirstOrDefault();
        var sections = visible
            .GroupBy(e => e.Entry.Section, StringComparer.Ordinal)
            .OrderBy(g => SectionOrder(g.Key))
            .Select(g => new Section(text[$"Menu.Section.{g.Key}"], g.OrderBy(e => e.Entry.Order)
                .Select(e => new Item(e.Text, e.Entry.Path, e.Entry.Icon, e.Entry.Path == active))
                .ToList()))
            .ToList();
        return View(sections);
    }

    private static int SectionOrder(string section) => section switch
    {
        "work" => 0,
        "management" => 1,
        _ => 2,
    };

    private static bool IsActive(string current, string path) =>
        path == "/" ? current == "/" : current.StartsWith(path, StringComparison.OrdinalIgnoreCase);
}
