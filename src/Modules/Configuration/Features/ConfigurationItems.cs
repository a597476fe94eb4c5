using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Certus.Configuration.Contracts;
using Certus.Configuration.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Certus.Configuration.Features;

/// <summary>
/// Configuration items: registration by configuration managers, edits, the status lifecycle from order to disposal,
/// and every past state (manual §8.1.4-§8.1.5; ISO/IEC 20000-1:2018 8.2.6). A CI in use changes only under an
/// authorised change, which <see cref="IChangeControl"/> decides.
/// </summary>
public sealed class ConfigurationItems(
    Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, IChangeControl control, IServiceProvider services,
    Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "ci";

    public sealed record Request(
        string? Name, string? ClassId, string? Status = null, Guid? OwnerId = null, Guid? SupportGroupId = null, string? Location = null,
        string? VersionLabel = null, string? Criticality = null, string? Description = null, string? ServiceCode = null,
        IReadOnlyList<Guid>? CustomerIds = null, IReadOnlyDictionary<string, JsonElement>? Attributes = null, string? ChangeRef = null, string? Reason = null);

    public sealed record StatusRequest(string? Status, string? Reason, string? ChangeRef);

    public sealed record ListQuery(string? Class = null, string? Status = null, string? Q = null, Guid? Customer = null, string? Service = null, int Page = 1, int PageSize = 50);

    public sealed record ListResult(IReadOnlyList<CiView> Items, int Total);

    public async Task<ListResult> ListAsync(ListQuery query, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var model = await ClassModel.LoadAsync(connection, null, ct);
        var conditions = new List<string>();
        var customer = caller.VisibleOrganisationId ?? query.Customer;
        if (customer is not null)
        {
            conditions.Add("EXISTS (SELECT 1 FROM cmdb_item_customers c WHERE c.ci_id = i.id AND c.organisation_id = @customer)");
        }
        Guid[] classes = [];
        if (!string.IsNullOrWhiteSpace(query.Class) && model.Find(query.Class) is null)
        {
            // An unknown class matches no CI (rather than every CI, as no filter would).
            return new ListResult([], 0);
        }
        if (model.Find(query.Class) is { } cls)
        {
            classes = [.. model.Subtree(cls.Id)];
            conditions.Add(database.Dialect.In("i.class_id", "classes"));
        }
        var status = ConfigurationNames.ParseStatus(query.Status)?.Key();
        if (status is not null)
        {
            conditions.Add("i.status = @status");
        }
        var q = string.IsNullOrWhiteSpace(query.Q) ? null : $"%{query.Q.Trim().ToUpperInvariant()}%";
        if (q is not null)
        {
            conditions.Add("(upper(i.identifier) LIKE @q OR upper(i.name) LIKE @q OR upper(i.location) LIKE @q)");
        }
        var service = string.IsNullOrWhiteSpace(query.Service) ? null : query.Service.Trim().ToUpperInvariant();
        if (service is not null)
        {
            conditions.Add("i.service_code = @service");
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var pageSize = Math.Clamp(query.PageSize, 1, 500);
        var page = Math.Max(1, query.Page);
        var parameters = new { customer, classes, status, q, service, limit = pageSize, offset = (page - 1) * pageSize };
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT count(*) FROM cmdb_items i {where}", parameters, cancellationToken: ct));
        var items = (await connection.QueryAsync<CiView>(new CommandDefinition(
            $"SELECT {CiView.Columns} FROM cmdb_items i {where} ORDER BY i.identifier {SqlDialect.Paging("@limit", "@offset")}", parameters, cancellationToken: ct))).ToList();
        await DecorateAsync(connection, null, model, items, ct);
        return new ListResult(items, total);
    }

    /// <summary>
    /// CIs for pickers (the incident form's CI field, the relationship target, baselines): identifier, name and class,
    /// leaving out disposed and cancelled ones; customers get only the CIs serving their organisation.
    /// </summary>
    public async Task<IReadOnlyList<CiOption>> SuggestAsync(string? search, int limit = 50, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var model = await ClassModel.LoadAsync(connection, null, ct);
        var customer = caller.VisibleOrganisationId;
        var q = string.IsNullOrWhiteSpace(search) ? null : $"%{search.Trim().ToUpperInvariant()}%";
        var rows = await connection.QueryAsync<(string Identifier, string Name, Guid ClassId)>(new CommandDefinition(
            $"""
            SELECT i.identifier, i.name, i.class_id FROM cmdb_items i
            WHERE i.status NOT IN ('disposed', 'cancelled')
              {(q is null ? "" : "AND (upper(i.identifier) LIKE @q OR upper(i.name) LIKE @q)")}
              {(customer is null ? "" : "AND EXISTS (SELECT 1 FROM cmdb_item_customers c WHERE c.ci_id = i.id AND c.organisation_id = @customer)")}
            ORDER BY i.identifier {SqlDialect.Paging("@limit", "0")}
            """, new { q, customer, limit = Math.Clamp(limit, 1, 1000) }, cancellationToken: ct));
        var culture = CultureInfo.CurrentUICulture.Name;
        return [.. rows.Select(r => new CiOption(r.Identifier, r.Name, model.Find(r.ClassId)?.Name(culture) ?? ""))];
    }

    public async Task<CiView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await GetAsync(connection, null, id, ct);
    }

    /// <summary>
    /// Finds a CI the way incidents and monitoring name one: by id, by identifier, or by a name that only one CI has
    /// (a host name such as <c>db01</c>); null when none or several match, or the caller may not see it.
    /// </summary>
    public async Task<CiView?> FindAsync(string reference, CancellationToken ct = default)
    {
        if (Guid.TryParse(reference, out var id))
        {
            return await GetAsync(id, ct);
        }
        await using var connection = await database.OpenAsync(ct);
        var trimmed = reference.Trim();
        var found = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT id FROM cmdb_items WHERE identifier = @identifier", new { identifier = trimmed.ToUpperInvariant() }, cancellationToken: ct));
        if (found is null)
        {
            var named = (await connection.QueryAsync<Guid>(new CommandDefinition(
                "SELECT id FROM cmdb_items WHERE lower(name) = @name LIMIT 2", new { name = trimmed.ToLowerInvariant() }, cancellationToken: ct))).ToList();
            found = named.Count == 1 ? named[0] : null;
        }
        return found is { } f ? await GetAsync(connection, null, f, ct) : null;
    }

    public async Task<IReadOnlyList<CiVersionView>?> VersionsAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        if (await GetAsync(connection, null, id, ct) is null)
        {
            return null;
        }
        var versions = (await connection.QueryAsync<CiVersionView>(new CommandDefinition(
            $"SELECT {CiVersionView.Columns} FROM cmdb_item_versions WHERE ci_id = @id ORDER BY version DESC", new { id }, cancellationToken: ct))).ToList();
        if (caller.VisibleOrganisationId is { } own)
        {
            // A customer learns only whether a past state served their own organisation, never which others it served.
            foreach (var version in versions)
            {
                version.HideOtherCustomers(own);
            }
        }
        return versions;
    }

    public async Task<Outcome<CiView>> RegisterAsync(Request request, CancellationToken ct = default)
    {
        var rules = await RulesForAsync([request], ct);
        return await database.WriteAsync<Outcome<CiView>>(async (connection, tx) =>
        {
            var model = await ClassModel.LoadAsync(connection, tx, ct);
            var errors = text.Errors();
            var references = new List<(JsonObject, AttributeValues.PendingReference)>();
            var prepared = rules(model).Check(request, null, errors, "", references);
            await AttributeValues.ResolveAsync(connection, tx, database, model, references, errors, text, ct);
            if (prepared is null || !errors.IsEmpty)
            {
                return text.Invalid(errors);
            }
            if (CiLifecycle.IsControlled(prepared.Status)
                && await RefusedAsync(connection, tx, new ChangeControlRequest(Blank(request.ChangeRef), [], "register"), ct) is { } refused)
            {
                return refused;
            }
            var id = Guid.CreateVersion7();
            var identifier = (await NextIdentifiersAsync(connection, tx, prepared.Class.IdentifierPrefix, 1, ct))[0];
            await InsertAsync(connection, tx, id, identifier, prepared, Blank(request.ChangeRef), request.Reason, ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    public async Task<Outcome<CiView>> UpdateAsync(Guid id, int expectedVersion, Request request, CancellationToken ct = default)
    {
        var rules = await RulesForAsync([request], ct);
        return await database.WriteAsync<Outcome<CiView>>((connection, tx) => UpdateInAsync(connection, tx, id, expectedVersion, request, rules, ct), ct);
    }

    /// <summary>An edit inside the caller's write (a change applying its declared updates); failures are returned before anything is written.</summary>
    internal async Task<Outcome<CiView>> UpdateInAsync(
        DbConnection connection, DbTransaction tx, Guid id, int? expectedVersion, Request request, Func<ClassModel, CiRules> rules, CancellationToken ct)
    {
        if (await GetAsync(connection, tx, id, ct) is not { } current || caller.VisibleOrganisationId is not null)
        {
            return text.NotFound();
        }
        if (expectedVersion is { } expected && current.Version != expected)
        {
            return text.Stale();
        }
        if (ConfigurationNames.ParseStatus(current.Status) is { } s && CiLifecycle.IsFinal(s))
        {
            return new Failure(FailureKind.Conflict, text["Ci.Final", current.Identifier, current.Status]);
        }
        var model = await ClassModel.LoadAsync(connection, tx, ct);
        var errors = text.Errors();
        var references = new List<(JsonObject, AttributeValues.PendingReference)>();
        var prepared = rules(model).Check(request, current, errors, "", references);
        await AttributeValues.ResolveAsync(connection, tx, database, model, references, errors, text, ct);
        if (prepared is null || !errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var changes = ChangesOf(current, prepared, model);
        if (changes.Count == 0)
        {
            return current;
        }
        if (current.Controlled
            && await RefusedAsync(connection, tx, new ChangeControlRequest(Blank(request.ChangeRef), [id], "update"), ct) is { } refused)
        {
            return refused;
        }
        if (!await WriteUpdateAsync(connection, tx, current, prepared, changes, Blank(request.ChangeRef), request.Reason, ct))
        {
            return text.Stale();
        }
        return (await GetAsync(connection, tx, id, ct))!;
    }

    /// <summary>Moves a CI through its lifecycle; who, when, why and under which change are kept (manual §8.1.5).</summary>
    public Task<Outcome<CiView>> ChangeStatusAsync(Guid id, int? expectedVersion, StatusRequest request, CancellationToken ct = default) =>
        database.WriteAsync<Outcome<CiView>>((connection, tx) => ChangeStatusInAsync(connection, tx, id, expectedVersion, request, ct), ct);

    /// <summary>A lifecycle move inside the caller's write; failures are returned before anything is written.</summary>
    internal async Task<Outcome<CiView>> ChangeStatusInAsync(
        DbConnection connection, DbTransaction tx, Guid id, int? expectedVersion, StatusRequest request, CancellationToken ct)
    {
        if (await GetAsync(connection, tx, id, ct) is not { } current || caller.VisibleOrganisationId is not null)
        {
            return text.NotFound();
        }
        if (expectedVersion is { } v && current.Version != v)
        {
            return text.Stale();
        }
        var from = ConfigurationNames.ParseStatus(current.Status)!.Value;
        var errors = text.Errors().Required("reason", request.Reason, 2000);
        var to = ConfigurationNames.ParseStatus(request.Status);
        if (to is null)
        {
            errors.Add("status", "Validation.OneOf", string.Join(", ", Enum.GetValues<CiStatus>().Select(s => s.Key())));
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        if (!CiLifecycle.CanMove(from, to!.Value))
        {
            var allowed = CiLifecycle.AllowedFrom(from);
            return new Failure(FailureKind.Conflict, text["Ci.IllegalMove", current.Identifier, from.Key(), to.Value.Key(),
                allowed.Count == 0 ? text["Ci.NoMoves"] : string.Join(", ", allowed.Select(a => a.Key()))]);
        }
        if ((CiLifecycle.IsControlled(from) || CiLifecycle.IsControlled(to.Value))
            && await RefusedAsync(connection, tx, new ChangeControlRequest(Blank(request.ChangeRef), [id], "status"), ct) is { } refused)
        {
            return refused;
        }
        var model = await ClassModel.LoadAsync(connection, tx, ct);
        // Guarded by the version read above: a concurrent writer on PostgreSQL makes this a 412, not a duplicate version.
        if (await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE cmdb_items SET status = @status, updated_at = @now, version = version + 1 WHERE id = @id AND version = @version",
            new { id, version = current.Version, status = to.Value.Key(), now = clock.GetUtcNow() }, tx, cancellationToken: ct)) == 0)
        {
            return text.Stale();
        }
        var snapshot = SnapshotOf(current, model);
        snapshot["status"] = to.Value.Key();
        await WriteVersionAsync(connection, tx, id, current.Version + 1, "status", to.Value.Key(), snapshot, Blank(request.ChangeRef), request.Reason, ct);
        await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), to.Value.Key(), null,
            [new AuditChange("status", from.Key(), to.Value.Key()), .. ChangeRefEntry(request.ChangeRef)], request.Reason), ct);
        return (await GetAsync(connection, tx, id, ct))!;
    }

    /// <summary>
    /// Lookups for validating <paramref name="requests"/>, loaded before the write transaction (the directory opens its
    /// own connections); returns a factory that binds them to the class model read inside the transaction.
    /// </summary>
    internal async Task<Func<ClassModel, CiRules>> RulesForAsync(IReadOnlyList<Request> requests, CancellationToken ct)
    {
        var users = await directory.FindUsersAsync(requests.Where(r => r.OwnerId is not null).Select(r => r.OwnerId!.Value).Distinct(), ct);
        var groups = await directory.FindGroupsAsync(requests.Where(r => r.SupportGroupId is not null).Select(r => r.SupportGroupId!.Value).Distinct(), ct);
        var organisations = await directory.FindOrganisationsAsync(requests.SelectMany(r => r.CustomerIds ?? []).Distinct(), ct);
        var codes = requests.Where(r => !string.IsNullOrWhiteSpace(r.ServiceCode)).Select(r => r.ServiceCode!.Trim().ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
        IReadOnlySet<string>? known = null;
        if (services.GetService<IServiceLookup>() is { } lookup)
        {
            known = codes.Count == 0 ? new HashSet<string>(StringComparer.Ordinal) : (await lookup.FindAsync(codes, ct)).Select(s => s.Code).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
        return model => new CiRules(model, users, groups, organisations, known, text);
    }

    internal async Task<ChangeControlDecision?> CheckControlAsync(DbConnection connection, DbTransaction tx, ChangeControlRequest request, CancellationToken ct)
    {
        var decision = await control.AuthoriseAsync(request, connection, tx, ct);
        return decision.Allowed ? null : decision;
    }

    private async Task<Failure?> RefusedAsync(DbConnection connection, DbTransaction tx, ChangeControlRequest request, CancellationToken ct) =>
        await CheckControlAsync(connection, tx, request, ct) is { } refused
            ? Refusal(refused)
            : null;

    /// <summary>A refusal of change control as a 422 naming the changeRef field.</summary>
    internal static Failure Refusal(ChangeControlDecision refused) =>
        new(FailureKind.Unprocessable, refused.Refusal!, new Dictionary<string, string[]>(StringComparer.Ordinal) { ["changeRef"] = [refused.Refusal!] });

    /// <summary>What an edit changes, field by field; empty when the prepared CI equals the current one.</summary>
    internal static IReadOnlyList<AuditChange> ChangesOf(CiView current, PreparedCi prepared, ClassModel model) =>
        AuditTrail.Diff(SnapshotOf(current, model), prepared.Snapshot(current.Identifier));

    /// <summary>
    /// Writes an edit whose change control was already settled: the row, its customers, the next version and the audit
    /// entry. Returns false, having written nothing, when another writer changed the CI since <paramref name="current"/>
    /// was read.
    /// </summary>
    internal async Task<bool> WriteUpdateAsync(
        DbConnection connection, DbTransaction tx, CiView current, PreparedCi prepared, IReadOnlyList<AuditChange> changes, string? changeRef, string? reason,
        CancellationToken ct)
    {
        var id = current.Id;
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE cmdb_items SET name = @name, owner_id = @ownerId, support_group_id = @supportGroupId, location = @location, version_label = @versionLabel,
                criticality = @criticality, description = @description, service_code = @serviceCode, attributes = @attributes, updated_at = @now, version = version + 1
            WHERE id = @id AND version = @version
            """,
            new
            {
                id,
                version = current.Version,
                name = prepared.Name,
                ownerId = prepared.OwnerId,
                supportGroupId = prepared.SupportGroupId,
                location = prepared.Location,
                versionLabel = prepared.VersionLabel,
                criticality = prepared.Criticality,
                description = prepared.Description,
                serviceCode = prepared.ServiceCode,
                attributes = prepared.Attributes.ToJsonString(),
                now = clock.GetUtcNow(),
            }, tx, cancellationToken: ct));
        if (updated == 0)
        {
            return false;
        }
        await SetCustomersAsync(connection, tx, id, prepared.CustomerIds, replace: true, ct);
        await WriteVersionsAsync(connection, tx, [new VersionRow(id, current.Version + 1, "updated", prepared.Status.Key(), prepared.Snapshot(current.Identifier))],
            changeRef, reason, ct);
        await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "updated", null,
            [.. changes, .. ChangeRefEntry(changeRef)], reason), ct);
        return true;
    }

    /// <summary>A CI about to be registered, with its id and identifier already taken.</summary>
    internal sealed record NewCi(Guid Id, string Identifier, PreparedCi Ci);

    internal Task InsertAsync(DbConnection connection, DbTransaction tx, Guid id, string identifier, PreparedCi ci, string? changeRef, string? reason, CancellationToken ct) =>
        InsertManyAsync(connection, tx, [new NewCi(id, identifier, ci)], changeRef, reason, ct);

    /// <summary>
    /// Registers CIs, each with its first version and its audit entry, as <see cref="RegisterAsync"/> does one; each
    /// statement is prepared once and run per CI, so an import of 100,000 CIs costs no more than the rows themselves.
    /// </summary>
    internal async Task InsertManyAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<NewCi> cis, string? changeRef, string? reason, CancellationToken ct)
    {
        if (cis.Count == 0)
        {
            return;
        }
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cmdb_items (id, identifier, name, class_id, status, owner_id, support_group_id, location, version_label, criticality, description,
                service_code, attributes, created_at, updated_at, version)
            VALUES (@Id, @Identifier, @Name, @ClassId, @Status, @OwnerId, @SupportGroupId, @Location, @VersionLabel, @Criticality, @Description,
                @ServiceCode, @Attributes, @Now, @Now, 1)
            """,
            cis.Select(c => new ItemRow
            {
                Id = c.Id,
                Identifier = c.Identifier,
                Name = c.Ci.Name,
                ClassId = c.Ci.Class.Id,
                Status = c.Ci.Status.Key(),
                OwnerId = c.Ci.OwnerId,
                SupportGroupId = c.Ci.SupportGroupId,
                Location = c.Ci.Location,
                VersionLabel = c.Ci.VersionLabel,
                Criticality = c.Ci.Criticality,
                Description = c.Ci.Description,
                ServiceCode = c.Ci.ServiceCode,
                Attributes = c.Ci.Attributes.ToJsonString(),
                Now = now,
            }), tx, cancellationToken: ct));
        var links = cis.SelectMany(c => c.Ci.CustomerIds.Select(o => new CustomerLink { Id = c.Id, Organisation = o })).ToList();
        if (links.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO cmdb_item_customers (ci_id, organisation_id) VALUES (@Id, @Organisation)", links, tx, cancellationToken: ct));
        }
        var snapshots = cis.Select(c => c.Ci.Snapshot(c.Identifier)).ToList();
        await WriteVersionsAsync(connection, tx, [.. cis.Select((c, i) => new VersionRow(c.Id, 1, "registered", c.Ci.Status.Key(), snapshots[i]))], changeRef, reason, ct);
        await audit.WriteManyAsync(connection, tx, cis.Select((c, i) => new AuditEvent(RecordType, c.Id.ToString("D"), "created", null,
            [.. AuditTrail.Created(snapshots[i]), .. ChangeRefEntry(changeRef)], reason)), ct);
    }

    private sealed class ItemRow
    {
        public Guid Id { get; init; }
        public string Identifier { get; init; } = "";
        public string Name { get; init; } = "";
        public Guid ClassId { get; init; }
        public string Status { get; init; } = "";
        public Guid? OwnerId { get; init; }
        public Guid? SupportGroupId { get; init; }
        public string Location { get; init; } = "";
        public string VersionLabel { get; init; } = "";
        public string Criticality { get; init; } = "";
        public string Description { get; init; } = "";
        public string? ServiceCode { get; init; }
        public string Attributes { get; init; } = "";
        public DateTimeOffset Now { get; init; }
    }

    private sealed class CustomerLink
    {
        public Guid Id { get; init; }
        public Guid Organisation { get; init; }
    }

    /// <summary>Takes <paramref name="count"/> identifiers of the class's convention, <c>PREFIX-000001</c> onwards.</summary>
    internal static async Task<IReadOnlyList<string>> NextIdentifiersAsync(DbConnection connection, DbTransaction tx, string prefix, int count, CancellationToken ct)
    {
        var last = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO cmdb_counters (prefix, next_value) VALUES (@prefix, @count)
            ON CONFLICT (prefix) DO UPDATE SET next_value = cmdb_counters.next_value + @count
            RETURNING next_value
            """, new { prefix, count = (long)count }, tx, cancellationToken: ct));
        return [.. Enumerable.Range(0, count).Select(i => $"{prefix}-{last - count + 1 + i:D6}")];
    }

    private sealed record VersionRow(Guid Id, int Version, string Action, string Status, IReadOnlyDictionary<string, object?> Snapshot);

    private Task WriteVersionAsync(
        DbConnection connection, DbTransaction tx, Guid id, int version, string action, string status, IReadOnlyDictionary<string, object?> snapshot,
        string? changeRef, string? reason, CancellationToken ct) =>
        WriteVersionsAsync(connection, tx, [new VersionRow(id, version, action, status, snapshot)], changeRef, reason, ct);

    private async Task WriteVersionsAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<VersionRow> versions, string? changeRef, string? reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var actorId = caller.ActorId;
        var actorName = caller.ActorName;
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cmdb_item_versions (ci_id, version, action, status, snapshot, changed_at, actor_id, actor_name, change_ref, reason)
            VALUES (@Id, @Version, @Action, @Status, @Snapshot, @Now, @ActorId, @ActorName, @ChangeRef, @Reason)
            """,
            versions.Select(v => new StoredVersion
            {
                Id = v.Id,
                Version = v.Version,
                Action = v.Action,
                Status = v.Status,
                Snapshot = SnapshotJson(v.Snapshot),
                Now = now,
                ActorId = actorId,
                ActorName = actorName,
                ChangeRef = changeRef,
                Reason = reason,
            }), tx, cancellationToken: ct));
    }

    private static string SnapshotJson(IReadOnlyDictionary<string, object?> snapshot)
    {
        var json = new JsonObject();
        foreach (var (key, value) in snapshot)
        {
            json[key] = key == "attributes" && value is string s ? JsonNode.Parse(s) : value switch
            {
                null => null,
                Guid g => g.ToString("D"),
                _ => value.ToString(),
            };
        }
        return json.ToJsonString();
    }

    private sealed class StoredVersion
    {
        public Guid Id { get; init; }
        public int Version { get; init; }
        public string Action { get; init; } = "";
        public string Status { get; init; } = "";
        public string Snapshot { get; init; } = "";
        public DateTimeOffset Now { get; init; }
        public Guid? ActorId { get; init; }
        public string ActorName { get; init; } = "";
        public string? ChangeRef { get; init; }
        public string? Reason { get; init; }
    }

    private static async Task SetCustomersAsync(DbConnection connection, DbTransaction tx, Guid id, IReadOnlyList<Guid> customers, bool replace, CancellationToken ct)
    {
        if (replace)
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM cmdb_item_customers WHERE ci_id = @id", new { id }, tx, cancellationToken: ct));
        }
        foreach (var organisation in customers)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO cmdb_item_customers (ci_id, organisation_id) VALUES (@id, @organisation)", new { id, organisation }, tx, cancellationToken: ct));
        }
    }

    internal Task<CiView?> GetAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct) => GetAsync(connection, tx, id, null, ct);

    /// <summary>One CI, if the caller may see it; pass the class model when the caller has already read it.</summary>
    internal async Task<CiView?> GetAsync(DbConnection connection, DbTransaction? tx, Guid id, ClassModel? model, CancellationToken ct)
    {
        var ci = await connection.QuerySingleOrDefaultAsync<CiView>(new CommandDefinition(
            $"SELECT {CiView.Columns} FROM cmdb_items i WHERE i.id = @id", new { id }, tx, cancellationToken: ct));
        if (ci is null)
        {
            return null;
        }
        model ??= await ClassModel.LoadAsync(connection, tx, ct);
        await DecorateAsync(connection, tx, model, [ci], ct);
        return caller.VisibleOrganisationId is { } own && !ci.CustomerIds.Contains(own) ? null : ci;
    }

    internal async Task DecorateAsync(DbConnection connection, DbTransaction? tx, ClassModel model, List<CiView> items, CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return;
        }
        var links = (await connection.QueryAsync<(Guid CiId, Guid OrganisationId)>(new CommandDefinition(
            $"SELECT ci_id, organisation_id FROM cmdb_item_customers WHERE {database.Dialect.In("ci_id", "ids")}",
            new { ids = items.Select(i => i.Id).ToArray() }, tx, cancellationToken: ct))).ToLookup(l => l.CiId, l => l.OrganisationId);
        var organisations = await directory.FindOrganisationsAsync(links.SelectMany(l => l).Distinct(), ct);
        var users = await directory.FindUsersAsync(items.Where(i => i.OwnerId is not null).Select(i => i.OwnerId!.Value).Distinct(), ct);
        var groups = await directory.FindGroupsAsync(items.Where(i => i.SupportGroupId is not null).Select(i => i.SupportGroupId!.Value).Distinct(), ct);
        var culture = CultureInfo.CurrentUICulture.Name;
        foreach (var item in items)
        {
            var cls = model.Find(item.ClassId);
            item.ClassKey = cls?.Key ?? "";
            item.ClassName = cls?.Name(culture) ?? "";
            var mine = links[item.Id].ToList();
            // A customer learns only that the CI serves their own organisation.
            item.CustomerIds = caller.VisibleOrganisationId is { } own ? [.. mine.Where(m => m == own)] : mine;
            item.CustomerNames = [.. item.CustomerIds.Select(c => organisations.TryGetValue(c, out var o) ? o.Name : c.ToString()).Order(StringComparer.CurrentCulture)];
            item.OwnerName = item.OwnerId is { } owner && users.TryGetValue(owner, out var u) ? u.DisplayName : null;
            item.SupportGroupName = item.SupportGroupId is { } g && groups.TryGetValue(g, out var group) ? group.Name : null;
        }
    }

    internal static Dictionary<string, object?> SnapshotOf(CiView ci, ClassModel model) => new(StringComparer.Ordinal)
    {
        ["identifier"] = ci.Identifier,
        ["name"] = ci.Name,
        ["class"] = model.Find(ci.ClassId)?.Key,
        ["status"] = ci.Status,
        ["ownerId"] = ci.OwnerId,
        ["supportGroupId"] = ci.SupportGroupId,
        ["location"] = ci.Location,
        ["versionLabel"] = ci.VersionLabel,
        ["criticality"] = ci.Criticality,
        ["description"] = ci.Description,
        ["serviceCode"] = ci.ServiceCode,
        ["attributes"] = JsonSerializer.Serialize(ci.Attributes),
        ["customerIds"] = string.Join(", ", ci.CustomerIds.Order()),
    };

    internal static IEnumerable<AuditChange> ChangeRefEntry(string? changeRef) =>
        Blank(changeRef) is { } r ? [new AuditChange("changeRef", null, r)] : [];

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
