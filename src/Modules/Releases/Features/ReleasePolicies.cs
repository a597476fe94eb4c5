using System.Text.Json;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Lookups;
using Certus.Kernel.Security;
using Certus.Releases.Domain;
using Dapper;

namespace Certus.Releases.Features;

/// <summary>A service's release policy as the API and pages show it (manual §9.1.1).</summary>
public sealed class PolicyView : IVersioned
{
    public Guid Id { get; init; }
    public string ServiceCode { get; init; } = "";
    public string? ServiceName { get; set; }
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public IReadOnlyList<ReleaseType> Types { get; private set; } = [];
    public string IdentificationScheme { get; init; } = "";
    public string AuthorisingRole { get; init; } = "";
    public string RolesDescription { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }

    internal string TypesJson { get => JsonSerializer.Serialize(Types, ReleasePolicies.Json); init => Types = JsonSerializer.Deserialize<ReleaseType[]>(value, ReleasePolicies.Json) ?? []; }

    public bool Allows(string type) => Types.Any(t => string.Equals(t.Key, type, StringComparison.Ordinal));

    internal const string Columns = """
        id, service_code, name, description, types AS TypesJson, identification_scheme, authorising_role, roles_description, created_at, updated_at, version
        """;
}

/// <summary>
/// Release policies, one per service: the release types allowed and how often each goes out, the identification
/// scheme, who authorises a release for deployment and the roles involved (manual §9.1.1; ISO/IEC 20000-1:2018 8.5.3).
/// </summary>
public sealed class ReleasePolicies(Database database, AuditTrail audit, ICurrentUser caller, IServiceLookup services, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "release-policy";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What a policy says. <c>Types</c> defaults to major, minor and emergency; the scheme to <c>{service}-{yyyy}.{seq}</c>.</summary>
    public sealed record Request(
        string? ServiceCode, string? Name, string? Description, IReadOnlyList<TypeInput>? Types, string? IdentificationScheme, string? AuthorisingRole,
        string? RolesDescription);

    public sealed record TypeInput(string? Key, string? Frequency);

    public async Task<IReadOnlyList<PolicyView>> ListAsync(CancellationToken ct = default)
    {
        if (caller.VisibleOrganisationId is not null)
        {
            return [];
        }
        await using var connection = await database.OpenAsync(ct);
        var list = (await connection.QueryAsync<PolicyView>(new CommandDefinition(
            $"SELECT {PolicyView.Columns} FROM rel_policies ORDER BY service_code", cancellationToken: ct))).ToList();
        await NameAsync(list, ct);
        return list;
    }

    public async Task<PolicyView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        if (caller.VisibleOrganisationId is not null)
        {
            return null;
        }
        await using var connection = await database.OpenAsync(ct);
        var policy = await connection.QuerySingleOrDefaultAsync<PolicyView>(new CommandDefinition(
            $"SELECT {PolicyView.Columns} FROM rel_policies WHERE id = @id", new { id }, cancellationToken: ct));
        if (policy is not null)
        {
            await NameAsync([policy], ct);
        }
        return policy;
    }

    /// <summary>The policy of a service, by its code (any case).</summary>
    public async Task<PolicyView?> ForServiceAsync(string serviceCode, CancellationToken ct = default)
    {
        if (caller.VisibleOrganisationId is not null)
        {
            return null;
        }
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PolicyView>(new CommandDefinition(
            $"SELECT {PolicyView.Columns} FROM rel_policies WHERE service_code = @code", new { code = serviceCode.Trim().ToUpperInvariant() }, cancellationToken: ct));
    }

    public async Task<Outcome<PolicyView>> CreateAsync(Request request, CancellationToken ct = default)
    {
        if (!caller.HasPermission(Contracts.ReleasePermissions.Configure))
        {
            return new Failure(FailureKind.Forbidden, text.Kernel["Problem.Forbidden"]);
        }
        var (errors, clean) = await ValidateAsync(request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var created = await database.WriteAsync<Outcome<PolicyView>>(async (connection, tx) =>
        {
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM rel_policies WHERE service_code = @code", new { code = clean.ServiceCode }, tx, cancellationToken: ct)) > 0)
            {
                return text.Invalid(text.Errors().AddMessage("serviceCode", text["Policy.Exists", clean.ServiceCode]));
            }
            var id = Guid.CreateVersion7();
            var now = clock.GetUtcNow();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO rel_policies (id, service_code, name, description, types, identification_scheme, authorising_role, roles_description,
                    created_at, updated_at, version)
                VALUES (@id, @ServiceCode, @Name, @Description, @TypesJson, @Scheme, @Role, @Roles, @now, @now, 1)
                """,
                new { id, clean.ServiceCode, clean.Name, clean.Description, clean.TypesJson, clean.Scheme, clean.Role, clean.Roles, now }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "created", null,
                AuditTrail.Created(clean.Snapshot())), ct);
            return await LoadAsync(connection, tx, id, ct);
        }, ct);
        return await NamedAsync(created, ct);
    }

    public async Task<Outcome<PolicyView>> UpdateAsync(Guid id, int expectedVersion, Request request, CancellationToken ct = default)
    {
        if (!caller.HasPermission(Contracts.ReleasePermissions.Configure))
        {
            return new Failure(FailureKind.Forbidden, text.Kernel["Problem.Forbidden"]);
        }
        var (errors, clean) = await ValidateAsync(request, ct);
        var current = await GetAsync(id, ct);
        if (current is null)
        {
            return text.NotFound();
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        if (!string.Equals(current.ServiceCode, clean.ServiceCode, StringComparison.Ordinal))
        {
            return text.Invalid(text.Errors().AddMessage("serviceCode", text["Policy.ServiceFixed"]));
        }
        var updatedPolicy = await database.WriteAsync<Outcome<PolicyView>>(async (connection, tx) =>
        {
            var before = await LoadAsync(connection, tx, id, ct);
            if (before.Version != expectedVersion)
            {
                return text.Stale();
            }
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE rel_policies SET name = @Name, description = @Description, types = @TypesJson, identification_scheme = @Scheme,
                    authorising_role = @Role, roles_description = @Roles, updated_at = @now, version = version + 1
                WHERE id = @id AND version = @expectedVersion
                """,
                new { id, expectedVersion, clean.Name, clean.Description, clean.TypesJson, clean.Scheme, clean.Role, clean.Roles, now = clock.GetUtcNow() },
                tx, cancellationToken: ct));
            if (updated == 0)
            {
                return text.Stale();
            }
            var old = new Clean(before.ServiceCode, before.Name, before.Description, before.TypesJson, before.IdentificationScheme, before.AuthorisingRole,
                before.RolesDescription);
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "updated", null,
                AuditTrail.Diff(old.Snapshot(), clean.Snapshot())), ct);
            return await LoadAsync(connection, tx, id, ct);
        }, ct);
        return await NamedAsync(updatedPolicy, ct);
    }

    private async Task<Outcome<PolicyView>> NamedAsync(Outcome<PolicyView> outcome, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            await NameAsync([outcome.Value!], ct);
        }
        return outcome;
    }

    private sealed record Clean(string ServiceCode, string Name, string Description, string TypesJson, string Scheme, string Role, string Roles)
    {
        public Dictionary<string, object?> Snapshot() => new(StringComparer.Ordinal)
        {
            ["serviceCode"] = ServiceCode,
            ["name"] = Name,
            ["description"] = Description,
            ["types"] = TypesJson,
            ["identificationScheme"] = Scheme,
            ["authorisingRole"] = Role,
            ["rolesDescription"] = Roles,
        };
    }

    private async Task<(FieldErrors Errors, Clean Clean)> ValidateAsync(Request request, CancellationToken ct)
    {
        var errors = text.Errors()
            .Required("serviceCode", request.ServiceCode, 40)
            .Required("name", request.Name, 200)
            .Optional("description", request.Description, 20_000)
            .Optional("identificationScheme", request.IdentificationScheme, IdentificationScheme.MaxLength)
            .Optional("rolesDescription", request.RolesDescription, 20_000);
        var code = request.ServiceCode?.Trim().ToUpperInvariant() ?? "";
        if (code.Length > 0 && code.Length <= 40 && (await services.FindAsync([code], ct)).Count == 0)
        {
            errors.AddMessage("serviceCode", text["Policy.UnknownService", code]);
        }
        var scheme = string.IsNullOrWhiteSpace(request.IdentificationScheme) ? IdentificationScheme.Default : request.IdentificationScheme.Trim();
        if (scheme.Length <= IdentificationScheme.MaxLength && IdentificationScheme.Problem(scheme) is { } problem)
        {
            errors.AddMessage("identificationScheme", text[$"Policy.Scheme.{problem}"]);
        }
        var role = string.IsNullOrWhiteSpace(request.AuthorisingRole) ? Roles.ChangeManager : request.AuthorisingRole.Trim();
        if (!Roles.Staff.Contains(role, StringComparer.Ordinal))
        {
            errors.Add("authorisingRole", "Validation.OneOf", string.Join(", ", Roles.Staff));
        }
        var types = new List<ReleaseType>();
        var given = request.Types ?? [.. ReleaseTypes.Standard.Select(k => new TypeInput(k, ""))];
        if (given.Count == 0)
        {
            errors.Add("types", "Validation.Required");
        }
        for (var i = 0; i < given.Count; i++)
        {
            var key = given[i].Key?.Trim().ToLowerInvariant() ?? "";
            var frequency = given[i].Frequency?.Trim() ?? "";
            if (!ReleaseTypes.IsWellFormed(key))
            {
                errors.AddMessage($"types[{i}].key", text["Policy.TypeKey"]);
            }
            else if (types.Any(t => t.Key == key))
            {
                errors.Add($"types[{i}].key", "Validation.Duplicate", key);
            }
            errors.Optional($"types[{i}].frequency", frequency, 200);
            types.Add(new ReleaseType(key, frequency));
        }
        return (errors, new Clean(code, request.Name?.Trim() ?? "", request.Description?.Trim() ?? "", JsonSerializer.Serialize(types, Json), scheme, role,
            request.RolesDescription?.Trim() ?? ""));
    }

    private static async Task<PolicyView> LoadAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, Guid id, CancellationToken ct) =>
        await connection.QuerySingleAsync<PolicyView>(new CommandDefinition(
            $"SELECT {PolicyView.Columns} FROM rel_policies WHERE id = @id", new { id }, tx, cancellationToken: ct));

    private async Task NameAsync(List<PolicyView> policies, CancellationToken ct)
    {
        if (policies.Count == 0)
        {
            return;
        }
        var found = await services.FindAsync([.. policies.Select(p => p.ServiceCode)], ct);
        foreach (var policy in policies)
        {
            policy.ServiceName = found.FirstOrDefault(s => string.Equals(s.Code, policy.ServiceCode, StringComparison.OrdinalIgnoreCase))?.Name;
        }
    }
}
