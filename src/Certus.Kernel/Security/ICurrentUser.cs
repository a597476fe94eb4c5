namespace Certus.Kernel.Security;

/// <summary>
/// The caller of the current request. Every query that reads customer records filters through
/// <see cref="VisibleOrganisationId"/>; that is the single place organisation scoping is decided.
/// </summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }

    Guid UserId { get; }

    string DisplayName { get; }

    Guid OrganisationId { get; }

    /// <summary>True when the caller belongs to the service provider rather than a customer.</summary>
    bool IsProviderStaff { get; }

    IReadOnlySet<string> Roles { get; }

    bool HasPermission(string permission);

    /// <summary>
    /// The organisation whose records the caller may see, or <c>null</c> when the caller is provider staff
    /// and sees every organisation.
    /// </summary>
    Guid? VisibleOrganisationId => IsProviderStaff ? null : OrganisationId;

    /// <summary>True when a record owned by <paramref name="organisationId"/> is visible to the caller.</summary>
    bool CanSee(Guid organisationId) => VisibleOrganisationId is not { } own || own == organisationId;

    /// <summary>Who a record names as having made a change: the user, or null for work Certus does itself.</summary>
    Guid? ActorId => IsAuthenticated ? UserId : null;

    /// <summary>The name a record shows for who made a change: the user's, or <c>system</c>.</summary>
    string ActorName => IsAuthenticated ? DisplayName : "system";
}
