using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Dapper;

namespace Certus.Identity.Features;

/// <summary>Renames an organisation or edits its description, refusing a write based on a stale version.</summary>
public sealed class UpdateOrganisation(Database database, AuditTrail audit, Texts<Strings> text)
{
    public sealed record Request(string? Name, string? Description, string? Reason);

    public async Task<Outcome<OrganisationView>> HandleAsync(Guid id, int expectedVersion, Request request, CancellationToken ct = default)
    {
        var errors = text.Errors().Optional("description", request.Description, 2000).Optional("reason", request.Reason, 500);
        if (request.Name is not null)
        {
            errors.Required("name", request.Name);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }

        return await database.WriteAsync<Outcome<OrganisationView>>(async (connection, tx) =>
        {
            var current = await connection.QuerySingleOrDefaultAsync<OrganisationView>(
                $"{OrganisationView.Select} WHERE o.id = @id", new { id }, tx);
            if (current is null)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            var name = request.Name?.Trim() ?? current.Name;
            var description = request.Description is null ? current.Description
                : string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
            if (!string.Equals(name, current.Name, StringComparison.Ordinal)
                && await connection.ExecuteScalarAsync<long>(
                    "SELECT count(*) FROM idn_organisations WHERE normalized_name = @n AND id <> @id",
                    new { n = CreateOrganisation.Normalise(name), id }, tx) > 0)
            {
                return text.Invalid(text.Errors().Add("name", "Validation.Duplicate"));
            }
            var changes = AuditTrail.Diff(
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = current.Name, ["description"] = current.Description },
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = name, ["description"] = description });
            if (changes.Count == 0)
            {
                return current;
            }
            var updated = await connection.ExecuteAsync(
                """
                UPDATE idn_organisations SET name = @name, normalized_name = @normalized, description = @description, version = version + 1
                WHERE id = @id AND version = @expectedVersion
                """,
                new { id, name, normalized = CreateOrganisation.Normalise(name), description, expectedVersion }, tx);
            if (updated == 0)
            {
                return text.Stale();
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(
                AuditRecordTypes.Organisation, id.ToString("D"), "updated", id, changes, request.Reason));
            return new OrganisationView
            {
                Id = id, Name = name, Kind = current.Kind, Description = description, CreatedAt = current.CreatedAt,
                Version = current.Version + 1, UserCount = current.UserCount,
            };
        }, ct);
    }
}
