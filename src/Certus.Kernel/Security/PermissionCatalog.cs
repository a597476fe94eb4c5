using Certus.Kernel.Modules;

namespace Certus.Kernel.Security;

/// <summary>Every permission the registered modules define, and which roles hold each.</summary>
public sealed class PermissionCatalog
{
    private readonly Dictionary<string, HashSet<string>> _byRole = new(StringComparer.Ordinal);

    public PermissionCatalog(IEnumerable<IModule> modules)
    {
        var all = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var definition in modules.SelectMany(m => m.Permissions))
        {
            all.Add(definition.Key);
            foreach (var role in definition.GrantedTo)
            {
                if (!Roles.IsKnown(role))
                {
                    throw new InvalidOperationException($"Permission {definition.Key} is granted to unknown role {role}.");
                }
                if (!_byRole.TryGetValue(role, out var set))
                {
                    set = new HashSet<string>(StringComparer.Ordinal);
                    _byRole[role] = set;
                }
                set.Add(definition.Key);
            }
        }
        All = all.ToList();
    }

    public IReadOnlyList<string> All { get; }

    public IReadOnlySet<string> For(IEnumerable<string> roles)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            if (_byRole.TryGetValue(role, out var set))
            {
                result.UnionWith(set);
            }
        }
        return result;
    }
}
