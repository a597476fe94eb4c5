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
/// Edits an incident's details (title, description, impact, urgency, category, references, major flag).
/// A change of impact or urgency recomputes the priority. A write based on a stale version changes nothing.
/// </summary>
public sealed class UpdateIncident(
    Database database, AuditTrail audit, IncidentQueries queries, ICurrentUser caller, IncidentEvents events, Texts<Strings> text, TimeProvider clock)
{
    public sealed record Request(
        string? Title = null,
        string? Description = null,
        string? Impact = null,
        string? Urgency = null,
        Guid? CategoryId = null,
        string? ServiceRef = null,
        string? CiRef = null,
        bool? IsMajor = null,
        string? CallerContact = null,
        string? Reason = null);

    public async Task<Outcome<IncidentView>> HandleAsync(Guid id, int expectedVersion, Request request, CancellationToken ct = default)
    {
        if (await queries.GetAsync(id, ct) is not { } visible)
        {
            return text.NotFound();
        }
        if (!caller.HasPermission(IncidentPermissions.Work))
        {
            return IncidentRules.Forbidden(text);
        }
        if (!IncidentLifecycle.IsEditable(visible.ParsedStatus))
        {
            return IncidentRules.Finished(text, visible.Status);
        }
        var errors = text.Errors()
            .Optional("description", request.Description, LogIncident.MaxDescription)
            .Optional("serviceRef", request.ServiceRef, 200)
            .Optional("ciRef", request.CiRef, 200)
            .Optional("callerContact", request.CallerContact, 200)
            .Optional("reason", request.Reason, 2000);
        if (request.Title is not null)
        {
            errors.Required("title", request.Title, LogIncident.MaxTitle);
        }
        var impact = request.Impact is null ? null : IncidentNames.ParseLevel(request.Impact);
        var urgency = request.Urgency is null ? null : IncidentNames.ParseLevel(request.Urgency);
        errors.When(request.Impact is not null && impact is null, "impact", "Validation.OneOf", "high, medium, low")
            .When(request.Urgency is not null && urgency is null, "urgency", "Validation.OneOf", "high, medium, low");
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }

        return await database.WriteAsync<Outcome<IncidentView>>(async (connection, tx) =>
        {
            var current = (await IncidentQueries.LoadAsync(connection, tx, id, ct))!;
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (request.CategoryId is { } category && await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM inc_categories WHERE id = @category", new { category }, tx, cancellationToken: ct)) == 0)
            {
                return text.Invalid(text.Errors().Add("categoryId", "Validation.Unknown", category));
            }
            var newImpact = impact ?? IncidentNames.ParseLevel(current.Impact)!.Value;
            var newUrgency = urgency ?? IncidentNames.ParseLevel(current.Urgency)!.Value;
            // The priority is re-rated only when impact or urgency changes; a new matrix does not touch other edits.
            var rerate = newImpact.Key() != current.Impact || newUrgency.Key() != current.Urgency;
            var priority = rerate ? (await PriorityMatrixStore.LoadAsync(connection, tx, ct)).PriorityOf(newImpact, newUrgency) : current.Priority;
            var before = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["title"] = current.Title, ["description"] = current.Description, ["impact"] = current.Impact, ["urgency"] = current.Urgency,
                ["priority"] = $"P{current.Priority}", ["categoryId"] = current.CategoryId, ["serviceRef"] = current.ServiceRef,
                ["ciRef"] = current.CiRef, ["isMajor"] = current.IsMajor, ["callerContact"] = current.CallerContact,
            };
            var after = new Dictionary<string, object?>(before, StringComparer.Ordinal)
            {
                ["title"] = request.Title?.Trim() ?? current.Title,
                ["description"] = request.Description?.Trim() ?? current.Description,
                ["impact"] = newImpact.Key(),
                ["urgency"] = newUrgency.Key(),
                ["priority"] = $"P{priority}",
                ["categoryId"] = request.CategoryId ?? current.CategoryId,
                ["serviceRef"] = request.ServiceRef is null ? current.ServiceRef : Blank(request.ServiceRef),
                ["ciRef"] = request.CiRef is null ? current.CiRef : Blank(request.CiRef),
                ["isMajor"] = request.IsMajor ?? current.IsMajor,
                ["callerContact"] = request.CallerContact is null ? current.CallerContact : Blank(request.CallerContact),
            };
            var changes = AuditTrail.Diff(before, after);
            if (changes.Count == 0)
            {
                return current;
            }
            var now = clock.GetUtcNow();
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE inc_incidents SET title = @title, description = @description, impact = @impact, urgency = @urgency, priority = @priority,
                    category_id = @categoryId, service_ref = @serviceRef, ci_ref = @ciRef, is_major = @isMajor, caller_contact = @callerContact,
                    updated_at = @now, version = version + 1
                WHERE id = @id AND version = @expectedVersion
                """,
                new
                {
                    id, expectedVersion, now,
                    title = (string)after["title"]!, description = (string)after["description"]!, impact = newImpact.Key(), urgency = newUrgency.Key(),
                    priority, categoryId = (Guid?)after["categoryId"],
                    serviceRef = (string?)after["serviceRef"], ciRef = (string?)after["ciRef"], isMajor = (bool)after["isMajor"]!,
                    callerContact = (string?)after["callerContact"],
                }, tx, cancellationToken: ct));
            if (updated == 0)
            {
                return text.Stale();
            }
            if (changes.Any(c => c.Field is "title" or "description"))
            {
                await IncidentSearch.IndexAsync(connection, tx, database.Dialect, id, ct);
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(IncidentAudit.RecordType, id.ToString("D"), "updated", current.OrganisationId, changes, request.Reason), ct);
            return changes.Any(c => c.Field is "priority" or "serviceRef")
                ? await events.ChangedAsync(connection, tx, id, current.Status, now, ct)
                : (await IncidentQueries.LoadAsync(connection, tx, id, ct))!;
        }, ct);
    }

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
