using Certus.Identity.Contracts;
using Certus.Kernel.Security;

namespace Certus.Competence.Features;

/// <summary>The provider's people, as the Identity module lets other modules see them.</summary>
public sealed class Staff(IDirectory directory)
{
    /// <summary>Active members of the provider's staff, for pickers.</summary>
    public Task<IReadOnlyList<UserSummary>> ActiveAsync(CancellationToken ct) => directory.StaffAsync(Roles.Staff, ct);

    /// <summary>True for an active user of the provider (customers' users have no training record here).</summary>
    public async Task<bool> IsStaffAsync(Guid userId, CancellationToken ct) =>
        await directory.FindUserAsync(userId, ct) is { IsActive: true } user
        && (await directory.FindOrganisationAsync(user.OrganisationId, ct))?.Kind == OrganisationKind.Provider;

    /// <summary>A user of the provider, active or not: their record stays readable after they leave.</summary>
    public async Task<UserSummary?> FindAsync(Guid userId, CancellationToken ct) =>
        await directory.FindUserAsync(userId, ct) is { } user && (await directory.FindOrganisationAsync(user.OrganisationId, ct))?.Kind == OrganisationKind.Provider
            ? user
            : null;

    public Task<IReadOnlyDictionary<Guid, UserSummary>> FindManyAsync(IEnumerable<Guid> ids, CancellationToken ct) => directory.FindUsersAsync(ids.Distinct(), ct);

    /// <summary>Who keeps the records and hears of expiring certificates: the roles granted <c>competence.manage</c>.</summary>
    public Task<IReadOnlyList<UserSummary>> ManagersAsync(CancellationToken ct) => directory.StaffAsync(CompetenceModule.ManagerRoles, ct);
}
