using System.Net.Mail;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Identity.Domain;
using Certus.Kernel.Errors;
using Certus.Kernel.Localization;
using Dapper;
using Microsoft.AspNetCore.Identity;

namespace Certus.Identity.Features;

/// <summary>Creates a user in an organisation with roles and groups; the password must meet the policy.</summary>
public sealed class CreateUser(Database database, AuditTrail audit, Texts<Strings> text, UserManager<CertusUser> users, TimeProvider clock)
{
    public sealed record Request(
        string? Email,
        string? DisplayName,
        string? Password,
        Guid? OrganisationId,
        IReadOnlyList<string>? Roles,
        IReadOnlyList<Guid>? GroupIds = null,
        string? Culture = null);

    public async Task<Outcome<UserView>> HandleAsync(Request request, CancellationToken ct = default)
    {
        var errors = text.Errors()
            .Required("email", request.Email, 254)
            .Required("displayName", request.DisplayName, 200);
        if (!string.IsNullOrWhiteSpace(request.Email) && !IsEmail(request.Email))
        {
            errors.Add("email", "Validation.Email");
        }
        if (request.Culture is not null && !Cultures.IsSupported(request.Culture))
        {
            errors.Add("culture", "Validation.OneOf", string.Join(", ", Cultures.Supported));
        }
        if (request.OrganisationId is null)
        {
            errors.Add("organisationId", "Validation.Required");
        }

        var email = request.Email?.Trim() ?? "";
        var user = new CertusUser
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = request.OrganisationId ?? Guid.Empty,
            Email = email,
            NormalizedEmail = users.NormalizeEmail(email) ?? "",
            DisplayName = request.DisplayName?.Trim() ?? "",
            SecurityStamp = Guid.NewGuid().ToString("N"),
            Culture = request.Culture,
            IsActive = true,
            CreatedAt = clock.GetUtcNow(),
            Version = 1,
        };
        await UserRules.CheckPasswordAsync(errors, users, user, request.Password);

        return await database.WriteAsync<Outcome<UserView>>(async (connection, tx) =>
        {
            var kind = request.OrganisationId is { } orgId
                ? OrganisationKinds.Parse(await connection.ExecuteScalarAsync<string>(
                    "SELECT kind FROM idn_organisations WHERE id = @orgId", new { orgId }, tx))
                : null;
            if (request.OrganisationId is not null && kind is null)
            {
                errors.Add("organisationId", "Validation.Unknown", request.OrganisationId.Value);
            }
            UserRules.CheckRoles(errors, text, request.Roles, kind);
            var groupIds = request.GroupIds ?? [];
            if (kind is not null && !await UserRules.GroupsBelongToAsync(connection, tx, groupIds, user.OrganisationId))
            {
                errors.AddMessage("groupIds", text["User.GroupsOfOwnOrganisation"]);
            }
            if (user.NormalizedEmail.Length > 0 && await connection.ExecuteScalarAsync<long>(
                    "SELECT count(*) FROM idn_users WHERE normalized_email = @NormalizedEmail", user, tx) > 0)
            {
                errors.Add("email", "Validation.Duplicate");
            }
            if (!errors.IsEmpty)
            {
                return text.Invalid(errors);
            }

            user.PasswordHash = users.PasswordHasher.HashPassword(user, request.Password!);
            await connection.ExecuteAsync(
                """
                INSERT INTO idn_users (id, organisation_id, email, normalized_email, display_name, password_hash, security_stamp,
                    access_failed_count, two_factor_enabled, culture, is_active, created_at, version)
                VALUES (@Id, @OrganisationId, @Email, @NormalizedEmail, @DisplayName, @PasswordHash, @SecurityStamp,
                    0, @TwoFactorEnabled, @Culture, @IsActive, @CreatedAt, @Version)
                """, user, tx);
            var roles = request.Roles!.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            await UserRules.ReplaceMembershipsAsync(connection, tx, user.Id, roles, groupIds);
            await audit.WriteAsync(connection, tx, new AuditEvent(
                AuditRecordTypes.User, user.Id.ToString("D"), "created", user.OrganisationId,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["email"] = user.Email,
                    ["displayName"] = user.DisplayName,
                    ["organisationId"] = user.OrganisationId,
                    ["roles"] = roles,
                    ["groupIds"] = groupIds.Select(g => g.ToString("D")).ToList(),
                    ["culture"] = user.Culture,
                })));
            return (await UserRules.LoadAsync(connection, tx, "u.id = @Id", new { user.Id }))!;
        }, ct);
    }

    internal static bool IsEmail(string value) =>
        MailAddress.TryCreate(value.Trim(), out var address) && string.Equals(address.Address, value.Trim(), StringComparison.OrdinalIgnoreCase);
}
