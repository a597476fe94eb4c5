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

/// <summary>A customer contract run as a service project, with the processes it switches on.</summary>
public sealed class ProjectView : IVersioned
{
    public Guid Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public Guid OrganisationId { get; init; }
    public string? OrganisationName { get; set; }
    public Guid ManagerId { get; init; }
    public string? ManagerName { get; set; }
    public string? ContractRef { get; init; }
    public string StartsOn { get; init; } = "";
    public string? EndsOn { get; init; }
    public IReadOnlyList<string> Processes { get; set; } = [];
    public IReadOnlyList<Guid> ServiceIds { get; set; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }

    /// <summary>Every process area with whether this project runs it and whether it may be switched off.</summary>
    public IReadOnlyList<ProcessChoice> Choices =>
    [
        .. ServiceProcesses.Mandatory.Select(p => new ProcessChoice(p, true, true)),
        .. ServiceProcesses.Optional.Select(p => new ProcessChoice(p, Processes.Contains(p, StringComparer.Ordinal), false)),
    ];

    internal const string Columns =
        "p.id, p.code, p.name, p.organisation_id, p.manager_id, p.contract_ref, p.starts_on, p.ends_on, p.created_at, p.updated_at, p.version";
}

/// <param name="Process">Process key, such as <c>change</c>.</param>
/// <param name="Enabled">Whether the project runs it.</param>
/// <param name="Mandatory">Always on in every project (manual §2.1.4.1).</param>
public sealed record ProcessChoice(string Process, bool Enabled, bool Mandatory);

