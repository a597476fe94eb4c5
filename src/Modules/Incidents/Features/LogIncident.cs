using Certus.Kernel.Events;
using System.Data.Common;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Incidents.Contracts;
using Certus.Incidents.Data;
using Certus.Incidents.Domain;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Incidents.Features;

/// <summary>
/// Logs an incident from the desk, the API or the customer portal (manual §7.2.1). Priority comes from the
/// impact × urgency matrix; naming an assignee or group assigns it at once. A repeated request with the same
/// Idempotency-Key returns the incident the first one created.
/// </summary>
public sealed class LogIncident(
    Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, DomainEvents events, Texts<Strings> text, TimeProvider clock)
{
    /// <summary>Where a create remembers its <c>Idempotency-Key</c>s.</summary>
    internal static readonly IdempotencyTable Keys = new("inc_idempotency", "incident_id");

    public const int MaxTitle = 200;
    public const int MaxDescription = 20_000;

    public sealed record Request(
        string? Title,
        string? Description = null,
        string? Channel = null,
        Guid? OrganisationId = null,
        Guid? CallerId = null,
        string? CallerName = null,
        string? CallerContact = null,
        Guid? CategoryId = null,
        string? ServiceRef = null,
        string? CiRef = null,
        string? Impact = null,
        string? Urgency = null,
        Guid? AssignmentGroupId = null,
        Guid? AssigneeId = null,
        bool? IsMajor = null);

    /// <summary>The incident, and whether it was created now (false: an earlier request with the same key made it).</summary>
    public sealed record Result(IncidentView Incident, bool Created);

    public async Task<Outcome<Result>> HandleAsync(Request request, string? idempotencyKey = null, CancellationToken ct = default)
    {
        var errors = text.Errors()
            .Required("title", request.Title, MaxTitle)
            .Optional("description", request.Description, MaxDescription)
            .Optional("callerContact", request.CallerContact, 200)
            .Optional("serviceRef", request.ServiceRef, 200)
            .Optional("ciRef", request.CiRef, 200)
            .Optional("idempotencyKey", idempotencyKey, 200);
        var impact = Level(errors, "impact", request.Impact);
        var urgency = Level(errors, "urgency", request.Urgency);
        var channel = IncidentNames.ParseChannel(request.Channel ?? "web");
        if (channel is null)
        {
            errors.Add("channel", "Validation.OneOf", string.Join(", ", IncidentNames.Keys<Channel>(IncidentNames.Key)));
        }

        // Customers log for themselves, in their own organisation, through the portal; the desk decides the rest.
        var customer = !caller.IsProviderStaff;
        var organisationId = customer ? caller.OrganisationId : request.OrganisationId;
        var callerId = customer ? caller.UserId : request.CallerId;
        var callerName = customer ? caller.DisplayName : request.CallerName?.Trim();
        var groupId = customer ? null : request.AssignmentGroupId;
        var assigneeId = customer ? null : request.AssigneeId;
        if (organisationId is null)
        {
            errors.Add("organisationId", "Validation.Required");
        }
        else if (!customer && await directory.FindOrganisationAsync(organisationId.Value, ct) is null)
        {
            errors.Add("organisationId", "Validation.Unknown", organisationId.Value);
        }
        if (!customer && callerId is { } cid)
        {
            var user = await directory.FindUserAsync(cid, ct);
            if (user is null || user.OrganisationId != organisationId)
            {
                errors.AddMessage("callerId", text["Incident.CallerNotInOrganisation"]);
            }
            else
            {
                callerName = user.DisplayName;
            }
        }
        if (string.IsNullOrWhiteSpace(callerName))
        {
            errors.Add("callerName", "Validation.Required");
        }
        // Logging is open to more roles than working: assigning and declaring a major incident are work.
        if (!customer && !caller.HasPermission(IncidentPermissions.Work) && (groupId is not null || assigneeId is not null || request.IsMajor == true))
        {
            errors.AddMessage(assigneeId is not null ? "assigneeId" : groupId is not null ? "assignmentGroupId" : "isMajor", text["Incident.LogOnly"]);
        }
        await IncidentRules.CheckAssignmentAsync(errors, text, directory, groupId, assigneeId, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7();
        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey.Trim();
        // Read before taking the write lock: the matrix changes rarely, and the lock is the bottleneck.
        PriorityMatrix matrix;
        await using (var reader = await database.OpenAsync(ct))
        {
            matrix = await PriorityMatrixStore.LoadAsync(reader, null, ct);
        }
        try
        {
            return await database.WriteAsync<Outcome<Result>>(async (connection, tx) =>
            {
                if (key is not null && await ReplayAsync(connection, tx, key, ct) is { } earlier)
                {
                    return new Result(earlier, false);
                }
                if (request.CategoryId is { } category && await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                        "SELECT count(*) FROM inc_categories WHERE id = @category", new { category }, tx, cancellationToken: ct)) == 0)
                {
                    return text.Invalid(text.Errors().Add("categoryId", "Validation.Unknown", category));
                }
                var number = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "UPDATE inc_counters SET value = value + 1 WHERE name = 'incident' RETURNING value", transaction: tx, cancellationToken: ct));
                var assigned = groupId is not null || assigneeId is not null;
                var row = new
                {
                    id,
                    number,
                    organisationId,
                    callerId,
                    callerName,
                    callerContact = Blank(request.CallerContact),
                    channel = customer ? Channel.Web.Key() : channel!.Value.Key(),
                    title = request.Title!.Trim(),
                    description = request.Description?.Trim() ?? "",
                    categoryId = request.CategoryId,
                    serviceRef = Blank(request.ServiceRef),
                    ciRef = Blank(request.CiRef),
                    impact = impact!.Value.Key(),
                    urgency = urgency!.Value.Key(),
                    priority = matrix.PriorityOf(impact.Value, urgency.Value),
                    status = (assigned ? IncidentStatus.Assigned : IncidentStatus.New).Key(),
                    isOpen = true,
                    groupId,
                    assigneeId,
                    isMajor = !customer && request.IsMajor == true,
                    now,
                    createdBy = caller.ActorId,
                    firstResponse = assigned ? now : (DateTimeOffset?)null,
                };
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO inc_incidents (id, number, organisation_id, caller_id, caller_name, caller_contact, channel, title, description,
                        category_id, service_ref, ci_ref, impact, urgency, priority, status, is_open, assignment_group_id, assignee_id, is_major,
                        created_at, created_by, updated_at, first_response_at, version)
                    VALUES (@id, @number, @organisationId, @callerId, @callerName, @callerContact, @channel, @title, @description,
                        @categoryId, @serviceRef, @ciRef, @impact, @urgency, @priority, @status, @isOpen, @groupId, @assigneeId, @isMajor,
                        @now, @createdBy, @now, @firstResponse, 1)
                    """, row, tx, cancellationToken: ct));
                await IncidentSearch.IndexNewAsync(connection, tx, database.Dialect, id, number, row.title, row.description, ct);
                if (key is not null)
                {
                    await Keys.RememberAsync(connection, tx, caller.UserId, key, id, now, ct);
                }
                await audit.WriteAsync(connection, tx, new AuditEvent(IncidentAudit.RecordType, id.ToString("D"), "created", organisationId,
                    AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["number"] = new IncidentNumber(number).ToString(),
                        ["title"] = row.title,
                        ["channel"] = row.channel,
                        ["callerName"] = callerName,
                        ["impact"] = row.impact,
                        ["urgency"] = row.urgency,
                        ["priority"] = $"P{row.priority}",
                        ["status"] = row.status,
                        ["assignmentGroupId"] = groupId,
                        ["assigneeId"] = assigneeId,
                        ["isMajor"] = row.isMajor ? true : null,
                    })), ct);
                var view = new IncidentView
                {
                    Id = id, NumberValue = number, OrganisationId = organisationId!.Value, CallerId = callerId, CallerName = callerName!,
                    CallerContact = row.callerContact, Channel = row.channel, Title = row.title, Description = row.description,
                    CategoryId = row.categoryId, ServiceRef = row.serviceRef, CiRef = row.ciRef, Impact = row.impact, Urgency = row.urgency,
                    Priority = row.priority, Status = row.status, AssignmentGroupId = groupId, AssigneeId = assigneeId, IsMajor = row.isMajor,
                    CreatedAt = DapperSetup.Normalise(now), UpdatedAt = DapperSetup.Normalise(now),
                    FirstResponseAt = row.firstResponse is { } f ? DapperSetup.Normalise(f) : null, Version = 1,
                };
                await events.PublishAsync(new IncidentChanged(IncidentEvents.Facts(view), null, now), connection, tx, ct);
                return new Result(view, true);
            }, ct);
        }
        catch (DbException ex) when (key is not null && DatabaseErrors.IsUniqueViolation(ex))
        {
            // A concurrent request with the same key won the race: answer with its incident.
            await using var connection = await database.OpenAsync(ct);
            var earlier = await ReplayAsync(connection, null, key, ct);
            if (earlier is null)
            {
                throw;
            }
            return new Result(earlier, false);
        }
    }

    private async Task<IncidentView?> ReplayAsync(DbConnection connection, DbTransaction? tx, string key, CancellationToken ct)
    {
        var existing = await Keys.FindAsync(connection, tx, caller.UserId, key, clock.GetUtcNow(), ct);
        return existing is { } found ? await IncidentQueries.LoadAsync(connection, tx, found, ct) : null;
    }

    private static Domain.Level? Level(FieldErrors errors, string field, string? value)
    {
        var level = IncidentNames.ParseLevel(value ?? "medium");
        if (level is null)
        {
            errors.Add(field, "Validation.OneOf", "high, medium, low");
        }
        return level;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
