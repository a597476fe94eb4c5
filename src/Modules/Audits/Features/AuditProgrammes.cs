using System.Text.Json;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Audits.Features;

/// <summary>A process area that audits look at, with the person responsible for it and its members: none of them may audit it.</summary>
public sealed class AreaView : IVersioned
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public Guid OwnerId { get; init; }
    public string? OwnerName { get; set; }
    public IReadOnlyList<Guid> MemberIds { get; private set; } = [];
    public IReadOnlyList<string> MemberNames { get; set; } = [];
    public int Version { get; init; }

    internal string MembersJson { get => JsonSerializer.Serialize(MemberIds); init => MemberIds = JsonSerializer.Deserialize<Guid[]>(value) ?? []; }

    /// <summary>The owner and every member: the people whose own work this area is.</summary>
    public IEnumerable<Guid> People => MemberIds.Append(OwnerId);

    internal const string Columns = "id, name, description, owner_id, members AS MembersJson, version";
}

/// <summary>The yearly audit programme (年度内审计划, manual §3.4.1: at least one internal audit a year).</summary>
public sealed class ProgrammeView : IVersioned
{
    public Guid Id { get; init; }
    public int Year { get; init; }
    public string Title { get; init; } = "";
    public string? Objectives { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedByName { get; init; } = "";
    public int Version { get; init; }
}

/// <summary>Process areas and yearly audit programmes (ISO/IEC 20000-1:2018 9.2.2; manual §2.1.10, §3.4.1).</summary>
public sealed class AuditProgrammes(Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, Texts<Strings> text, TimeProvider clock)
{
    public const string AreaRecordType = "audit-area";
    public const string ProgrammeRecordType = "audit-programme";

    public sealed record AreaRequest(string? Name, string? Description, Guid? OwnerId, IReadOnlyList<Guid>? MemberIds);

    public sealed record ProgrammeRequest(int? Year, string? Title, string? Objectives);

    public async Task<IReadOnlyList<AreaView>> AreasAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var areas = (await connection.QueryAsync<AreaView>(new CommandDefinition($"SELECT {AreaView.Columns} FROM aud_areas ORDER BY name", cancellationToken: ct))).ToList();
        var users = await directory.FindUsersAsync(areas.SelectMany(a => a.People).Distinct(), ct);
        foreach (var a in areas)
        {
            a.OwnerName = users.TryGetValue(a.OwnerId, out var o) ? o.DisplayName : null;
            a.MemberNames = [.. a.MemberIds.Select(m => users.TryGetValue(m, out var u) ? u.DisplayName : m.ToString("D"))];
        }
        return areas;
    }

    public async Task<AreaView?> AreaAsync(Guid id, CancellationToken ct = default) => (await AreasAsync(ct)).FirstOrDefault(a => a.Id == id);

