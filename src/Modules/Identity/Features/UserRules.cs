using System.Data.Common;
using Certus.Data;
using Certus.Identity.Contracts;
using Certus.Identity.Domain;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace Certus.Identity.Features;

/// <summary>Rules shared by creating and editing users: roles fit the organisation, groups belong to it, passwords meet policy.</summary>
internal static class UserRules
{
    public static void CheckRoles(FieldErrors errors, Texts<Strings> text, IReadOnlyList<string>? roles, OrganisationKind? kind)
    {
        if (roles is null || roles.Count == 0)
        {
            errors.AddMessage("roles", text["User.RolesRequired"]);
            return;
        }
        var unknown = roles.Where(r => !Roles.IsKnown(r)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add("roles", "Validation.OneOf", string.Join(", ", Roles.All));
            return;
        }
        if (kind == OrganisationKind.Customer && roles.Any(r => !Roles.ForCustomers.Contains(r, StringComparer.Ordinal)))
        {
            errors.AddMessage("roles", text["User.CustomerRolesOnly"]);
        }
        if (kind == OrganisationKind.Provider && roles.Contains(Roles.CustomerUser, StringComparer.Ordinal))
        {
            errors.AddMessage("roles", text["User.StaffNotCustomer"]);
        }
    }

    public static async Task CheckPasswordAsync(FieldErrors errors, UserManager<CertusUser> users, CertusUser user, string? password, string field = "password")
    {
        if (string.IsNullOrEmpty(password))
        {
            errors.Add(field, "Validation.Required");
            return;
        }
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            foreach (var error in result.Errors)
            {
                errors.AddMessage(field, error.Description);
            }
        }
    }

    public static async Task<bool> GroupsBelongToAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<Guid> groupIds, Guid organisationId)
    {
        if (groupIds.Count == 0)
        {
            return true;
        }
        var found = await connection.ExecuteScalarAsync<long>(
            $"SELECT count(*) FROM idn_groups WHERE organisation_id = @organisationId AND {SqlDialect.For(connection).In("id", "groupIds")}",
            new { organisationId, groupIds = groupIds.Distinct().ToArray() }, tx);
        return found == groupIds.Distinct().Count();
    }

    public static async Task ReplaceMembershipsAsync(DbConnection connection, DbTransaction tx, Guid userId, IReadOnlyList<string> roles, IReadOnlyList<Guid> groupIds)
    {
        await connection.ExecuteAsync("DELETE FROM idn_user_roles WHERE user_id = @userId", new { userId }, tx);
        await connection.ExecuteAsync("DELETE FROM idn_group_members WHERE user_id = @userId", new { userId }, tx);
        foreach (var role in roles.Distinct(StringComparer.Ordinal))
        {
            await connection.ExecuteAsync("INSERT INTO idn_user_roles (user_id, role) VALUES (@userId, @role)", new { userId, role }, tx);
        }
        foreach (var groupId in groupIds.Distinct())
        {
            await connection.ExecuteAsync("INSERT INTO idn_group_members (group_id, user_id) VALUES (@groupId, @userId)", new { groupId, userId }, tx);
        }
    }

    public static async Task<UserView?> LoadAsync(DbConnection connection, DbTransaction? tx, string where, object args)
    {
        var user = await connection.QuerySingleOrDefaultAsync<UserView>($"{UserView.Select} WHERE {where}", args, tx);
        if (user is null)
        {
            return null;
        }
        user.Roles = (await connection.QueryAsync<string>("SELECT role FROM idn_user_roles WHERE user_id = @Id ORDER BY role", new { user.Id }, tx)).ToList();
        user.GroupIds = (await connection.QueryAsync<Guid>("SELECT group_id FROM idn_group_members WHERE user_id = @Id", new { user.Id }, tx)).ToList();
        return user;
    }
}
