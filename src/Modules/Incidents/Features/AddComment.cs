using Certus.Data;
using Certus.Data.Audit;
using Certus.Incidents.Contracts;
using Certus.Incidents.Data;
using Certus.Incidents.Domain;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Incidents.Features;

/// <summary>
/// A reply the caller sees, or an internal work note with the time spent. Customers can only reply.
/// A provider's first reply counts as the first response.
/// </summary>
public sealed class AddComment(
    Database database, AuditTrail audit, ICurrentUser caller, IncidentQueries queries, IncidentEvents events, Texts<Strings> text, TimeProvider clock)
{
    public const int MaxBody = 20_000;

    public sealed record Request(string? Body, bool? IsPublic = null, int? MinutesSpent = null);

    /// <summary>Null while the incident can still change; otherwise its finished status.</summary>
    internal static async Task<string?> StillEditableAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, Guid id, CancellationToken ct)
    {
        var status = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT status FROM inc_incidents WHERE id = @id", new { id }, tx, cancellationToken: ct));
        return IncidentNames.ParseStatus(status) is { } s && !IncidentLifecycle.IsEditable(s) ? status : null;
    }

    public async Task<Outcome<CommentView>> HandleAsync(Guid incidentId, Request request, CancellationToken ct = default)
    {
        var incident = await queries.GetAsync(incidentId, ct);
        if (incident is null)
        {
            return text.NotFound();
        }
        if (!IncidentLifecycle.IsEditable(incident.ParsedStatus))
        {
            return IncidentRules.Finished(text, incident.Status);
        }
        var staff = caller.IsProviderStaff;
        // Work notes are for the provider; a customer's comment is always a reply.
        var isPublic = !staff || request.IsPublic != false;
        var errors = text.Errors().Required("body", request.Body, MaxBody)
            .When(request.MinutesSpent is < 0 or > 24 * 60, "minutesSpent", "Validation.Invalid");
        if (!staff && request.MinutesSpent is > 0)
        {
            errors.Add("minutesSpent", "Validation.Invalid");
        }
        if (staff && !caller.HasPermission(IncidentPermissions.Work))
        {
            return IncidentRules.Forbidden(text);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var comment = new CommentView
        {
            Id = Guid.CreateVersion7(),
            IncidentId = incidentId,
            AuthorId = caller.UserId,
            AuthorName = caller.DisplayName,
            IsPublic = isPublic,
            Body = request.Body!.Trim(),
            MinutesSpent = request.MinutesSpent ?? 0,
            CreatedAt = clock.GetUtcNow(),
        };
        return await database.WriteAsync<Outcome<CommentView>>(async (connection, tx) =>
        {
            // The incident may have closed since it was read (the quiet-period close): check again under the lock.
            if (await StillEditableAsync(connection, tx, incidentId, ct) is { } closed)
            {
                return IncidentRules.Finished(text, closed);
            }
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO inc_comments (id, incident_id, author_id, author_name, is_public, is_customer, body, minutes_spent, created_at)
                VALUES (@Id, @IncidentId, @AuthorId, @AuthorName, @IsPublic, @isCustomer, @Body, @MinutesSpent, @CreatedAt)
                """, new { comment.Id, comment.IncidentId, comment.AuthorId, comment.AuthorName, comment.IsPublic, isCustomer = !staff,
                    comment.Body, comment.MinutesSpent, comment.CreatedAt }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE inc_incidents SET updated_at = @now{(staff && isPublic ? ", first_response_at = COALESCE(first_response_at, @now)" : "")}
                WHERE id = @incidentId
                """, new { now = comment.CreatedAt, incidentId }, tx, cancellationToken: ct));
            if (isPublic)
            {
                await IncidentSearch.IndexAsync(connection, tx, database.Dialect, incidentId, ct);
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(IncidentAudit.RecordType, incidentId.ToString("D"), isPublic ? "replied" : "noted",
                incident.OrganisationId,
                [new AuditChange(isPublic ? "reply" : "note", null, comment.Body.Length > 200 ? comment.Body[..200] + "…" : comment.Body)]), ct);
            if (staff && isPublic && incident.FirstResponseAt is null)
            {
                // The first public reply is the first response: the response clock stops.
                await events.ChangedAsync(connection, tx, incidentId, incident.Status, comment.CreatedAt, ct);
            }
            return comment;
        }, ct);
    }
}
