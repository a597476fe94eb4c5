using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Dapper;

namespace Certus.Identity.Features;

/// <summary>Registers the provider or a customer organisation.</summary>
public sealed class CreateOrganisation(Database database, AuditTrail audit, Texts<Strings> text, TimeProvider clock)
{
    public sealed record Request(string? Name, string? Kind, string? Description);

    public async Task<Outcome<OrganisationView>> HandleAsync(Request request, CancellationToken ct = default)
    {
        var errors = text.Errors()
            .Required("name", request.Name)
            .Optional("description", request.Description, 2000);
        var kind = OrganisationKinds.Parse(request.Kind);
        if (kind is null)
        {
            errors.Add("kind", "Validation.OneOf", "provider, customer");
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }

        var name = request.Name!.Trim();
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        return await database.WriteAsync<Outcome<OrganisationView>>(async (connection, tx) =>
        {
            var clash = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM idn_organisations WHERE normalized_name = @n", new { n = Normalise(name) }, tx);
            if (clash > 0)
            {
                return text.Invalid(text.Errors().Add("name", "Validation.Duplicate"));
            }
            if (kind == OrganisationKind.Provider
                && await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM idn_organisations WHERE kind = 'provider'", transaction: tx) > 0)
            {
                return text.Invalid(text.Errors().AddMessage("kind", text["Organisation.ProviderExists"]));
            }
            var description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
            await connection.ExecuteAsync(
                """
                INSERT INTO idn_organisations (id, name, normalized_name, kind, description, created_at, version)
                VALUES (@id, @name, @normalized, @kind, @description, @now, 1)
                """,
                new { id, name, normalized = Normalise(name), kind = kind!.Value.ToKey(), description, now }, tx);
            await audit.WriteAsync(connection, tx, new AuditEvent(
                AuditRecordTypes.Organisation, id.ToString("D"), "created", id,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["name"] = name, ["kind"] = kind.Value.ToKey(), ["description"] = description,
                })));
            return new OrganisationView
            {
                Id = id, Name = name, Kind = kind.Value.ToKey(), Description = description, CreatedAt = now, Version = 1,
            };
        }, ct);
    }

    internal static string Normalise(string name) => name.Trim().ToUpperInvariant();
}
