namespace Certus.Releases.Contracts;

/// <summary>
/// A panel another module shows on the release page (problem management: the problems and known errors the release's
/// changes fix, manual §9.1.2 and §9.1.7). Any number may be registered; the page renders each in <see cref="Order"/>.
/// </summary>
public interface IReleasePanel
{
    /// <summary>
    /// The view component to render; invoked with <c>releaseId</c> (Guid) and <c>changeIds</c>
    /// (<c>IReadOnlyList&lt;Guid&gt;</c>, the changes the release groups). The page has already checked that the caller may see the release; the component checks its own module's permissions and
    /// renders nothing when it has nothing to say.
    /// </summary>
    string Component { get; }

    /// <summary>Where the panel goes, below the release's changes, lowest first.</summary>
    int Order { get; }
}
