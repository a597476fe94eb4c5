using Microsoft.Extensions.DependencyInjection;

namespace Certus.Kernel.Security;

/// <summary>Marks a DI scope as running on behalf of the system rather than a person.</summary>
public sealed class SystemScope
{
    public bool Active { get; private set; }

    internal void Activate() => Active = true;
}

public static class Callers
{
    /// <summary>Lets the use cases resolved from <paramref name="scope"/> act as the system (audit actor "system", no organisation filter).</summary>
    public static IServiceProvider ActAsSystem(this IServiceProvider scope)
    {
        scope.GetRequiredService<SystemScope>().Activate();
        return scope;
    }
}
