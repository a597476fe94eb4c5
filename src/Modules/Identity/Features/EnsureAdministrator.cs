using System.Security.Cryptography;
using Certus.Data;
using Certus.Identity.Contracts;
using Certus.Kernel.Security;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Certus.Identity.Features;

/// <summary>
/// First start on an empty database: creates the provider organisation and an administrator from
/// <c>Certus:Admin:Email</c> / <c>Certus:Admin:Password</c>, or with a generated password printed once.
/// </summary>
public sealed class EnsureAdministrator(
    Database database, CreateOrganisation organisations, CreateUser users, IConfiguration configuration, ILogger<EnsureAdministrator> logger)
{
    public sealed record Result(bool Created, string? Email, string? GeneratedPassword);

    public async Task<Result> HandleAsync(CancellationToken ct = default)
    {
        await using (var connection = await database.OpenAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM idn_users", cancellationToken: ct)) > 0)
            {
                return new Result(false, null, null);
            }
        }
        var email = configuration["Certus:Admin:Email"] is { Length: > 0 } e ? e : "admin@certus.local";
        var configured = configuration["Certus:Admin:Password"];
        var password = string.IsNullOrEmpty(configured) ? Generate() : configured;
        var organisationName = configuration["Certus:Admin:Organisation"] is { Length: > 0 } o ? o : "Service Provider";

        Guid providerId;
        await using (var connection = await database.OpenAsync(ct))
        {
            providerId = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
                "SELECT id FROM idn_organisations WHERE kind = 'provider'", cancellationToken: ct)) ?? Guid.Empty;
        }
        if (providerId == Guid.Empty)
        {
            var created = await organisations.HandleAsync(new CreateOrganisation.Request(organisationName, OrganisationKinds.Provider, null), ct);
            providerId = created.Value?.Id ?? throw new InvalidOperationException(created.Failure!.Message);
        }
        var admin = await users.HandleAsync(new CreateUser.Request(email, "Administrator", password, providerId, [Roles.Administrator]), ct);
        if (!admin.Succeeded)
        {
            var detail = string.Join("; ", admin.Failure!.Fields?.SelectMany(f => f.Value.Select(m => $"{f.Key}: {m}")) ?? [admin.Failure.Message]);
            throw new InvalidOperationException($"Could not create the first administrator ({email}): {detail}");
        }
        logger.LogWarning("Created the first administrator {Email}.", email);
        return new Result(true, email, string.IsNullOrEmpty(configured) ? password : null);
    }

    private static string Generate()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var chars = Enumerable.Range(0, 16).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray();
        // Guarantee every class the password policy asks for.
        return new string(chars) + "-7a";
    }
}
