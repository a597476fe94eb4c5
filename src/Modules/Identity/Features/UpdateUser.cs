using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Localization;
using Dapper;

namespace Certus.Identity.Features;

/// <summary>
/// Edits a user's name, roles, groups, language or activation. A change of roles or activation renews the
/// security stamp, so signed-in sessions pick it up at their next validation.
/// </summary>
public sealed class UpdateUser(Database database, AuditTrail audit, Texts<Strings> text)
{
    public sealed record Request(
        string? DisplayName,
        IReadOnlyList<string>? Roles,
        IReadOnlyList<Guid>? GroupIds,
        bool? IsActive,
        string? Culture,
        string? Reason);

    public async Task<Outcome<UserView>> HandleAsync(Guid id, int expectedVersion, Request request, CancellationToken ct = default)
    {
        var errors = text.Errors().Optional("reason", request.Reason, 500);
        if (request.DisplayName is not null)
        {
            errors.Required("displayName", request.DisplayName, 200);
        }
        if (request.Culture is not null && !Cultures.IsSupported(request.Culture))
        {
            errors.Add("culture", "Validation.OneOf", string.Join(", ", Cultures.Supported));
        }

        return await database.WriteAsync<Outcome<UserView>>(async (connection, tx) =>
        {
            var current = await UserRules.LoadAsync(connection, tx, "u.id = @id", new { id });
            if (current is null)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            var roles = request.Roles?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() ?? current.Roles.ToList();
            var groupIds = request.GroupIds?.Distinct().ToList() ?? current.GroupIds.ToList();
            if (request.Roles is not null)
            {
                UserRules.CheckRoles(errors, text, roles, OrganisationKinds.Parse(current.OrganisationKind));
            }
            if (request.GroupIds is not null && !await UserRules.GroupsBelongToAsync(connection, tx, groupIds, current.OrganisationId))
            {
                errors.AddMessage("groupIds", text["User.GroupsOfOwnOrganisation"]);
            }
            if (!errors.IsEmpty)
            {
                return text.Invalid(errors);
            }

            var displayName = request.DisplayName?.Trim() ?? current.DisplayName;
            var isActive = request.IsActive ?? current.IsActive;
            var culture = request.Culture ?? current.Culture;
            var changes = AuditTrail.Diff(Snapshot(current.DisplayName, current.Roles, current.GroupIds, current.IsActive, current.Culture),
                Snapshot(displayName, roles, groupIds, isActive, culture));
            if (changes.Count == 0)
            {
                return current;
            }
            var renewStamp = changes.Any(c => c.Field is "roles" or "isActive" or "groupIds");
            var updated = await connection.ExecuteAsync(
                $"""
                UPDATE idn_users SET display_name = @displayName, is_active = @isActive, culture = @culture, version = version + 1
                    {(renewStamp ? ", security_stamp = @stamp" : "")}
                WHERE id = @id AND version = @expectedVersion
                """,
                new { id, displayName, isActive, culture, expectedVersion, stamp = Guid.NewGuid().ToString("N") }, tx);
            if (updated == 0)
            {
                return text.Stale();
            }
            await UserRules.ReplaceMembershipsAsync(connection, tx, id, roles, groupIds);
            await audit.WriteAsync(connection, tx, new AuditEvent(
                AuditRecordTypes.User, id.ToString("D"), request.IsActive == false && current.IsActive ? "deactivated" : "updated",
                current.OrganisationId, changes, request.Reason));
            return (await UserRules.LoadAsync(connection, tx, "u.id = @id", new { id }))!;
        }, ct);
    }

    private static Dictionary<string, object?> Snapshot(string displayName, IReadOnlyList<string> roles, IReadOnlyList<Guid> groups, bool isActive, string? culture) =>
        new(StringComparer.Ordinal)
        {
            ["displayName"] = displayName,
            ["roles"] = roles.Order(StringComparer.Ordinal).ToList(),
            ["groupIds"] = groups.Select(g => g.ToString("D")).Order(StringComparer.Ordinal).ToList(),
            ["isActive"] = isActive,
            ["culture"] = culture,
        };
}
