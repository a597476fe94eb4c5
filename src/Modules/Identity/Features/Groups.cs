using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Identity.Features;

/// <summary>A department or team (the manual's 客户服务部, 技术支持 ...), used later for assignment groups.</summary>
public sealed class GroupView : Certus.Kernel.Http.IVersioned
{
    public Guid Id { get; init; }
    public Guid OrganisationId { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public Guid? LeadId { get; init; }
    public long MemberCount { get; init; }
    public int Version { get; init; }
}

/// <summary>Creates a group in an organisation.</summary>
public sealed class CreateGroup(Database database, AuditTrail audit, Texts<Strings> text, TimeProvider clock)
{
    public sealed record Request(Guid? OrganisationId, string? Name, string? Description, Guid? LeadId = null);

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
            if (request.LeadId is { } lead && !await GroupLeads.IsMemberOfAsync(connection, tx, lead, request.OrganisationId!.Value))
            {
                return text.Invalid(text.Errors().Add("leadId", "Validation.Unknown", lead));
            }
            await connection.ExecuteAsync(
                "INSERT INTO idn_groups (id, organisation_id, name, description, lead_id, created_at, version) VALUES (@id, @org, @name, @description, @lead, @now, 1)",
                new { id, org = request.OrganisationId, name, description, lead = request.LeadId, now = clock.GetUtcNow() }, tx);
            await audit.WriteAsync(connection, tx, new AuditEvent(AuditRecordTypes.Group, id.ToString("D"), "created", request.OrganisationId,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["organisationId"] = request.OrganisationId, ["name"] = name, ["description"] = description, ["leadId"] = request.LeadId,
                })));
            return new GroupView { Id = id, OrganisationId = request.OrganisationId!.Value, Name = name, Description = description, LeadId = request.LeadId, Version = 1 };
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
            SELECT g.id, g.organisation_id, g.name, g.description, g.lead_id, g.version,
                   (SELECT count(*) FROM idn_group_members m WHERE m.group_id = g.id) AS member_count
            FROM idn_groups g
            WHERE {OrganisationScope.Filter(caller, "g.organisation_id")} {byOrg}
            ORDER BY g.name
            """,
            new { organisationId, scopeOrg = OrganisationScope.Parameter(caller) }, cancellationToken: ct));
        return rows.ToList();
    }
}

/// <summary>Renames a group, or names its lead (who SLA escalations notify).</summary>
public sealed class UpdateGroup(Database database, AuditTrail audit, ICurrentUser caller, Texts<Strings> text)
{
    public sealed record Request(string? Name, string? Description, Guid? LeadId);

    public async Task<Outcome<GroupView>> HandleAsync(Guid id, int expectedVersion, Request request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("name", request.Name, 200).Optional("description", request.Description, 2000);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<GroupView>>(async (connection, tx) =>
        {
            var current = await connection.QuerySingleOrDefaultAsync<GroupView>(new CommandDefinition(
                "SELECT id, organisation_id, name, description, lead_id, version FROM idn_groups WHERE id = @id", new { id }, tx, cancellationToken: ct));
            if (current is null || !caller.CanSee(current.OrganisationId))
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (request.LeadId is { } lead && !await GroupLeads.IsMemberOfAsync(connection, tx, lead, current.OrganisationId))
            {
                return text.Invalid(text.Errors().Add("leadId", "Validation.Unknown", lead));
            }
            var name = request.Name!.Trim();
            var description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE idn_groups SET name = @name, description = @description, lead_id = @lead, version = version + 1 WHERE id = @id",
                new { name, description, lead = request.LeadId, id }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(AuditRecordTypes.Group, id.ToString("D"), "updated", current.OrganisationId,
                AuditTrail.Diff(
                    new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = current.Name, ["description"] = current.Description, ["leadId"] = current.LeadId },
                    new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = name, ["description"] = description, ["leadId"] = request.LeadId })), ct);
            return new GroupView { Id = id, OrganisationId = current.OrganisationId, Name = name, Description = description, LeadId = request.LeadId, Version = current.Version + 1 };
        }, ct);
    }
}

internal static class GroupLeads
{
    /// <summary>A lead is an active user of the group's organisation.</summary>
    public static async Task<bool> IsMemberOfAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, Guid userId, Guid organisationId) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM idn_users WHERE id = @userId AND organisation_id = @organisationId AND is_active = @yes",
            new { userId, organisationId, yes = true }, tx)) > 0;
}
