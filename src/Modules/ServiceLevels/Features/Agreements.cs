using System.Data.Common;
using System.Globalization;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Domain;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>Response and resolution targets for one priority, in business minutes; null means no target.</summary>
public sealed record TargetView(int Priority, int? ResponseMinutes, int? ResolutionMinutes)
{
    internal const string Columns = "version_id, priority, response_minutes, resolution_minutes";

    internal static async Task<List<(Guid VersionId, TargetView Target)>> LoadAsync(DbConnection connection, DbTransaction? tx, string where, object args, CancellationToken ct) =>
        [.. (await connection.QueryAsync<TargetRow>(new CommandDefinition($"SELECT {Columns} FROM sla_targets WHERE {where} ORDER BY priority", args, tx, cancellationToken: ct)))
            .Select(r => (r.VersionId, new TargetView(r.Priority, r.ResponseMinutes, r.ResolutionMinutes)))];

    private sealed class TargetRow
    {
        public Guid VersionId { get; init; }
        public int Priority { get; init; }
        public int? ResponseMinutes { get; init; }
        public int? ResolutionMinutes { get; init; }
    }
}

/// <summary>One version of an agreement: drafted, then approved to take effect on a date.</summary>
public sealed class AgreementVersionView
{
    public Guid Id { get; init; }
    public Guid AgreementId { get; init; }
    public int Number { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset? EffectiveFrom { get; init; }
    public DateTimeOffset? EffectiveTo { get; init; }
    public Guid? CalendarId { get; init; }
    public double? AvailabilityTarget { get; init; }
    public int WarningPercent { get; init; }
    public string PauseStatusesText { get; init; } = "";
    public IReadOnlyList<string> PauseStatuses => PauseStatusesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    public string OnReopen { get; init; } = "";
    public string Notes { get; init; } = "";
    public Guid? ApprovedBy { get; init; }
    public string? ApprovedByName { get; set; }
    public DateTimeOffset? ApprovedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public IReadOnlyList<TargetView> Targets { get; set; } = [];

    /// <summary>Whether this version is the one in force at <paramref name="at"/>.</summary>
    public bool InForceAt(DateTimeOffset at) =>
        Status == "approved" && EffectiveFrom <= at && (EffectiveTo is null || EffectiveTo > at);

    internal const string Columns = """
        v.id, v.agreement_id, v.number, v.status, v.effective_from, v.effective_to, v.calendar_id, v.availability_target, v.warning_percent,
        v.pause_statuses AS pause_statuses_text, v.on_reopen, v.notes, v.approved_by, v.approved_at, v.created_at
        """;
}

/// <summary>An SLA with a customer, an OLA with an internal group, or an underpinning contract with a supplier.</summary>
public sealed class AgreementView : IVersioned
{
    public Guid Id { get; init; }
    public long NumberValue { get; init; }
    public string Kind { get; init; } = "";
    public string Number => $"{Kind.ToUpperInvariant()}-{NumberValue:D4}";
    public string Title { get; init; } = "";
    public Guid? ServiceId { get; init; }
    public string? ServiceCode { get; set; }
    public Guid? OrganisationId { get; init; }
    public string? OrganisationName { get; set; }
    public Guid? GroupId { get; init; }
    public string? GroupName { get; set; }
    public string? Supplier { get; init; }
    public Guid? ProjectId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }
    public IReadOnlyList<AgreementVersionView> Versions { get; set; } = [];

    /// <summary>The version in force now, if any.</summary>
    public AgreementVersionView? Current { get; set; }

    internal const string Columns =
        "a.id, a.number AS number_value, a.kind, a.title, a.service_id, a.organisation_id, a.group_id, a.supplier, a.project_id, a.created_at, a.updated_at, a.version";
}