    public async Task<Outcome<AreaView>> CreateAreaAsync(AreaRequest request, CancellationToken ct = default)
    {
        var errors = await ValidateAsync(request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<AreaView>>(async (connection, tx) =>
        {
            var name = request.Name!.Trim();
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM aud_areas WHERE name = @name", new { name }, tx, cancellationToken: ct)) > 0)
            {
                return text.Invalid(text.Errors().Add("name", "Validation.Duplicate", name));
            }
            var id = Guid.CreateVersion7();
            var members = JsonSerializer.Serialize(request.MemberIds?.Distinct().ToArray() ?? []);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO aud_areas (id, name, description, owner_id, members, created_at, version) VALUES (@id, @name, @description, @ownerId, @members, @now, 1)",
                new { id, name, description = CalendarDates.Blank(request.Description), ownerId = request.OwnerId, members, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(AreaRecordType, id.ToString("D"), "created", null,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = name, ["ownerId"] = request.OwnerId, ["members"] = members })), ct);
            return (await AreaAsync(connection, tx, id, ct))!;
        }, ct);
    }

    public async Task<Outcome<AreaView>> UpdateAreaAsync(Guid id, int expectedVersion, AreaRequest request, CancellationToken ct = default)
    {
        var errors = await ValidateAsync(request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<AreaView>>(async (connection, tx) =>
        {
            if (await AreaAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            var name = request.Name!.Trim();
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM aud_areas WHERE name = @name AND id <> @id", new { name, id }, tx, cancellationToken: ct)) > 0)
            {
                return text.Invalid(text.Errors().Add("name", "Validation.Duplicate", name));
            }
            var members = JsonSerializer.Serialize(request.MemberIds?.Distinct().ToArray() ?? []);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE aud_areas SET name = @name, description = @description, owner_id = @ownerId, members = @members, version = version + 1 WHERE id = @id AND version = @version",
                new { id, name, description = CalendarDates.Blank(request.Description), ownerId = request.OwnerId, members, version = expectedVersion }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(AreaRecordType, id.ToString("D"), "updated", null, AuditTrail.Diff(
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = current.Name, ["ownerId"] = current.OwnerId, ["members"] = current.MembersJson },
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = name, ["ownerId"] = request.OwnerId, ["members"] = members })), ct);
            return (await AreaAsync(connection, tx, id, ct))!;
        }, ct);
    }

    private static Task<AreaView?> AreaAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<AreaView>(new CommandDefinition($"SELECT {AreaView.Columns} FROM aud_areas WHERE id = @id", new { id }, tx, cancellationToken: ct));

    private async Task<FieldErrors> ValidateAsync(AreaRequest request, CancellationToken ct)
    {
        var errors = text.Errors().Required("name", request.Name, 200).Optional("description", request.Description, 4000);
        if (request.OwnerId is null)
        {
            errors.Add("ownerId", "Validation.Required");
        }
        foreach (var (field, user) in new[] { ("ownerId", request.OwnerId) }.Concat((request.MemberIds ?? []).Select(m => ("memberIds", (Guid?)m))))
        {
            if (user is { } u && !await IsStaffAsync(directory, u, ct))
            {
                errors.Add(field, "Validation.Unknown", u);
            }
        }
        return errors;
    }

    internal static async Task<bool> IsStaffAsync(IDirectory directory, Guid userId, CancellationToken ct) =>
        await directory.FindUserAsync(userId, ct) is { IsActive: true } user
        && (await directory.FindOrganisationAsync(user.OrganisationId, ct))?.Kind == OrganisationKind.Provider;

    public async Task<IReadOnlyList<ProgrammeView>> ProgrammesAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<ProgrammeView>(new CommandDefinition(
            "SELECT id, year, title, objectives, created_at, created_by_name, version FROM aud_programmes ORDER BY year DESC", cancellationToken: ct))).ToList();
    }

    public async Task<Outcome<ProgrammeView>> CreateProgrammeAsync(ProgrammeRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("title", request.Title, 200).Optional("objectives", request.Objectives, 8000);
        errors.When(request.Year is not (>= 2000 and <= 2100), "year", "Validation.Invalid");
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<ProgrammeView>>(async (connection, tx) =>
        {
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM aud_programmes WHERE year = @year", new { year = request.Year }, tx, cancellationToken: ct)) > 0)
            {
                return text.Invalid(text.Errors().Add("year", "Validation.Duplicate", request.Year!.Value));
            }
            var id = Guid.CreateVersion7();
            var row = new { id, year = request.Year!.Value, title = request.Title!.Trim(), objectives = CalendarDates.Blank(request.Objectives), now = clock.GetUtcNow(), byName = caller.ActorName };
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO aud_programmes (id, year, title, objectives, created_at, created_by_name, version) VALUES (@id, @year, @title, @objectives, @now, @byName, 1)",
                row, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(ProgrammeRecordType, id.ToString("D"), "created", null,
                AuditTrail.Created(new Dictionary<string, object?>(StringComparer.Ordinal) { ["year"] = row.year, ["title"] = row.title, ["objectives"] = row.objectives })), ct);
            return await connection.QuerySingleAsync<ProgrammeView>(new CommandDefinition(
                "SELECT id, year, title, objectives, created_at, created_by_name, version FROM aud_programmes WHERE id = @id", new { id }, tx, cancellationToken: ct));
        }, ct);
    }
}