/// <summary>
/// Service projects and tailoring (manual §2.1.4.1): every customer contract is a project led by a project manager.
/// The six always-on processes cannot be switched off; the eight optional ones are chosen per project, and each
/// choice is audited.
/// </summary>
public sealed class ServiceProjects(Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "service-project";

    public sealed record Request(
        string? Code, string? Name, Guid? OrganisationId, Guid? ManagerId, string? ContractRef, string? StartsOn, string? EndsOn,
        IReadOnlyList<string>? Processes, IReadOnlyList<Guid>? ServiceIds, string? Reason = null);

    public async Task<IReadOnlyList<ProjectView>> ListAsync(Guid? organisationId = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var where = OrganisationScope.Filter(caller, "p.organisation_id") + (organisationId is null ? "" : " AND p.organisation_id = @organisationId");
        var projects = (await connection.QueryAsync<ProjectView>(new CommandDefinition(
            $"SELECT {ProjectView.Columns} FROM sla_projects p WHERE {where} ORDER BY p.code",
            new { scopeOrg = OrganisationScope.Parameter(caller), organisationId }, cancellationToken: ct))).ToList();
        await DecorateAsync(connection, null, projects, ct);
        return projects;
    }

    public async Task<ProjectView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var project = await LoadAsync(connection, null, id, ct);
        if (project is null || !caller.CanSee(project.OrganisationId))
        {
            return null;
        }
        await DecorateAsync(connection, null, [project], ct);
        return project;
    }

    public async Task<Outcome<ProjectView>> CreateAsync(Request request, CancellationToken ct = default)
    {
        var (errors, processes) = await ValidateAsync(request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        return await database.WriteAsync<Outcome<ProjectView>>(async (connection, tx) =>
        {
            if (await CodeTakenAsync(connection, tx, request.Code!, null, ct))
            {
                return text.Invalid(text.Errors().AddMessage("code", text["Project.CodeTaken", request.Code!.Trim()]));
            }
            var row = Row(id, request, now, 1);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO sla_projects (id, code, name, organisation_id, manager_id, contract_ref, starts_on, ends_on, created_at, updated_at, version)
                VALUES (@id, @code, @name, @organisationId, @managerId, @contractRef, @startsOn, @endsOn, @now, @now, 1)
                """, row, tx, cancellationToken: ct));
            var services = await SetChoicesAsync(connection, tx, id, processes, request.ServiceIds ?? [], ct);
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "created", row.organisationId,
                AuditTrail.Created(Snapshot(row.code, row.name, row.managerId, row.contractRef, row.startsOn, row.endsOn, processes, services))), ct);
            return await DecoratedAsync(connection, tx, id, ct);
        }, ct);
    }

    public async Task<Outcome<ProjectView>> UpdateAsync(Guid id, int expectedVersion, Request request, CancellationToken ct = default)
    {
        var (errors, processes) = await ValidateAsync(request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var now = clock.GetUtcNow();
        return await database.WriteAsync<Outcome<ProjectView>>(async (connection, tx) =>
        {
            if (await LoadAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (current.OrganisationId != request.OrganisationId)
            {
                return text.Invalid(text.Errors().AddMessage("organisationId", text["Project.CustomerFixed"]));
            }
            if (await CodeTakenAsync(connection, tx, request.Code!, id, ct))
            {
                return text.Invalid(text.Errors().AddMessage("code", text["Project.CodeTaken", request.Code!.Trim()]));
            }
            await DecorateAsync(connection, tx, [current], ct);
            var row = Row(id, request, now, expectedVersion);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE sla_projects SET code = @code, name = @name, manager_id = @managerId, contract_ref = @contractRef, starts_on = @startsOn,
                    ends_on = @endsOn, updated_at = @now, version = version + 1
                WHERE id = @id AND version = @version
                """, row, tx, cancellationToken: ct));
            var services = await SetChoicesAsync(connection, tx, id, processes, request.ServiceIds ?? [], ct);
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "updated", current.OrganisationId,
                AuditTrail.Diff(
                    Snapshot(current.Code, current.Name, current.ManagerId, current.ContractRef, current.StartsOn, current.EndsOn, current.Processes, current.ServiceIds),
                    Snapshot(row.code, row.name, row.managerId, row.contractRef, row.startsOn, row.endsOn, processes, services)), request.Reason), ct);
            return await DecoratedAsync(connection, tx, id, ct);
        }, ct);
    }

    private static Task<ProjectView?> LoadAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ProjectView>(new CommandDefinition(
            $"SELECT {ProjectView.Columns} FROM sla_projects p WHERE p.id = @id", new { id }, tx, cancellationToken: ct));

    private async Task<ProjectView> DecoratedAsync(DbConnection connection, DbTransaction tx, Guid id, CancellationToken ct)
    {
        var project = (await LoadAsync(connection, tx, id, ct))!;
        await DecorateAsync(connection, tx, [project], ct);
        return project;
    }

    private async Task DecorateAsync(DbConnection connection, DbTransaction? tx, List<ProjectView> projects, CancellationToken ct)
    {
        if (projects.Count == 0)
        {
            return;
        }
        var ids = projects.Select(p => p.Id).ToArray();
        var processes = (await connection.QueryAsync<(Guid ProjectId, string Process)>(new CommandDefinition(
            $"SELECT project_id, process FROM sla_project_processes WHERE {database.Dialect.In("project_id", "ids")}", new { ids }, tx, cancellationToken: ct))).ToList();
        var services = (await connection.QueryAsync<(Guid ProjectId, Guid ServiceId)>(new CommandDefinition(
            $"SELECT project_id, service_id FROM sla_project_services WHERE {database.Dialect.In("project_id", "ids")}", new { ids }, tx, cancellationToken: ct))).ToList();
        var organisations = await directory.FindOrganisationsAsync(projects.Select(p => p.OrganisationId).Distinct(), ct);
        var managers = await directory.FindUsersAsync(projects.Select(p => p.ManagerId).Distinct(), ct);
        foreach (var project in projects)
        {
            project.Processes = [.. processes.Where(p => p.ProjectId == project.Id).Select(p => p.Process).OrderBy(p => ServiceProcesses.Optional.ToList().IndexOf(p))];
            project.ServiceIds = [.. services.Where(s => s.ProjectId == project.Id).Select(s => s.ServiceId)];
            project.OrganisationName = organisations.TryGetValue(project.OrganisationId, out var o) ? o.Name : null;
            project.ManagerName = managers.TryGetValue(project.ManagerId, out var m) ? m.DisplayName : null;
        }
    }

    private async Task<(FieldErrors Errors, IReadOnlyList<string> Processes)> ValidateAsync(Request request, CancellationToken ct)
    {
        var errors = text.Errors().Required("code", request.Code, 40).Required("name", request.Name, 200).Optional("contractRef", request.ContractRef, 200);
        var starts = ParseDate(errors, "startsOn", request.StartsOn, required: true);
        var ends = ParseDate(errors, "endsOn", request.EndsOn, required: false);
        if (starts is { } s && ends is { } e && e < s)
        {
            errors.AddMessage("endsOn", text["Project.EndsBeforeStart"]);
        }
        if (request.OrganisationId is not { } organisationId)
        {
            errors.Add("organisationId", "Validation.Required");
        }
        else if (await directory.FindOrganisationAsync(organisationId, ct) is not { Kind: OrganisationKind.Customer })
        {
            errors.Add("organisationId", "Validation.Unknown", organisationId);
        }
        if (request.ManagerId is not { } managerId)
        {
            errors.Add("managerId", "Validation.Required");
        }
        else if (await directory.FindUserAsync(managerId, ct) is not { IsActive: true } manager || manager.OrganisationId == request.OrganisationId)
        {
            // The project manager is one of the provider's people (manual §2.1.4.1).
            errors.Add("managerId", "Validation.Unknown", managerId);
        }
        var processes = new List<string>();
        foreach (var process in (request.Processes ?? []).Select(p => p.Trim()).Distinct(StringComparer.Ordinal))
        {
            if (ServiceProcesses.Optional.Contains(process, StringComparer.Ordinal))
            {
                processes.Add(process);
            }
            else if (!ServiceProcesses.Mandatory.Contains(process, StringComparer.Ordinal))
            {
                errors.Add("processes", "Validation.OneOf", string.Join(", ", ServiceProcesses.Optional));
            }
        }
        return (errors, processes);
    }

    private DateOnly? ParseDate(FieldErrors errors, string field, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, "Validation.Required");
            }
            return null;
        }
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        errors.AddMessage(field, text["Validation.Date"]);
        return null;
    }

    private static Task<bool> CodeTakenAsync(DbConnection connection, DbTransaction tx, string code, Guid? except, CancellationToken ct) =>
        Codes.TakenAsync(connection, tx, "sla_projects", code, except, ct);

    private static async Task<IReadOnlyList<Guid>> SetChoicesAsync(
        DbConnection connection, DbTransaction tx, Guid id, IReadOnlyList<string> processes, IReadOnlyList<Guid> serviceIds, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sla_project_processes WHERE project_id = @id", new { id }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sla_project_services WHERE project_id = @id", new { id }, tx, cancellationToken: ct));
        foreach (var process in processes)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO sla_project_processes (project_id, process) VALUES (@id, @process)", new { id, process }, tx, cancellationToken: ct));
        }
        var services = new List<Guid>();
        foreach (var service in serviceIds.Distinct())
        {
            if (await ServicePortfolio.LoadAsync(connection, tx, service, ct) is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO sla_project_services (project_id, service_id) VALUES (@id, @service)", new { id, service }, tx, cancellationToken: ct));
                services.Add(service);
            }
        }
        return services;
    }

    private static ProjectRow Row(Guid id, Request r, DateTimeOffset now, int version) => new(
        id, r.Code!.Trim().ToUpperInvariant(), r.Name!.Trim(), r.OrganisationId!.Value, r.ManagerId!.Value,
        string.IsNullOrWhiteSpace(r.ContractRef) ? null : r.ContractRef.Trim(), r.StartsOn!.Trim(), string.IsNullOrWhiteSpace(r.EndsOn) ? null : r.EndsOn.Trim(), now, version);

    private static Dictionary<string, object?> Snapshot(
        string code, string name, Guid manager, string? contract, string starts, string? ends, IReadOnlyList<string> processes, IReadOnlyList<Guid> services) =>
        new(StringComparer.Ordinal)
        {
            ["code"] = code, ["name"] = name, ["managerId"] = manager, ["contractRef"] = contract, ["startsOn"] = starts, ["endsOn"] = ends,
            ["processes"] = string.Join(", ", processes.Order(StringComparer.Ordinal)), ["serviceIds"] = string.Join(", ", services.Order()),
        };

    private sealed record ProjectRow(
        Guid id, string code, string name, Guid organisationId, Guid managerId, string? contractRef, string startsOn, string? endsOn, DateTimeOffset now, int version);
}