/// <summary>
/// Agreements and their versions (ISO 20000-1:2018 8.3.3): a draft version is edited freely; approval fixes it and
/// makes it effective from a date, ending the version it replaces. Clocks keep the version in force when the
/// incident was logged.
/// </summary>
public sealed class Agreements(Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, ClockCalendars calendars, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "agreement";

    /// <summary>The terms of one version.</summary>
    public sealed record Terms(
        Guid? CalendarId, double? AvailabilityTarget, int? WarningPercent, IReadOnlyList<string>? PauseStatuses, string? OnReopen, string? Notes,
        IReadOnlyList<TargetView>? Targets);

    public sealed record CreateRequest(
        string? Kind, string? Title, Guid? ServiceId, Guid? OrganisationId, Guid? GroupId, string? Supplier, Guid? ProjectId, Terms? Terms);

    public sealed record ApproveRequest(DateTimeOffset? EffectiveFrom, string? Reason);

    private static readonly string[] PausableStatuses = ["new", "assigned", "in-progress", "pending"];

    public async Task<IReadOnlyList<AgreementView>> ListAsync(string? kind = null, Guid? organisationId = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var conditions = new List<string>();
        if (caller.VisibleOrganisationId is not null)
        {
            // A customer sees their own SLAs only: never the provider's OLAs or supplier contracts.
            conditions.Add("a.organisation_id = @scopeOrg AND a.kind = 'sla'");
        }
        if (ServiceLevelNames.ParseKind(kind) is not null)
        {
            conditions.Add("a.kind = @kind");
        }
        if (organisationId is not null)
        {
            conditions.Add("a.organisation_id = @organisationId");
        }
        var agreements = (await connection.QueryAsync<AgreementView>(new CommandDefinition(
            $"SELECT {AgreementView.Columns} FROM sla_agreements a {(conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions))} ORDER BY a.kind, a.number",
            new { scopeOrg = caller.VisibleOrganisationId, kind = ServiceLevelNames.ParseKind(kind)?.Key(), organisationId }, cancellationToken: ct))).ToList();
        await DecorateAsync(connection, null, agreements, ct);
        return agreements;
    }

    public async Task<AgreementView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var agreement = await LoadAsync(connection, null, id, ct);
        if (agreement is null || (caller.VisibleOrganisationId is { } own && (agreement.OrganisationId != own || agreement.Kind != "sla")))
        {
            return null;
        }
        await DecorateAsync(connection, null, [agreement], ct);
        return agreement;
    }

    public async Task<Outcome<AgreementView>> CreateAsync(CreateRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("title", request.Title, 200).Optional("supplier", request.Supplier, 200);
        var kind = ServiceLevelNames.ParseKind(request.Kind);
        switch (kind)
        {
            case null:
                errors.Add("kind", "Validation.OneOf", "sla, ola, uc");
                break;
            case AgreementKind.Sla when request.OrganisationId is null:
                errors.AddMessage("organisationId", text["Agreement.SlaNeedsCustomer"]);
                break;
            case AgreementKind.Ola when request.GroupId is null:
                errors.AddMessage("groupId", text["Agreement.OlaNeedsGroup"]);
                break;
            case AgreementKind.Uc when string.IsNullOrWhiteSpace(request.Supplier):
                errors.AddMessage("supplier", text["Agreement.UcNeedsSupplier"]);
                break;
            default:
                break;
        }
        if (request.OrganisationId is { } organisationId && await directory.FindOrganisationAsync(organisationId, ct) is not { Kind: OrganisationKind.Customer })
        {
            errors.Add("organisationId", "Validation.Unknown", organisationId);
        }
        if (request.GroupId is { } groupId && await directory.FindGroupAsync(groupId, ct) is null)
        {
            errors.Add("groupId", "Validation.Unknown", groupId);
        }
        var terms = request.Terms ?? new Terms(null, null, null, null, null, null, null);
        await ValidateTermsAsync(errors, terms, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        return await database.WriteAsync<Outcome<AgreementView>>(async (connection, tx) =>
        {
            if (request.ServiceId is { } serviceId && await ServicePortfolio.LoadAsync(connection, tx, serviceId, ct) is null)
            {
                return text.Invalid(text.Errors().Add("serviceId", "Validation.Unknown", serviceId));
            }
            if (request.ProjectId is { } projectId && await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM sla_projects WHERE id = @projectId", new { projectId }, tx, cancellationToken: ct)) == 0)
            {
                return text.Invalid(text.Errors().Add("projectId", "Validation.Unknown", projectId));
            }
            var number = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "UPDATE sla_counters SET value = value + 1 WHERE name = 'agreement' RETURNING value", transaction: tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO sla_agreements (id, number, kind, title, service_id, organisation_id, group_id, supplier, project_id, created_at, updated_at, version)
                VALUES (@id, @number, @kind, @title, @serviceId, @organisationId, @groupId, @supplier, @projectId, @now, @now, 1)
                """,
                new
                {
                    id, number, kind = kind!.Value.Key(), title = request.Title!.Trim(), serviceId = request.ServiceId,
                    organisationId = kind == AgreementKind.Sla ? request.OrganisationId : null,
                    groupId = kind == AgreementKind.Ola ? request.GroupId : null,
                    supplier = kind == AgreementKind.Uc ? request.Supplier!.Trim() : null, projectId = request.ProjectId, now,
                }, tx, cancellationToken: ct));
            await InsertVersionAsync(connection, tx, id, 1, terms, now, ct);
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "created", request.OrganisationId,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["kind"] = kind.Value.Key(), ["title"] = request.Title.Trim(), ["serviceId"] = request.ServiceId, ["organisationId"] = request.OrganisationId,
                    ["groupId"] = request.GroupId, ["supplier"] = request.Supplier, ["version"] = 1,
                })), ct);
            return await DecoratedAsync(connection, tx, id, ct);
        }, ct);
    }

    /// <summary>Starts a new draft version from the latest one (there is at most one draft at a time).</summary>
    public async Task<Outcome<AgreementView>> DraftAsync(Guid id, int expectedVersion, Terms? terms, CancellationToken ct = default)
    {
        var errors = text.Errors();
        if (terms is not null)
        {
            await ValidateTermsAsync(errors, terms, ct);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await ChangeAsync(id, expectedVersion, "drafted", async (connection, tx, agreement, now) =>
        {
            if (agreement.Versions.Any(v => v.Status == "draft"))
            {
                return new Failure(FailureKind.Conflict, text["Agreement.DraftExists"]);
            }
            var latest = agreement.Versions.MaxBy(v => v.Number)!;
            var number = latest.Number + 1;
            await InsertVersionAsync(connection, tx, id, number, terms ?? TermsOf(latest), now, ct);
            return new AuditChange("version", latest.Number.ToString(CultureInfo.InvariantCulture), number.ToString(CultureInfo.InvariantCulture));
        }, ct);
    }

    /// <summary>Replaces the terms of the draft version.</summary>
    public async Task<Outcome<AgreementView>> ReviseDraftAsync(Guid id, int expectedVersion, Terms terms, CancellationToken ct = default)
    {
        var errors = text.Errors();
        await ValidateTermsAsync(errors, terms, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await ChangeAsync(id, expectedVersion, "revised", async (connection, tx, agreement, now) =>
        {
            if (agreement.Versions.FirstOrDefault(v => v.Status == "draft") is not { } draft)
            {
                return new Failure(FailureKind.Conflict, text["Agreement.NoDraft"]);
            }
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sla_targets WHERE version_id = @id", new { id = draft.Id }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE sla_agreement_versions SET calendar_id = @CalendarId, availability_target = @AvailabilityTarget, warning_percent = @warning,
                    pause_statuses = @pause, on_reopen = @reopen, notes = @notes
                WHERE id = @id
                """,
                new
                {
                    id = draft.Id, terms.CalendarId, terms.AvailabilityTarget, warning = terms.WarningPercent ?? 75, pause = PauseText(terms),
                    reopen = ReopenOf(terms).Key(), notes = terms.Notes?.Trim() ?? "",
                }, tx, cancellationToken: ct));
            await InsertTargetsAsync(connection, tx, draft.Id, terms.Targets ?? [], ct);
            return new AuditChange("draft", null, Describe(terms));
        }, ct);
    }

    /// <summary>Approves the draft: it takes effect from the given instant (default now) and ends the version before it.</summary>
    public async Task<Outcome<AgreementView>> ApproveAsync(Guid id, int expectedVersion, ApproveRequest request, CancellationToken ct = default)
    {
        return await ChangeAsync(id, expectedVersion, "approved", async (connection, tx, agreement, now) =>
        {
            if (agreement.Versions.FirstOrDefault(v => v.Status == "draft") is not { } draft)
            {
                return new Failure(FailureKind.Conflict, text["Agreement.NoDraft"]);
            }
            if (draft.Targets.All(t => t.ResponseMinutes is null && t.ResolutionMinutes is null) && agreement.Kind != "uc")
            {
                return text.Invalid(text.Errors().AddMessage("targets", text["Agreement.NoTargets"]));
            }
            var from = request.EffectiveFrom ?? now;
            var previous = agreement.Versions.Where(v => v.Status == "approved").MaxBy(v => v.Number);
            if (previous?.EffectiveFrom is { } earlier && from <= earlier)
            {
                return text.Invalid(text.Errors().AddMessage("effectiveFrom", text["Agreement.EffectiveAfterPrevious", earlier.ToString("u", CultureInfo.InvariantCulture)]));
            }
            if (previous is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE sla_agreement_versions SET effective_to = @from WHERE id = @id", new { from, id = previous.Id }, tx, cancellationToken: ct));
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE sla_agreement_versions SET status = 'approved', effective_from = @from, approved_by = @by, approved_at = @now WHERE id = @id",
                new { from, by = caller.UserId, now, id = draft.Id }, tx, cancellationToken: ct));
            return new AuditChange("approvedVersion", previous?.Number.ToString(CultureInfo.InvariantCulture),
                $"{draft.Number} ({from.ToString("u", CultureInfo.InvariantCulture)})");
        }, ct, request.Reason);
    }

    private async Task<Outcome<AgreementView>> ChangeAsync(
        Guid id, int expectedVersion, string action, Func<DbConnection, DbTransaction, AgreementView, DateTimeOffset, Task<Outcome<AuditChange>>> change,
        CancellationToken ct, string? reason = null)
    {
        var now = clock.GetUtcNow();
        return await database.WriteAsync<Outcome<AgreementView>>(async (connection, tx) =>
        {
            if (await LoadAsync(connection, tx, id, ct) is not { } agreement)
            {
                return text.NotFound();
            }
            if (agreement.Version != expectedVersion)
            {
                return text.Stale();
            }
            await DecorateAsync(connection, tx, [agreement], ct);
            var outcome = await change(connection, tx, agreement, now);
            if (!outcome.Succeeded)
            {
                return outcome.Failure!;
            }
            var bumped = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE sla_agreements SET updated_at = @now, version = version + 1 WHERE id = @id AND version = @expectedVersion",
                new { now, id, expectedVersion }, tx, cancellationToken: ct));
            if (bumped == 0)
            {
                return text.Stale();
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), action, agreement.OrganisationId, [outcome.Value!], reason), ct);
            return await DecoratedAsync(connection, tx, id, ct);
        }, ct);
    }

    private async Task ValidateTermsAsync(FieldErrors errors, Terms terms, CancellationToken ct)
    {
        errors.Optional("notes", terms.Notes, 20_000);
        if (terms.WarningPercent is { } warning && warning is < 1 or > 99)
        {
            errors.AddMessage("warningPercent", text["Agreement.WarningRange"]);
        }
        if (terms.AvailabilityTarget is { } availability && availability is <= 0 or > 100)
        {
            errors.AddMessage("availabilityTarget", text["Agreement.AvailabilityRange"]);
        }
        foreach (var status in terms.PauseStatuses ?? [])
        {
            if (!PausableStatuses.Contains(status, StringComparer.Ordinal))
            {
                errors.Add("pauseStatuses", "Validation.OneOf", string.Join(", ", PausableStatuses));
            }
        }
        if (terms.OnReopen is not null && ServiceLevelNames.ParseReopen(terms.OnReopen) is null)
        {
            errors.Add("onReopen", "Validation.OneOf", "resume, restart");
        }
        var targets = terms.Targets ?? [];
        if (targets.Any(t => t.Priority is < 1 or > 5) || targets.Select(t => t.Priority).Distinct().Count() != targets.Count)
        {
            errors.AddMessage("targets", text["Agreement.TargetPriorities"]);
        }
        if (targets.Any(t => t.ResponseMinutes is <= 0 || t.ResolutionMinutes is <= 0))
        {
            errors.AddMessage("targets", text["Agreement.TargetPositive"]);
        }
        if (targets.Any(t => t.ResponseMinutes is { } r && t.ResolutionMinutes is { } s && r > s))
        {
            errors.AddMessage("targets", text["Agreement.ResponseWithinResolution"]);
        }
        if (terms.CalendarId is { } calendarId && !await calendars.ExistsAsync(calendarId, ct))
        {
            errors.Add("calendarId", "Validation.Unknown", calendarId);
        }
    }

    private static async Task InsertVersionAsync(DbConnection connection, DbTransaction tx, Guid agreementId, int number, Terms terms, DateTimeOffset now, CancellationToken ct)
    {
        var versionId = Guid.CreateVersion7();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sla_agreement_versions (id, agreement_id, number, status, calendar_id, availability_target, warning_percent, pause_statuses, on_reopen, notes, created_at)
            VALUES (@versionId, @agreementId, @number, 'draft', @CalendarId, @AvailabilityTarget, @warning, @pause, @reopen, @notes, @now)
            """,
            new
            {
                versionId, agreementId, number, terms.CalendarId, terms.AvailabilityTarget, warning = terms.WarningPercent ?? 75, pause = PauseText(terms),
                reopen = ReopenOf(terms).Key(), notes = terms.Notes?.Trim() ?? "", now,
            }, tx, cancellationToken: ct));
        await InsertTargetsAsync(connection, tx, versionId, terms.Targets ?? [], ct);
    }

    private static async Task InsertTargetsAsync(DbConnection connection, DbTransaction tx, Guid versionId, IReadOnlyList<TargetView> targets, CancellationToken ct)
    {
        foreach (var target in targets)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO sla_targets (version_id, priority, response_minutes, resolution_minutes) VALUES (@versionId, @Priority, @ResponseMinutes, @ResolutionMinutes)",
                new { versionId, target.Priority, target.ResponseMinutes, target.ResolutionMinutes }, tx, cancellationToken: ct));
        }
    }

    private static string PauseText(Terms terms) => string.Join(",", (terms.PauseStatuses ?? ["pending"]).Distinct(StringComparer.Ordinal));

    private static ReopenPolicy ReopenOf(Terms terms) => ServiceLevelNames.ParseReopen(terms.OnReopen ?? "resume") ?? ReopenPolicy.Resume;

    private static Terms TermsOf(AgreementVersionView v) =>
        new(v.CalendarId, v.AvailabilityTarget, v.WarningPercent, v.PauseStatuses, v.OnReopen, v.Notes, v.Targets);

    private static string Describe(Terms terms) => string.Join("; ", (terms.Targets ?? []).OrderBy(t => t.Priority)
        .Select(t => string.Create(CultureInfo.InvariantCulture, $"P{t.Priority} {t.ResponseMinutes?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{t.ResolutionMinutes?.ToString(CultureInfo.InvariantCulture) ?? "-"} min")));

    internal static Task<AgreementView?> LoadAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<AgreementView>(new CommandDefinition(
            $"SELECT {AgreementView.Columns} FROM sla_agreements a WHERE a.id = @id", new { id }, tx, cancellationToken: ct));

    private async Task<AgreementView> DecoratedAsync(DbConnection connection, DbTransaction tx, Guid id, CancellationToken ct)
    {
        var agreement = (await LoadAsync(connection, tx, id, ct))!;
        await DecorateAsync(connection, tx, [agreement], ct);
        return agreement;
    }

    private async Task DecorateAsync(DbConnection connection, DbTransaction? tx, List<AgreementView> agreements, CancellationToken ct)
    {
        if (agreements.Count == 0)
        {
            return;
        }
        var ids = agreements.Select(a => a.Id).ToArray();
        var versions = (await connection.QueryAsync<AgreementVersionView>(new CommandDefinition(
                $"SELECT {AgreementVersionView.Columns} FROM sla_agreement_versions v WHERE {database.Dialect.In("v.agreement_id", "ids")} ORDER BY v.number",
                new { ids }, tx, cancellationToken: ct)))
            .ToList();
        var versionIds = versions.Select(v => v.Id).ToArray();
        var targets = await TargetView.LoadAsync(connection, tx, database.Dialect.In("version_id", "ids"), new { ids = versionIds }, ct);
        var services = agreements.Where(a => a.ServiceId is not null).Select(a => a.ServiceId!.Value).Distinct().ToArray();
        var codes = services.Length == 0 ? [] : (await connection.QueryAsync<(Guid Id, string Code)>(new CommandDefinition(
            $"SELECT id, code FROM sla_services WHERE {database.Dialect.In("id", "ids")}", new { ids = services }, tx, cancellationToken: ct))).ToDictionary(s => s.Id, s => s.Code);
        var organisations = await directory.FindOrganisationsAsync(agreements.Where(a => a.OrganisationId is not null).Select(a => a.OrganisationId!.Value).Distinct(), ct);
        var groups = await directory.FindGroupsAsync(agreements.Where(a => a.GroupId is not null).Select(a => a.GroupId!.Value).Distinct(), ct);
        var approvers = await directory.FindUsersAsync(versions.Where(v => v.ApprovedBy is not null).Select(v => v.ApprovedBy!.Value).Distinct(), ct);
        var now = clock.GetUtcNow();
        foreach (var agreement in agreements)
        {
            agreement.Versions = [.. versions.Where(v => v.AgreementId == agreement.Id)];
            foreach (var version in agreement.Versions)
            {
                version.Targets = [.. targets.Where(t => t.VersionId == version.Id).Select(t => t.Target)];
                version.ApprovedByName = version.ApprovedBy is { } by && approvers.TryGetValue(by, out var u) ? u.DisplayName : null;
            }
            agreement.Current = agreement.Versions.FirstOrDefault(v => v.InForceAt(now));
            agreement.ServiceCode = agreement.ServiceId is { } s && codes.TryGetValue(s, out var code) ? code : null;
            agreement.OrganisationName = agreement.OrganisationId is { } o && organisations.TryGetValue(o, out var org) ? org.Name : null;
            agreement.GroupName = agreement.GroupId is { } g && groups.TryGetValue(g, out var group) ? group.Name : null;
        }
    }
}
