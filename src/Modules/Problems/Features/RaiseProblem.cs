using System.Data.Common;
using System.Text.RegularExpressions;
using Certus.Configuration.Contracts;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Incidents.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Events;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Certus.Problems.Contracts;
using Certus.Problems.Domain;
using Dapper;

namespace Certus.Problems.Features;

/// <summary>
/// Records a problem (ISO/IEC 20000-1:2018 8.6.3 a, b: recorded, classified, prioritised) from an incident, a major
/// incident, an incident trend, a failed release, an audit or proactively, and edits it while it is still being worked.
/// The API, the pages and the reaction to a failed release all come through here.
/// </summary>
public sealed partial class RaiseProblem(
    Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, IConfigurationRecords cmdb, IEnumerable<IServiceLookup> services,
    IIncidentRecords incidents, ProblemQueries queries, DomainEvents events, Texts<Strings> text, TimeProvider clock)
{
    /// <summary>Where a create remembers its <c>Idempotency-Key</c>s.</summary>
    internal static readonly IdempotencyTable Keys = new("prb_idempotency", "problem_id");

    public const int DefaultPriority = 3;

    /// <summary>
    /// A problem as the caller describes it. On an edit (PATCH) a field left null keeps its value; an empty list or text
    /// clears it; <c>ownerId</c> or <c>assignmentGroupId</c> of all zeros removes the owner or group. The source and the
    /// linked incidents are given when the problem is recorded only.
    /// </summary>
    public sealed record Request(
        string? Title = null,
        string? Description = null,
        string? Symptoms = null,
        string? Service = null,
        IReadOnlyList<string>? Cis = null,
        int? Priority = null,
        string? Category = null,
        Guid? OwnerId = null,
        Guid? AssignmentGroupId = null,
        string? SourceKind = null,
        string? SourceRef = null,
        IReadOnlyList<string>? Incidents = null,
        string? RootCause = null,
        string? Workaround = null);

    /// <summary>A request checked against the CMDB, the portfolio, the directory and incident management.</summary>
    internal sealed record Prepared(
        string Title, string Description, string Symptoms, string? ServiceCode, IReadOnlyList<CiFacts> Cis, int Priority, string Category,
        Guid? OwnerId, Guid? GroupId, string SourceKind, string? SourceRef, IReadOnlyList<IncidentRecord> Incidents, string RootCause, string Workaround);

    public async Task<Outcome<ProblemView>> CreateAsync(Request request, string? idempotencyKey = null, CancellationToken ct = default)
    {
        if (!caller.IsProviderStaff || !caller.HasPermission(ProblemPermissions.Raise))
        {
            return new Failure(FailureKind.Forbidden, text["Problem.RaiseForbidden"]);
        }
        var prepared = await PrepareAsync(request, null, ct);
        if (!prepared.Succeeded)
        {
            return prepared.Failure!;
        }
        var p = prepared.Value!;
        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey.Trim();
        var organisationId = await ProviderIdAsync(ct);
        Guid id;
        try
        {
            var written = await database.WriteAsync<Guid?>(async (connection, tx) =>
            {
                if (key is not null && await ReplayAsync(connection, tx, key, ct) is { } earlier)
                {
                    return earlier;
                }
                var created = await InsertAsync(connection, tx, p, organisationId, null, ct);
                if (key is not null)
                {
                    await Keys.RememberAsync(connection, tx, caller.UserId, key, created, clock.GetUtcNow(), ct);
                }
                return created;
            }, ct);
            id = written!.Value;
        }
        catch (DbException ex) when (key is not null && DatabaseErrors.IsUniqueViolation(ex))
        {
            await using var connection = await database.OpenAsync(ct);
            id = await ReplayAsync(connection, null, key, ct) ?? throw new InvalidOperationException("Idempotency key clash without a problem.", ex);
        }
        return (await queries.GetAsync(id.ToString("D"), ct))!;
    }

    /// <summary>
    /// Records a problem inside another process's write (a failed release's latent cause), audited as the caller and
    /// announced as <see cref="ProblemStateChanged"/> on the same transaction.
    /// </summary>
    internal async Task<Guid> InsertAsync(DbConnection connection, DbTransaction tx, Prepared p, Guid organisationId, string? reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7();
        var number = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "UPDATE prb_counters SET value = value + 1 WHERE name = 'problem' RETURNING value", transaction: tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO prb_problems (id, number, organisation_id, state, title, description, symptoms, service_code, category, priority, owner_id,
                assignment_group_id, source_kind, source_ref, root_cause, workaround, resolution, closure_note, reopened, created_at, created_by,
                created_by_name, updated_at, version)
            VALUES (@id, @number, @organisationId, 'logged', @title, @description, @symptoms, @serviceCode, @category, @priority, @ownerId,
                @groupId, @sourceKind, @sourceRef, @rootCause, @workaround, '', '', 0, @now, @createdBy, @createdByName, @now, 1)
            """,
            new
            {
                id, number, organisationId, title = p.Title, description = p.Description, symptoms = p.Symptoms, serviceCode = p.ServiceCode,
                category = p.Category, priority = p.Priority, ownerId = p.OwnerId, groupId = p.GroupId, sourceKind = p.SourceKind,
                sourceRef = p.SourceRef, rootCause = p.RootCause, workaround = p.Workaround, now, createdBy = caller.ActorId,
                createdByName = caller.ActorName,
            }, tx, cancellationToken: ct));
        await WriteCisAsync(connection, tx, id, p.Cis, ct);
        foreach (var incident in p.Incidents)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO prb_problem_incidents (problem_id, incident_id, incident_number, linked_at, linked_by_name)
                VALUES (@id, @incidentId, @incidentNumber, @now, @by)
                """,
                new { id, incidentId = incident.Id, incidentNumber = IncidentNumber.Parse(incident.Number)?.Value, now, by = caller.ActorName },
                tx, cancellationToken: ct));
        }
        var view = (await ProblemQueries.LoadAsync(connection, tx, id, ct))!;
        var fields = ProblemAudit.FieldsOf(view);
        fields["number"] = view.Number;
        fields["incidents"] = string.Join(", ", view.Incidents.Select(i => i.Number));
        await audit.WriteAsync(connection, tx, new AuditEvent(ProblemAudit.RecordType, id.ToString("D"), "created", organisationId,
            AuditTrail.Created(fields), reason), ct);
        await events.PublishAsync(new ProblemStateChanged(id, view.Number, "", view.State, "create"), connection, tx, ct);
        return id;
    }

    /// <summary>Edits what is known of a problem while it is still being worked (not once closed or cancelled).</summary>
    public async Task<Outcome<ProblemView>> UpdateAsync(Guid id, int? expectedVersion, Request request, CancellationToken ct = default)
    {
        var current = await queries.GetAsync(id.ToString("D"), ct);
        if (current is null)
        {
            return text.NotFound();
        }
        if (!caller.HasPermission(ProblemPermissions.Manage))
        {
            return new Failure(FailureKind.Forbidden, text["Problem.ManageForbidden"]);
        }
        if (ProblemLifecycle.IsFinished(current.ParsedState))
        {
            return new Failure(FailureKind.Conflict, text["Problem.NotEditable", text[$"State.{current.State}"]]);
        }
        var prepared = await PrepareAsync(request, current, ct);
        if (!prepared.Succeeded)
        {
            return prepared.Failure!;
        }
        var p = prepared.Value!;
        var outcome = await database.WriteAsync<Outcome<bool>>(async (connection, tx) =>
        {
            var before = await ProblemQueries.LoadAsync(connection, tx, id, ct);
            if (before is null)
            {
                return text.NotFound();
            }
            if ((expectedVersion is { } v && v != before.Version) || before.State != current.State)
            {
                return text.Stale();
            }
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE prb_problems SET title = @title, description = @description, symptoms = @symptoms, service_code = @serviceCode,
                    category = @category, priority = @priority, owner_id = @ownerId, assignment_group_id = @groupId, root_cause = @rootCause,
                    workaround = @workaround, updated_at = @now, version = version + 1
                WHERE id = @id AND version = @version
                """,
                new
                {
                    id, version = before.Version, title = p.Title, description = p.Description, symptoms = p.Symptoms, serviceCode = p.ServiceCode,
                    category = p.Category, priority = p.Priority, ownerId = p.OwnerId, groupId = p.GroupId, rootCause = p.RootCause,
                    workaround = p.Workaround, now = clock.GetUtcNow(),
                }, tx, cancellationToken: ct));
            if (updated == 0)
            {
                return text.Stale();
            }
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM prb_problem_cis WHERE problem_id = @id", new { id }, tx, cancellationToken: ct));
            await WriteCisAsync(connection, tx, id, p.Cis, ct);
            var after = (await ProblemQueries.LoadAsync(connection, tx, id, ct))!;
            await audit.WriteAsync(connection, tx, new AuditEvent(ProblemAudit.RecordType, id.ToString("D"), "updated", before.OrganisationId,
                AuditTrail.Diff(ProblemAudit.FieldsOf(before), ProblemAudit.FieldsOf(after))), ct);
            return true;
        }, ct);
        if (!outcome.Succeeded)
        {
            return outcome.Failure!;
        }
        return (await queries.GetAsync(id.ToString("D"), ct))!;
    }

    internal async Task<Outcome<Prepared>> PrepareAsync(Request request, ProblemView? current, CancellationToken ct)
    {
        var title = request.Title ?? current?.Title;
        var errors = text.Errors()
            .Required("title", title, 200)
            .Optional("description", request.Description, 20_000)
            .Optional("symptoms", request.Symptoms, 4000)
            .Optional("rootCause", request.RootCause, 20_000)
            .Optional("workaround", request.Workaround, 20_000)
            .Optional("sourceRef", request.SourceRef, 60);

        var priority = request.Priority ?? current?.Priority ?? DefaultPriority;
        if (priority is < 1 or > 5)
        {
            errors.AddMessage("priority", text["Problem.PriorityRange"]);
        }
        var category = (request.Category ?? current?.Category ?? "other").Trim().ToLowerInvariant();
        if (!ProblemNames.Categories.Contains(category, StringComparer.Ordinal))
        {
            errors.Add("category", "Validation.OneOf", string.Join(", ", ProblemNames.Categories));
        }

        // The service by its portfolio code; an empty value clears it.
        var serviceCode = request.Service is null ? current?.ServiceCode : Blank(request.Service)?.ToUpperInvariant();
        if (serviceCode is not null && request.Service is not null && services.FirstOrDefault() is { } lookup)
        {
            var found = await lookup.FindAsync([serviceCode], ct) is [var first, ..] ? first : null;
            if (found is null)
            {
                errors.AddMessage("service", text["Problem.UnknownService", serviceCode]);
            }
            else
            {
                serviceCode = found.Code;
            }
        }

        IReadOnlyList<CiFacts> cis = [];
        if (request.Cis is null && current is not null)
        {
            cis = current.Cis.Count == 0 ? [] : await cmdb.GetAsync([.. current.Cis.Select(c => c.Id)], ct);
        }
        else
        {
            var references = (request.Cis ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim())
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (references.Count > 50)
            {
                errors.AddMessage("cis", text["Problem.TooManyCis", 50]);
            }
            else if (references.Count > 0)
            {
                var found = await cmdb.FindAsync(references, ct);
                var matched = new List<CiFacts>();
                foreach (var reference in references)
                {
                    var ci = found.FirstOrDefault(c => string.Equals(c.Identifier, reference, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(c.Name, reference, StringComparison.OrdinalIgnoreCase) || (Guid.TryParse(reference, out var g) && c.Id == g));
                    if (ci is null)
                    {
                        errors.AddMessage("cis", text["Problem.UnknownCi", reference]);
                    }
                    else if (matched.All(m => m.Id != ci.Id))
                    {
                        matched.Add(ci);
                    }
                }
                cis = matched;
            }
        }

        var providerId = await ProviderIdAsync(ct);
        var ownerId = request.OwnerId is null ? current?.OwnerId : request.OwnerId == Guid.Empty ? null : request.OwnerId;
        if (request.OwnerId is { } requestedOwner && requestedOwner != Guid.Empty)
        {
            var owner = await directory.FindUserAsync(requestedOwner, ct);
            if (owner is null || !owner.IsActive || owner.OrganisationId != providerId)
            {
                errors.AddMessage("ownerId", text["Problem.UnknownOwner"]);
            }
        }
        var groupId = request.AssignmentGroupId is null ? current?.AssignmentGroupId : request.AssignmentGroupId == Guid.Empty ? null : request.AssignmentGroupId;
        if (request.AssignmentGroupId is { } requestedGroup && requestedGroup != Guid.Empty)
        {
            var group = await directory.FindGroupAsync(requestedGroup, ct);
            if (group is null || group.OrganisationId != providerId)
            {
                errors.AddMessage("assignmentGroupId", text["Problem.UnknownGroup"]);
            }
        }

        // Where the problem came from is said once, when it is recorded.
        var sourceKind = current?.SourceKind ?? (Blank(request.SourceKind)?.ToLowerInvariant() ?? "proactive");
        var sourceRef = current is not null ? current.SourceRef : Blank(request.SourceRef);
        var linked = new List<IncidentRecord>();
        if (current is null)
        {
            if (!ProblemNames.SourceKinds.Contains(sourceKind, StringComparer.Ordinal))
            {
                errors.Add("sourceKind", "Validation.OneOf", string.Join(", ", ProblemNames.SourceKinds));
            }
            else if (sourceRef is null && ProblemNames.SourcesWithReference.Contains(sourceKind, StringComparer.Ordinal))
            {
                errors.Add("sourceRef", "Validation.Required");
            }
            var wanted = (request.Incidents ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).ToList();
            if (sourceKind is "incident" or "major-incident" && sourceRef is not null)
            {
                if (IncidentNumber.Parse(sourceRef)?.Value is { } n)
                {
                    sourceRef = new IncidentNumber(n).ToString();
                    wanted.Add(sourceRef);
                }
                else
                {
                    errors.AddMessage("sourceRef", text["Problem.IncidentFormat", sourceRef]);
                }
            }
            else if (sourceKind == "release" && sourceRef is not null)
            {
                if (!Release().IsMatch(sourceRef))
                {
                    errors.AddMessage("sourceRef", text["Problem.ReleaseFormat", sourceRef]);
                }
                sourceRef = sourceRef.ToUpperInvariant();
            }
            var numbers = wanted.Select(w => (Text: w, Number: IncidentNumber.Parse(w)?.Value)).ToList();
            foreach (var bad in numbers.Where(n => n.Number is null))
            {
                errors.AddMessage("incidents", text["Problem.IncidentFormat", bad.Text]);
            }
            var distinct = numbers.Select(n => n.Number).OfType<long>().Distinct().ToList();
            if (distinct.Count > 200)
            {
                errors.AddMessage("incidents", text["Problem.TooManyIncidents", 200]);
            }
            else if (distinct.Count > 0)
            {
                var found = await incidents.FindAsync([.. distinct.Select(n => new IncidentNumber(n).ToString())], ct);
                foreach (var missing in distinct.Where(n => found.All(f => IncidentNumber.Parse(f.Number)?.Value != n)))
                {
                    errors.AddMessage(sourceRef is not null && IncidentNumber.Parse(sourceRef)?.Value == missing ? "sourceRef" : "incidents",
                        text["Problem.UnknownIncident", new IncidentNumber(missing).ToString()]);
                }
                linked.AddRange(found);
                if (sourceKind == "major-incident" && sourceRef is not null && found.FirstOrDefault(f => f.Number == sourceRef) is { IsMajor: false })
                {
                    errors.AddMessage("sourceRef", text["Problem.NotMajor", sourceRef]);
                }
            }
        }

        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return new Prepared(
            title!.Trim(), (request.Description ?? current?.Description ?? "").Trim(), (request.Symptoms ?? current?.Symptoms ?? "").Trim(), serviceCode, cis,
            priority, category, ownerId, groupId, sourceKind, sourceRef, linked, (request.RootCause ?? current?.RootCause ?? "").Trim(),
            (request.Workaround ?? current?.Workaround ?? "").Trim());
    }

    /// <summary>The provider organisation problems belong to: the caller's own, or the provider's when Certus acts by itself.</summary>
    internal async Task<Guid> ProviderIdAsync(CancellationToken ct) =>
        caller.IsAuthenticated && caller.IsProviderStaff
            ? caller.OrganisationId
            : (await directory.OrganisationsAsync(ct)).First(o => o.Kind == OrganisationKind.Provider).Id;

    private static async Task WriteCisAsync(DbConnection connection, DbTransaction tx, Guid id, IReadOnlyList<CiFacts> cis, CancellationToken ct)
    {
        foreach (var ci in cis)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO prb_problem_cis (problem_id, ci_id, identifier, name) VALUES (@id, @ciId, @identifier, @name)",
                new { id, ciId = ci.Id, identifier = ci.Identifier, name = ci.Name }, tx, cancellationToken: ct));
        }
    }

    private Task<Guid?> ReplayAsync(DbConnection connection, DbTransaction? tx, string key, CancellationToken ct) =>
        Keys.FindAsync(connection, tx, caller.UserId, key, clock.GetUtcNow(), ct);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^REL-[0-9]{1,12}$", RegexOptions.IgnoreCase)]
    private static partial Regex Release();
}
