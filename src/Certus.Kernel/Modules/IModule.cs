using System.Reflection;
using Certus.Kernel.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Kernel.Modules;

/// <summary>
/// One ISO 20000 process (or platform capability) packaged as a vertical slice. The host lists modules
/// explicitly; nothing is discovered by reflection.
/// </summary>
public interface IModule
{
    /// <summary>Short stable name, used in logs, migrations and the architecture tests.</summary>
    string Name { get; }

    /// <summary>Prefix every table of the module carries, such as <c>inc_</c>.</summary>
    string TablePrefix { get; }

    /// <summary>The assembly holding the module's embedded migration scripts and pages.</summary>
    Assembly Assembly => GetType().Assembly;

    /// <summary>Permissions the module defines and the default roles that hold each.</summary>
    IReadOnlyList<PermissionDefinition> Permissions { get; }

    /// <summary>The marker type of the module's string resources (menu labels, messages).</summary>
    Type Strings { get; }

    /// <summary>Entries the module adds to the main menu.</summary>
    IReadOnlyList<MenuEntry> Menu => [];

    /// <summary>View components the home page shows for this module (each decides what the caller may see).</summary>
    IReadOnlyList<string> HomeWidgets => [];

    void AddServices(IServiceCollection services, IConfiguration configuration);

    void MapEndpoints(IEndpointRouteBuilder endpoints);
}

/// <summary>A link in the main menu, shown only to callers holding <see cref="Permission"/>.</summary>
/// <param name="TextKey">Resource key of the label, looked up in the module's strings.</param>
/// <param name="Path">Page path.</param>
/// <param name="Permission">Permission required to see the entry.</param>
/// <param name="Icon">Tabler icon name.</param>
/// <param name="Order">Position in the menu.</param>
/// <param name="Section">Menu section: <c>work</c>, <c>management</c> or <c>admin</c>.</param>
public sealed record MenuEntry(string TextKey, string Path, string Permission, string Icon, int Order, string Section = "work");
