using System.Security.Claims;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Http;

namespace Certus.Identity.Infrastructure;

/// <summary>
/// The caller of the current HTTP request, read from its principal; or, in a scope that work with no person
/// behind it runs in (start-up, the CLI, jobs), the system once <see cref="Callers.ActAsSystem"/> said so.
/// Without either, the caller is anonymous and sees nothing.
/// </summary>
internal sealed class CurrentUser(IHttpContextAccessor accessor, PermissionCatalog catalog, SystemScope system) : ICurrentUser
{
    private static readonly SystemCaller System = new();

    private IReadOnlySet<string>? _roles;
    private IReadOnlySet<string>? _permissions;

    private ClaimsPrincipal? Principal => accessor.HttpContext?.User;

    private bool IsSystem => system.Active && accessor.HttpContext is null;

    public bool IsAuthenticated => !IsSystem && Principal?.Identity?.IsAuthenticated == true && Principal.FindFirst(IdentityClaims.OrganisationId) is not null;

    public Guid UserId => Guid.TryParse(Principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : Guid.Empty;

    public string DisplayName => IsSystem ? System.DisplayName : Principal?.FindFirstValue(IdentityClaims.DisplayName) ?? "";

    public Guid OrganisationId => Guid.TryParse(Principal?.FindFirstValue(IdentityClaims.OrganisationId), out var id) ? id : Guid.Empty;

    public bool IsProviderStaff => IsSystem
        || (IsAuthenticated && string.Equals(Principal!.FindFirstValue(IdentityClaims.OrganisationKind), OrganisationKinds.Provider, StringComparison.Ordinal));

    public IReadOnlySet<string> Roles => _roles ??= IsAuthenticated
        ? Principal!.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal)
        : new HashSet<string>(StringComparer.Ordinal);

    public bool HasPermission(string permission)
    {
        if (IsSystem)
        {
            return true;
        }
        _permissions ??= catalog.For(Roles);
        return _permissions.Contains(permission);
    }
}

/// <summary>The caller for work that no person started: start-up, the CLI, scheduled jobs.</summary>
public sealed class SystemCaller : ICurrentUser
{
    public bool IsAuthenticated => false;
    public Guid UserId => Guid.Empty;
    public string DisplayName => "system";
    public Guid OrganisationId => Guid.Empty;
    public bool IsProviderStaff => true;
    public IReadOnlySet<string> Roles { get; } = new HashSet<string>(StringComparer.Ordinal);
    public bool HasPermission(string permission) => true;
}
