using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Identity.Features;

/// <summary>A department or team (the manual's 客户服务部, 技术支持 ...), used later for assignment groups.</summary>
public sealed class GroupView
{
    public Guid Id { get; init; }
    public Guid OrganisationId { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public long MemberCount { get; init; }
    public int Version { get; init; }
}

/// <summary>Creates a group in an organisation.</summary>
public sealed class CreateGroup(Database database, AuditTrail audit, Texts<Strings> text, TimeProvider clock)
{
    public sealed record Request(Guid? OrganisationId, string? Name, string? Description);

    public async Task<Outcome<GroupView>> HandleAsync(Request request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("name", request.Name, 200).Optional("description", request.Description, 2000);
        if (request.OrganisationId is null)
        {
            errors.Add("organisationId", "Validation.Required");
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var id = Guid.CreateVersion7();
        var name = request.Name!.Trim();
        var description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        return await database.WriteAsync<Outcome<GroupView>>(async (connection, tx) =>
        {
            if (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM idn_organisations WHERE id = @OrganisationId", request, tx) == 0)
            {
                return text.Invalid(text.Errors().Add("organisationId", "Validation.Unknown", request.OrganisationId!.Value));
            }
            if (await connection.ExecuteScalarAsync<long>(
                    "SELECT count(*) FROM idn_groups WHERE organisation_id = @OrganisationId AND name = @name",
                    new { request.OrganisationId, name }, tx) > 0)
            {
                return text.Invalid(text.Errors().Add("name", "Validation.Duplicate"));
            }
            await connection.ExecuteAsync(
                "INSERT INTO idn_groups (id, organisation_id, name, description, created_at, version) VALUES (@id, @org, @name, @description, @now, 1)",
                new { id, org = request.OrganisationId, name, description, now = clock.GetUtcNow() }, tx);
            await audit.WriteAsync(connection, tx, new AuditEvent(AuditRecordTypes.Group, id.ToString("D"), "created", request.OrganisationId,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["organisationId"] = request.OrganisationId, ["name"] = name, ["description"] = description,
                })));
            return new GroupView { Id = id, OrganisationId = request.OrganisationId!.Value, Name = name, Description = description, Version = 1 };
        }, ct);
    }
}

/// <summary>Lists the groups of the organisations the caller may see.</summary>
public sealed class ListGroups(Database database, ICurrentUser caller)
{
    public async Task<IReadOnlyList<GroupView>> HandleAsync(Guid? organisationId, CancellationToken ct = default)
    {
        var byOrg = organisationId is null ? "" : "AND g.organisation_id = @organisationId";
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<GroupView>(new CommandDefinition(
            $"""
            SELECT g.id, g.organisation_id, g.name, g.description, g.version,
                   (SELECT count(*) FROM idn_group_members m WHERE m.group_id = g.id) AS member_count
            FROM idn_groups g
            WHERE {OrganisationScope.Filter(caller, "g.organisation_id")} {byOrg}
            ORDER BY g.name
            """,
            new { organisationId, scopeOrg = OrganisationScope.Parameter(caller) }, cancellationToken: ct));
        return rows.ToList();
    }
}
