using System.Data.Common;
using Certus.Changes.Contracts;
using Certus.Configuration.Contracts;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Certus.Releases.Contracts;
using Certus.Releases.Domain;
using Dapper;

namespace Certus.Releases.Features;

/// <summary>
/// Plans a release under its service's policy and edits the plan (manual §9.1.2): dates, deliverables, the authorised
/// changes it groups, the CIs it delivers with their new versions, problems and known errors it closes, per-site
/// activities, back-out plan, acceptance criteria, communication and risks. The content (changes and CIs) is fixed once
/// the build starts, the plan once the release is accepted.
/// </summary>
public sealed class PlanRelease(
    Database database, AuditTrail audit, ICurrentUser caller, ReleasePolicies policies, IChangeRecords changes, IConfigurationRecords cmdb,
    Texts<Strings> text, TimeProvider clock)
{
    /// <summary>Where a create remembers its <c>Idempotency-Key</c>s.</summary>
    internal static readonly IdempotencyTable Keys = new("rel_idempotency", "release_id");

    public const int MaxTitle = 200;

    /// <summary>A CI the release delivers: by id, identifier (<c>APP-000004</c>) or unique name, and the version it goes out in.</summary>
    public sealed record ItemInput(string? Ci, string? VersionLabel);

    /// <summary>A new release. <c>Changes</c> are change numbers; every one must be authorised.</summary>
    public sealed record CreateRequest(
        string? ServiceCode, string? Type, string? Title, string? Description = null, DateTimeOffset? PlannedStart = null, DateTimeOffset? PlannedEnd = null,
        string? Deliverables = null, string? SiteActivities = null, string? BackOutPlan = null, string? AcceptanceCriteria = null,
        string? Communication = null, string? Risks = null, string? ProblemsClosed = null, string? Notes = null,
        IReadOnlyList<string>? Changes = null, IReadOnlyList<ItemInput>? Items = null);

    /// <summary>Edits to a release; a field left out (null) is not touched. <c>Changes</c> and <c>Items</c> replace the lists.</summary>
    public sealed record UpdateRequest(
        string? Title = null, string? Description = null, DateTimeOffset? PlannedStart = null, DateTimeOffset? PlannedEnd = null,
        string? Deliverables = null, string? SiteActivities = null, string? BackOutPlan = null, string? AcceptanceCriteria = null,
        string? Communication = null, string? Risks = null, string? ProblemsClosed = null, string? Notes = null,
        IReadOnlyList<string>? Changes = null, IReadOnlyList<ItemInput>? Items = null, string? Reason = null);

    private sealed record Content(IReadOnlyList<ChangeFacts> Changes, IReadOnlyList<(CiFacts Ci, string Version)> Items);

    /// <summary>
    /// Plans a release. A repeated request with the same <paramref name="idempotencyKey"/> from the same user answers with
    /// the release the first one planned, without checking or writing anything again.
    /// </summary>
    public async Task<Outcome<ReleaseView>> CreateAsync(CreateRequest request, string? idempotencyKey = null, CancellationToken ct = default)
    {
        if (!caller.HasPermission(ReleasePermissions.Manage) || !caller.IsProviderStaff)
        {
            return ReleaseRules.Forbidden(text);
        }
        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey.Trim();
        if (key is not null && key.Length <= 200)
        {
            await using var reader = await database.OpenAsync(ct);
            if (await ReplayAsync(reader, null, key, ct) is { } earlier)
            {
                return earlier;
            }
        }
        var errors = text.Errors().Required("serviceCode", request.ServiceCode, 40).Required("title", request.Title, MaxTitle).Required("type", request.Type, 30)
            .Optional("idempotencyKey", key, 200);
        PolicyView? policy = null;
        if (!string.IsNullOrWhiteSpace(request.ServiceCode))
        {
            policy = await policies.ForServiceAsync(request.ServiceCode, ct);
            if (policy is null)
            {
                errors.AddMessage("serviceCode", text["Release.NoPolicy", request.ServiceCode.Trim().ToUpperInvariant()]);
            }
        }
        var type = request.Type?.Trim().ToLowerInvariant() ?? "";
        if (policy is not null && type.Length > 0 && !policy.Allows(type))
        {
            errors.AddMessage("type", text["Release.TypeNotInPolicy", type, string.Join(", ", policy.Types.Select(t => t.Key))]);
        }
        CheckPlan(errors, request.Description, request.PlannedStart, request.PlannedEnd, request.Deliverables, request.SiteActivities, request.BackOutPlan,
            request.AcceptanceCriteria, request.Communication, request.Risks, request.ProblemsClosed, request.Notes);
        var content = await ResolveAsync(errors, request.Changes ?? [], request.Items ?? [], ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        try
        {
            return await WriteNewAsync(request, policy!, type, content, key, ct);
        }
        catch (DbException ex) when (key is not null && DatabaseErrors.IsUniqueViolation(ex))
        {
            // A concurrent request with the same key won the race: answer with its release.
            await using var connection = await database.OpenAsync(ct);
            return await ReplayAsync(connection, null, key, ct) is { } earlier ? earlier : throw new InvalidOperationException("Idempotency key without its release.", ex);
        }
    }

    private async Task<Outcome<ReleaseView>> WriteNewAsync(CreateRequest request, PolicyView policy, string type, Content content, string? key, CancellationToken ct) =>
        await database.WriteAsync<Outcome<ReleaseView>>(async (connection, tx) =>
        {
            if (key is not null && await ReplayAsync(connection, tx, key, ct) is { } earlier)
            {
                return earlier;
            }
            var id = Guid.CreateVersion7();
            if (await InOtherReleasesAsync(connection, tx, id, content.Changes, ct) is { IsEmpty: false } taken)
            {
                return text.Invalid(taken);
            }
            var now = clock.GetUtcNow();
            var number = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "UPDATE rel_counters SET value = value + 1 WHERE name = 'release' RETURNING value", transaction: tx, cancellationToken: ct));
            var identifier = await IdentifierAsync(connection, tx, policy, type, now, ct);
            var row = new
            {
                id, number, identifier, policyId = policy.Id, serviceCode = policy.ServiceCode, type, title = request.Title!.Trim(),
                description = request.Description?.Trim() ?? "", plannedStart = request.PlannedStart, plannedEnd = request.PlannedEnd,
                deliverables = request.Deliverables?.Trim() ?? "", siteActivities = request.SiteActivities?.Trim() ?? "",
                backOutPlan = request.BackOutPlan?.Trim() ?? "", acceptanceCriteria = request.AcceptanceCriteria?.Trim() ?? "",
                communication = request.Communication?.Trim() ?? "", risks = request.Risks?.Trim() ?? "", problemsClosed = request.ProblemsClosed?.Trim() ?? "",
                notes = request.Notes?.Trim() ?? "", state = ReleaseState.Planned.Key(), now, by = caller.ActorId,
            };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO rel_releases (id, number, identifier, policy_id, service_code, type, title, description, state, planned_start, planned_end,
                    deliverables, site_activities, back_out_plan, acceptance_criteria, communication, risks, problems_closed, notes,
                    created_at, created_by, updated_at, version)
                VALUES (@id, @number, @identifier, @policyId, @serviceCode, @type, @title, @description, @state, @plannedStart, @plannedEnd,
                    @deliverables, @siteActivities, @backOutPlan, @acceptanceCriteria, @communication, @risks, @problemsClosed, @notes,
                    @now, @by, @now, 1)
                """, row, tx, cancellationToken: ct));
            await WriteContentAsync(connection, tx, id, content, ct);
            if (key is not null)
            {
                await Keys.RememberAsync(connection, tx, caller.UserId, key, id, now, ct);
            }
            var after = Snapshot(row.title, row.description, row.plannedStart, row.plannedEnd, row.deliverables, row.siteActivities, row.backOutPlan,
                row.acceptanceCriteria, row.communication, row.risks, row.problemsClosed, row.notes, content);
            after["number"] = new ReleaseNumber(number).ToString();
            after["identifier"] = identifier;
            after["serviceCode"] = row.serviceCode;
            after["type"] = type;
            after["state"] = row.state;
            await audit.WriteAsync(connection, tx, new AuditEvent(ReleaseRules.RecordType, id.ToString("D"), "created", null,
                AuditTrail.Created(after)), ct);
            return (await ReleaseRows.LoadAsync(connection, tx, id, ct))!;
        }, ct);

    private async Task<ReleaseView?> ReplayAsync(DbConnection connection, DbTransaction? tx, string key, CancellationToken ct)
    {
        var id = await Keys.FindAsync(connection, tx, caller.UserId, key, clock.GetUtcNow(), ct);
        return id is { } found ? await ReleaseRows.LoadAsync(connection, tx, found, ct) : null;
    }


    public async Task<Outcome<ReleaseView>> UpdateAsync(Guid id, int expectedVersion, UpdateRequest request, CancellationToken ct = default)
    {
        if (!caller.HasPermission(ReleasePermissions.Manage) || !caller.IsProviderStaff)
        {
            return ReleaseRules.Forbidden(text);
        }
        ReleaseView? current;
        await using (var reader = await database.OpenAsync(ct))
        {
            current = await ReleaseRows.LoadAsync(reader, null, id, ct);
        }
        if (current is null)
        {
            return text.NotFound();
        }
        var state = current.ParsedState;
        var errors = text.Errors().Optional("reason", request.Reason, 2000);
        if (request.Title is not null)
        {
            errors.Required("title", request.Title, MaxTitle);
        }
        CheckPlan(errors, request.Description, request.PlannedStart ?? current.PlannedStart, request.PlannedEnd ?? current.PlannedEnd, request.Deliverables,
            request.SiteActivities, request.BackOutPlan, request.AcceptanceCriteria, request.Communication, request.Risks, request.ProblemsClosed, request.Notes);
        var planTouched = request.Title is not null || request.Description is not null || request.PlannedStart is not null || request.PlannedEnd is not null
            || request.Deliverables is not null || request.SiteActivities is not null || request.BackOutPlan is not null || request.AcceptanceCriteria is not null
            || request.Communication is not null || request.Risks is not null || request.ProblemsClosed is not null;
        if (planTouched && !ReleaseLifecycle.PlanEditable(state))
        {
            errors.AddMessage("plan", text["Release.PlanFixed", text[$"State.{state.Key()}"]]);
        }
        if ((request.Changes is not null || request.Items is not null) && !ReleaseLifecycle.ContentEditable(state))
        {
            errors.AddMessage(request.Changes is not null ? "changes" : "items", text["Release.ContentFixed", text[$"State.{state.Key()}"]]);
        }
        if (request.Notes is not null && !ReleaseLifecycle.NotesEditable(state))
        {
            errors.AddMessage("notes", text["Release.NotesFixed", text[$"State.{state.Key()}"]]);
        }
        Content? content = null;
        if (errors.IsEmpty && (request.Changes is not null || request.Items is not null))
        {
            content = await ResolveAsync(errors, request.Changes ?? [.. current.Changes.Select(c => c.ChangeNumber)],
                request.Items ?? [.. current.Items.Select(i => new ItemInput(i.CiId.ToString(), i.VersionLabel))], ct);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<ReleaseView>>(async (connection, tx) =>
        {
            var before = await ReleaseRows.LoadAsync(connection, tx, id, ct);
            if (before is null)
            {
                return text.NotFound();
            }
            if (before.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (before.State != current.State)
            {
                // Moved since we checked what may be edited: the caller must look again.
                return text.Stale();
            }
            if (content is not null && await InOtherReleasesAsync(connection, tx, id, content.Changes, ct) is { IsEmpty: false } taken)
            {
                return text.Invalid(taken);
            }
            var row = new
            {
                id, expectedVersion, now = clock.GetUtcNow(),
                title = request.Title?.Trim() ?? before.Title,
                description = request.Description?.Trim() ?? before.Description,
                plannedStart = request.PlannedStart ?? before.PlannedStart,
                plannedEnd = request.PlannedEnd ?? before.PlannedEnd,
                deliverables = request.Deliverables?.Trim() ?? before.Deliverables,
                siteActivities = request.SiteActivities?.Trim() ?? before.SiteActivities,
                backOutPlan = request.BackOutPlan?.Trim() ?? before.BackOutPlan,
                acceptanceCriteria = request.AcceptanceCriteria?.Trim() ?? before.AcceptanceCriteria,
                communication = request.Communication?.Trim() ?? before.Communication,
                risks = request.Risks?.Trim() ?? before.Risks,
                problemsClosed = request.ProblemsClosed?.Trim() ?? before.ProblemsClosed,
                notes = request.Notes?.Trim() ?? before.Notes,
            };
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE rel_releases SET title = @title, description = @description, planned_start = @plannedStart, planned_end = @plannedEnd,
                    deliverables = @deliverables, site_activities = @siteActivities, back_out_plan = @backOutPlan, acceptance_criteria = @acceptanceCriteria,
                    communication = @communication, risks = @risks, problems_closed = @problemsClosed, notes = @notes, updated_at = @now, version = version + 1
                WHERE id = @id AND version = @expectedVersion
                """, row, tx, cancellationToken: ct));
            if (updated == 0)
            {
                return text.Stale();
            }
            if (content is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition("DELETE FROM rel_release_changes WHERE release_id = @id", new { id }, tx, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition("DELETE FROM rel_release_items WHERE release_id = @id", new { id }, tx, cancellationToken: ct));
                await WriteContentAsync(connection, tx, id, content, ct);
            }
            var old = Snapshot(before.Title, before.Description, before.PlannedStart, before.PlannedEnd, before.Deliverables, before.SiteActivities,
                before.BackOutPlan, before.AcceptanceCriteria, before.Communication, before.Risks, before.ProblemsClosed, before.Notes,
                new Content([], []), before);
            var @new = Snapshot(row.title, row.description, row.plannedStart, row.plannedEnd, row.deliverables, row.siteActivities, row.backOutPlan,
                row.acceptanceCriteria, row.communication, row.risks, row.problemsClosed, row.notes, content ?? new Content([], []), content is null ? before : null);
            await audit.WriteAsync(connection, tx, new AuditEvent(ReleaseRules.RecordType, id.ToString("D"), "updated", null,
                AuditTrail.Diff(old, @new), ReleaseRules.Blank(request.Reason)), ct);
            return (await ReleaseRows.LoadAsync(connection, tx, id, ct))!;
        }, ct);
    }

    private void CheckPlan(
        FieldErrors errors, string? description, DateTimeOffset? start, DateTimeOffset? end, string? deliverables, string? sites, string? backOut,
        string? acceptance, string? communication, string? risks, string? problems, string? notes)
    {
        errors.Optional("description", description, ReleaseRules.MaxText)
            .Optional("deliverables", deliverables, ReleaseRules.MaxText)
            .Optional("siteActivities", sites, ReleaseRules.MaxText)
            .Optional("backOutPlan", backOut, ReleaseRules.MaxText)
            .Optional("acceptanceCriteria", acceptance, ReleaseRules.MaxText)
            .Optional("communication", communication, ReleaseRules.MaxText)
            .Optional("risks", risks, ReleaseRules.MaxText)
            .Optional("problemsClosed", problems, ReleaseRules.MaxText)
            .Optional("notes", notes, 100_000);
        if (start is { } s && end is { } e && e < s)
        {
            errors.AddMessage("plannedEnd", text["Release.EndBeforeStart"]);
        }
    }

    /// <summary>Finds the changes and CIs named, refusing unknown, unauthorised or dead changes and unknown or disposed CIs, each on its own field.</summary>
    private async Task<Content> ResolveAsync(FieldErrors errors, IReadOnlyList<string> changeNumbers, IReadOnlyList<ItemInput> items, CancellationToken ct)
    {
        var numbers = changeNumbers.Select(n => n?.Trim().ToUpperInvariant() ?? "").ToList();
        var found = numbers.Any(n => n.Length > 0) ? await changes.FindAsync([.. numbers.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal)], ct) : [];
        var chosen = new List<ChangeFacts>();
        for (var i = 0; i < numbers.Count; i++)
        {
            var field = $"changes[{i}]";
            if (numbers[i].Length == 0)
            {
                errors.Add(field, "Validation.Required");
                continue;
            }
            var change = found.FirstOrDefault(c => string.Equals(c.Number, numbers[i], StringComparison.OrdinalIgnoreCase));
            if (change is null)
            {
                errors.AddMessage(field, text["Release.ChangeUnknown", numbers[i]]);
            }
            else if (chosen.Any(c => c.Id == change.Id))
            {
                errors.Add(field, "Validation.Duplicate", change.Number);
            }
            else if (ReleaseRules.Unusable(text, change) is { } why)
            {
                errors.AddMessage(field, why);
            }
            else
            {
                chosen.Add(change);
            }
        }

        var references = items.Select(i => i.Ci?.Trim() ?? "").ToList();
        var cis = references.Any(r => r.Length > 0) ? await cmdb.FindAsync([.. references.Where(r => r.Length > 0).Distinct(StringComparer.Ordinal)], ct) : [];
        var delivered = new List<(CiFacts, string)>();
        for (var i = 0; i < items.Count; i++)
        {
            errors.Required($"items[{i}].versionLabel", items[i].VersionLabel, 100);
            var reference = references[i];
            if (reference.Length == 0)
            {
                errors.Add($"items[{i}].ci", "Validation.Required");
                continue;
            }
            var ci = cis.FirstOrDefault(c => Guid.TryParse(reference, out var g) ? c.Id == g
                : string.Equals(c.Identifier, reference, StringComparison.OrdinalIgnoreCase) || string.Equals(c.Name, reference, StringComparison.Ordinal));
            if (ci is null)
            {
                errors.AddMessage($"items[{i}].ci", text["Release.CiUnknown", reference]);
            }
            else if (ci.Status is "disposed" or "cancelled")
            {
                errors.AddMessage($"items[{i}].ci", text["Release.CiFinal", ci.Identifier, ci.Status]);
            }
            else if (delivered.Any(d => d.Item1.Id == ci.Id))
            {
                errors.Add($"items[{i}].ci", "Validation.Duplicate", ci.Identifier);
            }
            else if (!string.IsNullOrWhiteSpace(items[i].VersionLabel))
            {
                delivered.Add((ci, items[i].VersionLabel!.Trim()));
            }
        }
        return new Content(chosen, delivered);
    }

    /// <summary>A change goes out in one release: refuses changes another live release (not cancelled or backed out) already carries.</summary>
    private async Task<FieldErrors> InOtherReleasesAsync(DbConnection connection, DbTransaction tx, Guid id, IReadOnlyList<ChangeFacts> chosen, CancellationToken ct)
    {
        var errors = text.Errors();
        if (chosen.Count == 0)
        {
            return errors;
        }
        var dialect = SqlDialect.For(connection);
        var taken = await connection.QueryAsync<(string Change, long Number)>(new CommandDefinition(
            $"""
            SELECT c.change_number, r.number FROM rel_release_changes c JOIN rel_releases r ON r.id = c.release_id
            WHERE {dialect.In("c.change_id", "ids")} AND r.id <> @id AND r.state NOT IN ('cancelled', 'backed-out')
            """, new { ids = chosen.Select(c => c.Id).ToArray(), id }, tx, cancellationToken: ct));
        foreach (var (change, number) in taken)
        {
            var index = chosen.ToList().FindIndex(c => string.Equals(c.Number, change, StringComparison.Ordinal));
            errors.AddMessage($"changes[{Math.Max(index, 0)}]", text["Release.ChangeInRelease", change, new ReleaseNumber(number).ToString()]);
        }
        return errors;
    }

    private static async Task WriteContentAsync(DbConnection connection, DbTransaction tx, Guid id, Content content, CancellationToken ct)
    {
        for (var i = 0; i < content.Changes.Count; i++)
        {
            var c = content.Changes[i];
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO rel_release_changes (release_id, change_id, change_number, title, position) VALUES (@id, @changeId, @number, @title, @position)",
                new { id, changeId = c.Id, number = c.Number, title = c.Title, position = i }, tx, cancellationToken: ct));
        }
        for (var i = 0; i < content.Items.Count; i++)
        {
            var (ci, version) = content.Items[i];
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO rel_release_items (release_id, ci_id, identifier, name, version_label, position)
                VALUES (@id, @ciId, @identifier, @name, @version, @position)
                """, new { id, ciId = ci.Id, identifier = ci.Identifier, name = ci.Name, version, position = i }, tx, cancellationToken: ct));
        }
    }

    /// <summary>The identifier under the policy's scheme, with the policy's next running number (skipping any already taken).</summary>
    private static async Task<string> IdentifierAsync(DbConnection connection, DbTransaction tx, PolicyView policy, string type, DateTimeOffset now, CancellationToken ct)
    {
        var counter = IdentificationScheme.SequenceName(policy.Id, policy.IdentificationScheme, now);
        while (true)
        {
            var sequence = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO rel_counters (name, value) VALUES (@counter, 1)
                ON CONFLICT (name) DO UPDATE SET value = rel_counters.value + 1
                RETURNING value
                """, new { counter }, tx, cancellationToken: ct));
            var identifier = IdentificationScheme.Format(policy.IdentificationScheme, policy.ServiceCode, type, now, sequence);
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM rel_releases WHERE identifier = @identifier", new { identifier }, tx, cancellationToken: ct)) == 0)
            {
                return identifier;
            }
        }
    }

    private static Dictionary<string, object?> Snapshot(
        string title, string description, DateTimeOffset? start, DateTimeOffset? end, string deliverables, string sites, string backOut, string acceptance,
        string communication, string risks, string problems, string notes, Content content, ReleaseView? existing = null) => new(StringComparer.Ordinal)
        {
            ["title"] = title,
            ["description"] = description,
            ["plannedStart"] = start,
            ["plannedEnd"] = end,
            ["deliverables"] = deliverables,
            ["siteActivities"] = sites,
            ["backOutPlan"] = backOut,
            ["acceptanceCriteria"] = acceptance,
            ["communication"] = communication,
            ["risks"] = risks,
            ["problemsClosed"] = problems,
            ["notes"] = notes,
            ["changes"] = existing is not null
                ? string.Join(", ", existing.Changes.Select(c => c.ChangeNumber))
                : string.Join(", ", content.Changes.Select(c => c.Number)),
            ["items"] = existing is not null
                ? string.Join(", ", existing.Items.Select(i => $"{i.Identifier} {i.VersionLabel}"))
                : string.Join(", ", content.Items.Select(i => $"{i.Ci.Identifier} {i.Version}")),
        };
}
