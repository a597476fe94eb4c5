namespace Certus.Kernel.Lookups;

/// <summary>A configuration item a ticket may name: its identifier, name and class in the caller's language.</summary>
/// <param name="Identifier">The CI's identifier tickets store, such as <c>SRV-000012</c>.</param>
/// <param name="Name">The CI's name, such as <c>sh-web-01</c>.</param>
/// <param name="ClassName">Its class in the current UI language, such as <c>Server</c>.</param>
public sealed record CiOption(string Identifier, string Name, string ClassName);

/// <summary>
/// Lists the configuration items tickets can name, for pickers. Implemented by configuration management; a module
/// that uses it keeps working with free text when none is registered.
/// </summary>
public interface ICiLookup
{
    /// <summary>
    /// CIs that are not disposed or cancelled whose identifier or name contains <paramref name="search"/> (all when it
    /// is empty), ordered by identifier, at most <paramref name="limit"/>. A customer caller only ever gets the CIs
    /// serving their own organisation.
    /// </summary>
    Task<IReadOnlyList<CiOption>> SuggestAsync(string? search, int limit, CancellationToken ct);
}
