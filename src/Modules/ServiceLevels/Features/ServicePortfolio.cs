using System.Data.Common;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Certus.ServiceLevels.Domain;
using Dapper;

namespace Certus.ServiceLevels.Features;

/// <summary>A service in the portfolio, with the customers who take it.</summary>
public sealed class ServiceView : IVersioned
{
    public Guid Id { get; init; }
    public string Code { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string NameZh { get; init; } = "";
    public string DescriptionEn { get; init; } = "";
    public string DescriptionZh { get; init; } = "";
    public Guid? OwnerId { get; init; }
    public string? OwnerName { get; set; }
    public string Lifecycle { get; init; } = "";
    public string ServiceHours { get; init; } = "";
    public IReadOnlyList<Guid> CustomerIds { get; set; } = [];
    public IReadOnlyList<string> CustomerNames { get; set; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }

    public string Name(string culture) => culture.StartsWith("zh", StringComparison.Ordinal) ? NameZh : NameEn;

    public string Description(string culture) => culture.StartsWith("zh", StringComparison.Ordinal) ? DescriptionZh : DescriptionEn;

    internal const string Columns =
        "s.id, s.code, s.name_en, s.name_zh, s.description_en, s.description_zh, s.owner_id, s.lifecycle, s.service_hours, s.created_at, s.updated_at, s.version";
}

/// <summary>
/// The service portfolio and the catalogue cut from it (ISO 20000-1:2018 8.2.2-8.2.4). Provider staff see every
/// service; a customer sees the services their organisation takes, except proposed and retired ones.
/// </summary>
public sealed class ServicePortfolio(Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "service";

    public sealed record Request(
        string? Code, string? NameEn, string? NameZh, string? DescriptionEn, string? DescriptionZh, Guid? OwnerId, string? Lifecycle,
        string? ServiceHours, IReadOnlyList<Guid>? CustomerIds, string? Reason = null);

    public async Task<IReadOnlyList<ServiceView>> ListAsync(string? lifecycle = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var conditions = new List<string>();
        if (caller.VisibleOrganisationId is not null)
        {
            conditions.Add("s.lifecycle IN ('in-design', 'live', 'retiring')");
            conditions.Add("EXISTS (SELECT 1 FROM sla_service_customers c WHERE c.service_id = s.id AND c.organisation_id = @scopeOrg)");
        }
        if (ServiceLevelNames.ParseLifecycle(lifecycle) is not null)
        {
            conditions.Add("s.lifecycle = @lifecycle");
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var services = (await connection.QueryAsync<ServiceView>(new CommandDefinition(
            $"SELECT {ServiceView.Columns} FROM sla_services s {where} ORDER BY s.code",
            new { scopeOrg = caller.VisibleOrganisationId, lifecycle = ServiceLevelNames.ParseLifecycle(lifecycle)?.Key() }, cancellationToken: ct))).ToList();
        await DecorateAsync(connection, null, services, ct);
        return services;
    }

    public async Task<ServiceView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var service = await LoadAsync(connection, null, id, ct);
        if (service is null)
        {
            return null;
        }
        await DecorateAsync(connection, null, [service], ct);
        return caller.VisibleOrganisationId is { } own && !service.CustomerIds.Contains(own) ? null : service;
    }

    public async Task<Outcome<ServiceView>> CreateAsync(Request request, CancellationToken ct = default)
    {
        var errors = await ValidateAsync(request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        return await database.WriteAsync<Outcome<ServiceView>>(async (connection, tx) =>
        {
            if (await CodeTakenAsync(connection, tx, request.Code!, null, ct))
            {
                return text.Invalid(text.Errors().AddMessage("code", text["Service.CodeTaken", request.Code!.Trim()]));
            }
            var row = Row(id, request, now, 1);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO sla_services (id, code, name_en, name_zh, description_en, description_zh, owner_id, lifecycle, service_hours, created_at, updated_at, version)
                VALUES (@id, @code, @nameEn, @nameZh, @descriptionEn, @descriptionZh, @ownerId, @lifecycle, @serviceHours, @now, @now, 1)
                """, row, tx, cancellationToken: ct));
            var customers = await SetCustomersAsync(connection, tx, id, request.CustomerIds ?? [], ct);
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "created", null,
                AuditTrail.Created(Snapshot(row.code, row.nameEn, row.nameZh, row.ownerId, row.lifecycle, row.serviceHours, customers))), ct);
            return await DecoratedAsync(connection, tx, id, ct);
        }, ct);
    }

    public async Task<Outcome<ServiceView>> UpdateAsync(Guid id, int expectedVersion, Request request, CancellationToken ct = default)
    {
        var errors = await ValidateAsync(request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var now = clock.GetUtcNow();
        return await database.WriteAsync<Outcome<ServiceView>>(async (connection, tx) =>
        {
            if (await LoadAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            if (await CodeTakenAsync(connection, tx, request.Code!, id, ct))
            {
                return text.Invalid(text.Errors().AddMessage("code", text["Service.CodeTaken", request.Code!.Trim()]));
            }
            await DecorateAsync(connection, tx, [current], ct);
            var row = Row(id, request, now, expectedVersion);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE sla_services SET code = @code, name_en = @nameEn, name_zh = @nameZh, description_en = @descriptionEn, description_zh = @descriptionZh,
                    owner_id = @ownerId, lifecycle = @lifecycle, service_hours = @serviceHours, updated_at = @now, version = version + 1
                WHERE id = @id AND version = @version
                """, row, tx, cancellationToken: ct));
            var customers = await SetCustomersAsync(connection, tx, id, request.CustomerIds ?? [], ct);
            var changes = AuditTrail.Diff(
                Snapshot(current.Code, current.NameEn, current.NameZh, current.OwnerId, current.Lifecycle, current.ServiceHours, current.CustomerIds),
                Snapshot(row.code, row.nameEn, row.nameZh, row.ownerId, row.lifecycle, row.serviceHours, customers));
            if (current.DescriptionEn != row.descriptionEn || current.DescriptionZh != row.descriptionZh)
            {
                changes = [.. changes, new AuditChange("description", null, "…")];
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "updated", null, changes, request.Reason), ct);
            return await DecoratedAsync(connection, tx, id, ct);
        }, ct);
    }

    /// <summary>Finds the service an incident names: by code (case-insensitive) or by id.</summary>
    internal static async Task<ServiceView?> FindByRefAsync(DbConnection connection, DbTransaction? tx, string? reference, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return null;
        }
        var trimmed = reference.Trim();
        if (Guid.TryParse(trimmed, out var id))
        {
            return await LoadAsync(connection, tx, id, ct);
        }
        return await connection.QuerySingleOrDefaultAsync<ServiceView>(new CommandDefinition(
            $"SELECT {ServiceView.Columns} FROM sla_services s WHERE upper(s.code) = @code", new { code = trimmed.ToUpperInvariant() }, tx, cancellationToken: ct));
    }

    internal static Task<ServiceView?> LoadAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ServiceView>(new CommandDefinition(
            $"SELECT {ServiceView.Columns} FROM sla_services s WHERE s.id = @id", new { id }, tx, cancellationToken: ct));

    private async Task<ServiceView> DecoratedAsync(DbConnection connection, DbTransaction tx, Guid id, CancellationToken ct)
    {
        var service = (await LoadAsync(connection, tx, id, ct))!;
        await DecorateAsync(connection, tx, [service], ct);
        return service;
    }

    private async Task DecorateAsync(DbConnection connection, DbTransaction? tx, List<ServiceView> services, CancellationToken ct)
    {
        if (services.Count == 0)
        {
            return;
        }
        var links = (await connection.QueryAsync<(Guid ServiceId, Guid OrganisationId)>(new CommandDefinition(
            $"SELECT service_id, organisation_id FROM sla_service_customers WHERE {database.Dialect.In("service_id", "ids")}",
            new { ids = services.Select(s => s.Id).ToArray() }, tx, cancellationToken: ct))).ToList();
        var organisations = await directory.FindOrganisationsAsync(links.Select(l => l.OrganisationId).Distinct(), ct);
        var owners = await directory.FindUsersAsync(services.Where(s => s.OwnerId is not null).Select(s => s.OwnerId!.Value).Distinct(), ct);
        foreach (var service in services)
        {
            var mine = links.Where(l => l.ServiceId == service.Id).Select(l => l.OrganisationId).ToList();
            // A customer learns only that their own organisation takes the service.
            service.CustomerIds = caller.VisibleOrganisationId is { } own ? [.. mine.Where(m => m == own)] : mine;
            service.CustomerNames = [.. service.CustomerIds.Select(c => organisations.TryGetValue(c, out var o) ? o.Name : c.ToString()).Order(StringComparer.CurrentCulture)];
            service.OwnerName = service.OwnerId is { } owner && owners.TryGetValue(owner, out var u) ? u.DisplayName : null;
        }
    }

    private async Task<FieldErrors> ValidateAsync(Request request, CancellationToken ct)
    {
        var errors = text.Errors()
            .Required("code", request.Code, 40)
            .Required("nameEn", request.NameEn, 200)
            .Required("nameZh", request.NameZh, 200)
            .Optional("descriptionEn", request.DescriptionEn, 20_000)
            .Optional("descriptionZh", request.DescriptionZh, 20_000)
            .Optional("serviceHours", request.ServiceHours, 200);
        if (request.Code is { } code && !string.IsNullOrWhiteSpace(code) && !code.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.AddMessage("code", text["Service.CodeFormat"]);
        }
        if (ServiceLevelNames.ParseLifecycle(request.Lifecycle ?? "proposed") is null)
        {
            errors.Add("lifecycle", "Validation.OneOf", string.Join(", ", Enum.GetValues<ServiceLifecycle>().Select(l => l.Key())));
        }
        if (request.OwnerId is { } ownerId && (await directory.FindUserAsync(ownerId, ct)) is not { IsActive: true })
        {
            errors.Add("ownerId", "Validation.Unknown", ownerId);
        }
        if (request.CustomerIds is { Count: > 0 } customers)
        {
            var found = await directory.FindOrganisationsAsync(customers, ct);
            foreach (var missing in customers.Where(c => !found.TryGetValue(c, out var o) || o.Kind != OrganisationKind.Customer))
            {
                errors.Add("customerIds", "Validation.Unknown", missing);
            }
        }
        return errors;
    }

    private static Task<bool> CodeTakenAsync(DbConnection connection, DbTransaction tx, string code, Guid? except, CancellationToken ct) =>
        Codes.TakenAsync(connection, tx, "sla_services", code, except, ct);

    private static async Task<IReadOnlyList<Guid>> SetCustomersAsync(DbConnection connection, DbTransaction tx, Guid id, IReadOnlyList<Guid> customers, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sla_service_customers WHERE service_id = @id", new { id }, tx, cancellationToken: ct));
        var distinct = customers.Distinct().ToList();
        foreach (var organisation in distinct)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO sla_service_customers (service_id, organisation_id) VALUES (@id, @organisation)", new { id, organisation }, tx, cancellationToken: ct));
        }
        return distinct;
    }

    private static ServiceRow Row(Guid id, Request r, DateTimeOffset now, int version) => new(
        id, r.Code!.Trim().ToUpperInvariant(), r.NameEn!.Trim(), r.NameZh!.Trim(), r.DescriptionEn?.Trim() ?? "", r.DescriptionZh?.Trim() ?? "", r.OwnerId,
        ServiceLevelNames.ParseLifecycle(r.Lifecycle ?? "proposed")!.Value.Key(), r.ServiceHours?.Trim() ?? "", now, version);

    private static Dictionary<string, object?> Snapshot(
        string code, string nameEn, string nameZh, Guid? owner, string lifecycle, string hours, IReadOnlyList<Guid> customers) => new(StringComparer.Ordinal)
    {
        ["code"] = code, ["nameEn"] = nameEn, ["nameZh"] = nameZh, ["ownerId"] = owner, ["lifecycle"] = lifecycle, ["serviceHours"] = hours,
        ["customerIds"] = string.Join(", ", customers.Order()),
    };

    private sealed record ServiceRow(
        Guid id, string code, string nameEn, string nameZh, string descriptionEn, string descriptionZh, Guid? ownerId, string lifecycle,
        string serviceHours, DateTimeOffset now, int version);
}
