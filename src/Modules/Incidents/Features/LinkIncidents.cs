using Certus.Data;
using Certus.Data.Audit;
using Certus.Incidents.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Incidents.Features;

/// <summary>
/// Links an incident to another: a duplicate of it, caused by it, related to it, or a child of a major incident
/// (resolving the parent then resolves the child).
/// </summary>
public sealed class LinkIncidents(Database database, AuditTrail audit, IncidentQueries queries, ICurrentUser caller, Texts<Strings> text, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Kinds = ["duplicate-of", "caused-by", "related-to", "child-of"];

    public sealed record Request(Guid? RelatedId, string? Kind);

    /// <summary>True when <paramref name="candidate"/> has <paramref name="ancestor"/> somewhere up its parent chain.</summary>
    private async Task<bool> IsDescendantAsync(Guid candidate, Guid ancestor, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        Guid? current = candidate;
        for (var depth = 0; current is not null && depth < 100; depth++)
        {
            if (current == ancestor)
            {
                return true;
            }
            current = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
                "SELECT parent_id FROM inc_incidents WHERE id = @current", new { current }, cancellationToken: ct));
        }
        return false;
    }

    public async Task<Outcome<IReadOnlyList<LinkView>>> HandleAsync(Guid id, Request request, CancellationToken ct = default)
    {
        var incident = await queries.GetAsync(id, ct);
        if (incident is null)
        {
            return text.NotFound();
        }
        if (!caller.HasPermission(IncidentPermissions.Work))
        {
            return IncidentRules.Forbidden(text);
        }
        var errors = text.Errors();
        if (!Kinds.Contains(request.Kind ?? "", StringComparer.Ordinal))
        {
            errors.Add("kind", "Validation.OneOf", string.Join(", ", Kinds));
        }
        var related = request.RelatedId is { } r ? await queries.GetAsync(r, ct) : null;
        if (related is null)
        {
            errors.Add("relatedId", request.RelatedId is null ? "Validation.Required" : "Validation.Unknown", request.RelatedId?.ToString() ?? "");
        }
        else if (related.Id == id)
        {
            errors.AddMessage("relatedId", text["Incident.LinkSelf"]);
        }
        else if (request.Kind == "child-of" && await IsDescendantAsync(related.Id, id, ct))
        {
            // A parent may not itself be below the incident: no cycles between major incidents.
            errors.AddMessage("relatedId", text["Incident.LinkCycle"]);
        }
        if (!Domain.IncidentLifecycle.IsEditable(incident.ParsedStatus))
        {
            return IncidentRules.Finished(text, incident.Status);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        await database.WriteAsync(async (connection, tx) =>
        {
            if (request.Kind == "child-of")
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE inc_incidents SET parent_id = @parent, updated_at = @now, version = version + 1 WHERE id = @id",
                    new { parent = related!.Id, id, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            }
            else
            {
                var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM inc_links WHERE incident_id = @id AND related_id = @related AND kind = @kind",
                    new { id, related = related!.Id, kind = request.Kind }, tx, cancellationToken: ct));
                if (exists == 0)
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO inc_links (incident_id, related_id, kind, created_at) VALUES (@id, @related, @kind, @now)",
                        new { id, related = related.Id, kind = request.Kind, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
                }
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(IncidentAudit.RecordType, id.ToString("D"), "linked", incident.OrganisationId,
                [new AuditChange(request.Kind!, null, related!.Number)]), ct);
            return true;
        }, ct);
        return Outcome.Ok(await queries.LinksAsync(id, ct));
    }
}
