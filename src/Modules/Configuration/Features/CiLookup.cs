using Certus.Kernel.Lookups;

namespace Certus.Configuration.Features;

/// <summary>The CMDB's answer to other modules' CI pickers (the incident form's CI field).</summary>
public sealed class CiLookup(ConfigurationItems items) : ICiLookup
{
    public Task<IReadOnlyList<CiOption>> SuggestAsync(string? search, int limit, CancellationToken ct) => items.SuggestAsync(search, limit, ct);
}
