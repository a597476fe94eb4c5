using System.Data.Common;
using System.Text.RegularExpressions;
using Certus.Competence.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Competence.Features;

/// <summary>A competence of the catalogue: what someone knows or can do, in four levels.</summary>
public sealed class CompetenceView : IVersioned
{
    public Guid Id { get; init; }
    public string Key { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string NameZh { get; init; } = "";
    public string? Description { get; init; }
    public string Category { get; init; } = "";
    public int Version { get; init; }

    /// <summary>The name in the caller's language.</summary>
    public string Name => Dates.Pick(NameEn, NameZh);

    internal const string Columns = "id, key, name_en, name_zh, description, category, version";
}

/// <summary>A competence a job role requires, at a minimum level.</summary>
public sealed class RequirementView
{
    public Guid CompetenceId { get; init; }
    public string Key { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string NameZh { get; init; } = "";
    public int MinLevel { get; init; }

    public string Name => Dates.Pick(NameEn, NameZh);
}

/// <summary>A person holding a job role.</summary>
public sealed record RolePersonView(Guid UserId, string Name, string Email, bool IsActive, string AssignedOn);

/// <summary>A job role (岗位) with the competences it requires and the people who hold it.</summary>
public sealed class JobRoleView : IVersioned
{
    public Guid Id { get; init; }
    public string Key { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string NameZh { get; init; } = "";
    public string? Description { get; init; }
    public int Version { get; init; }
    public IReadOnlyList<RequirementView> Requirements { get; set; } = [];
    public IReadOnlyList<RolePersonView> People { get; set; } = [];

    public string Name => Dates.Pick(NameEn, NameZh);

    internal const string Columns = "id, key, name_en, name_zh, description, version";
}

/// <summary>
/// The competence catalogue and the job roles with their required competences and the people who hold them
/// (ISO/IEC 20000-1:2018 7.2 a: determine the competence needed; manual §2.3.3: each role's required abilities).
/// </summary>
public sealed partial class Catalogue(Database database, AuditTrail audit, Staff staff, Texts<Strings> text, TimeProvider clock)
{
    public const string CompetenceRecordType = "competence";
    public const string JobRoleRecordType = "job-role";

    /// <param name="Key">Stable key: lower-case letters, digits and dashes, such as <c>incident-handling</c>.</param>
    /// <param name="NameEn">The name in English.</param>
    /// <param name="NameZh">The name in Chinese.</param>
    /// <param name="Description">What it covers.</param>
    /// <param name="Category"><c>technical</c>, <c>process</c>, <c>management</c> or <c>soft-skill</c>.</param>
    public sealed record CompetenceRequest(string? Key, string? NameEn, string? NameZh, string? Description, string? Category);

    public sealed record RequirementRequest(Guid? CompetenceId, int? MinLevel);

    public sealed record JobRoleRequest(string? Key, string? NameEn, string? NameZh, string? Description, IReadOnlyList<RequirementRequest>? Requirements);

    public sealed record PeopleRequest(IReadOnlyList<Guid>? UserIds);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,59}$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex KeyFormat();

    public async Task<IReadOnlyList<CompetenceView>> CompetencesAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<CompetenceView>(new CommandDefinition(
            $"SELECT {CompetenceView.Columns} FROM cpt_competences ORDER BY category, key", cancellationToken: ct))).ToList();
    }

    public async Task<CompetenceView?> CompetenceAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await CompetenceAsync(connection, null, id, ct);
    }

    private static Task<CompetenceView?> CompetenceAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<CompetenceView>(new CommandDefinition(
            $"SELECT {CompetenceView.Columns} FROM cpt_competences WHERE id = @id", new { id }, tx, cancellationToken: ct));

    private FieldErrors Validate(CompetenceRequest request)
    {
        var errors = text.Errors().Required("key", request.Key, 60).Required("nameEn", request.NameEn, 200).Required("nameZh", request.NameZh, 200)
            .Optional("description", request.Description, 4000);
        if (!string.IsNullOrWhiteSpace(request.Key) && !KeyFormat().IsMatch(request.Key.Trim()))
        {
            errors.AddMessage("key", text["Validation.Key"]);
        }
        errors.When(!CompetenceNames.Categories.Contains(request.Category ?? "", StringComparer.Ordinal), "category", "Validation.OneOf",
            string.Join(", ", CompetenceNames.Categories));
        return errors;
    }

    private static Dictionary<string, object?> Fields(CompetenceRequest r) => new(StringComparer.Ordinal)
    {
        ["key"] = r.Key?.Trim(), ["nameEn"] = r.NameEn?.Trim(), ["nameZh"] = r.NameZh?.Trim(), ["description"] = CalendarDates.Blank(r.Description), ["category"] = r.Category,
    };

    public async Task<Outcome<CompetenceView>> CreateCompetenceAsync(CompetenceRequest request, CancellationToken ct = default)
    {
        var errors = Validate(request);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<CompetenceView>>(async (connection, tx) =>
        {
            var key = request.Key!.Trim();
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM cpt_competences WHERE key = @key", new { key }, tx, cancellationToken: ct)) > 0)
            {
                return text.Invalid(text.Errors().Add("key", "Validation.Duplicate"));
            }
            var id = Guid.CreateVersion7();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cpt_competences (id, key, name_en, name_zh, description, category, created_at, version)
                VALUES (@id, @key, @nameEn, @nameZh, @description, @category, @now, 1)
                """,
                new { id, key, nameEn = request.NameEn!.Trim(), nameZh = request.NameZh!.Trim(), description = CalendarDates.Blank(request.Description), category = request.Category, now = clock.GetUtcNow() },
                tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(CompetenceRecordType, id.ToString("D"), "created", null, AuditTrail.Created(Fields(request))), ct);
            return (await CompetenceAsync(connection, tx, id, ct))!;
        }, ct);
    }

    public async Task<Outcome<CompetenceView>> UpdateCompetenceAsync(Guid id, int expectedVersion, CompetenceRequest request, CancellationToken ct = default)
    {
        var errors = Validate(request);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<CompetenceView>>(async (connection, tx) =>
        {
            if (await CompetenceAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            var key = request.Key!.Trim();
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM cpt_competences WHERE key = @key AND id <> @id", new { key, id }, tx, cancellationToken: ct)) > 0)
            {
                return text.Invalid(text.Errors().Add("key", "Validation.Duplicate"));
            }
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cpt_competences SET key = @key, name_en = @nameEn, name_zh = @nameZh, description = @description, category = @category, version = version + 1
                WHERE id = @id AND version = @version
                """,
                new { id, key, nameEn = request.NameEn!.Trim(), nameZh = request.NameZh!.Trim(), description = CalendarDates.Blank(request.Description), category = request.Category, version = expectedVersion },
                tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(CompetenceRecordType, id.ToString("D"), "updated", null, AuditTrail.Diff(
                Fields(new CompetenceRequest(current.Key, current.NameEn, current.NameZh, current.Description, current.Category)), Fields(request))), ct);
            return (await CompetenceAsync(connection, tx, id, ct))!;
        }, ct);
    }

    public async Task<IReadOnlyList<JobRoleView>> JobRolesAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var roles = (await connection.QueryAsync<JobRoleView>(new CommandDefinition(
            $"SELECT {JobRoleView.Columns} FROM cpt_job_roles ORDER BY key", cancellationToken: ct))).ToList();
        await FillAsync(connection, null, roles, ct);
        return roles;
    }

    public async Task<JobRoleView?> JobRoleAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await JobRoleAsync(connection, null, id, ct);
    }

    private async Task<JobRoleView?> JobRoleAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct)
    {
        var role = await connection.QuerySingleOrDefaultAsync<JobRoleView>(new CommandDefinition(
            $"SELECT {JobRoleView.Columns} FROM cpt_job_roles WHERE id = @id", new { id }, tx, cancellationToken: ct));
        if (role is not null)
        {
            await FillAsync(connection, tx, [role], ct);
        }
        return role;
    }

    private async Task FillAsync(DbConnection connection, DbTransaction? tx, List<JobRoleView> roles, CancellationToken ct)
    {
        if (roles.Count == 0)
        {
            return;
        }
        var requirements = (await connection.QueryAsync<RequirementRow>(new CommandDefinition(
            """
            SELECT r.job_role_id, r.competence_id, c.key, c.name_en, c.name_zh, r.min_level
            FROM cpt_role_requirements r JOIN cpt_competences c ON c.id = r.competence_id
            ORDER BY c.category, c.key
            """, transaction: tx, cancellationToken: ct))).ToLookup(r => r.JobRoleId);
        var people = (await connection.QueryAsync<(Guid JobRoleId, Guid UserId, string AssignedOn)>(new CommandDefinition(
            "SELECT job_role_id, user_id, assigned_on FROM cpt_role_people", transaction: tx, cancellationToken: ct))).ToList();
        var users = await staff.FindManyAsync(people.Select(p => p.UserId), ct);
        foreach (var role in roles)
        {
            role.Requirements = [.. requirements[role.Id].Select(r => new RequirementView
            {
                CompetenceId = r.CompetenceId, Key = r.Key, NameEn = r.NameEn, NameZh = r.NameZh, MinLevel = r.MinLevel,
            })];
            role.People = [.. people.Where(p => p.JobRoleId == role.Id)
                .Select(p => users.TryGetValue(p.UserId, out var u)
                    ? new RolePersonView(p.UserId, u.DisplayName, u.Email, u.IsActive, p.AssignedOn)
                    : new RolePersonView(p.UserId, p.UserId.ToString("D"), "", false, p.AssignedOn))
                .OrderBy(p => p.Name, StringComparer.Ordinal)];
        }
    }

    private sealed class RequirementRow
    {
        public Guid JobRoleId { get; init; }
        public Guid CompetenceId { get; init; }
        public string Key { get; init; } = "";
        public string NameEn { get; init; } = "";
        public string NameZh { get; init; } = "";
        public int MinLevel { get; init; }
    }

    private async Task<FieldErrors> ValidateAsync(JobRoleRequest request, CancellationToken ct)
    {
        var errors = text.Errors().Required("key", request.Key, 60).Required("nameEn", request.NameEn, 200).Required("nameZh", request.NameZh, 200)
            .Optional("description", request.Description, 4000);
        if (!string.IsNullOrWhiteSpace(request.Key) && !KeyFormat().IsMatch(request.Key.Trim()))
        {
            errors.AddMessage("key", text["Validation.Key"]);
        }
        var known = (await CompetencesAsync(ct)).Select(c => c.Id).ToHashSet();
        foreach (var r in request.Requirements ?? [])
        {
            if (r.CompetenceId is not { } c || !known.Contains(c))
            {
                errors.Add("requirements", "Validation.Unknown", r.CompetenceId?.ToString("D") ?? "");
            }
            else if (!CompetenceNames.IsLevel(r.MinLevel))
            {
                errors.AddMessage("requirements", text["Validation.Level"]);
            }
        }
        if ((request.Requirements ?? []).GroupBy(r => r.CompetenceId).Any(g => g.Count() > 1))
        {
            errors.AddMessage("requirements", text["Validation.RequirementTwice"]);
        }
        return errors;
    }

    private static string RequirementsText(IEnumerable<(Guid CompetenceId, int Level)> requirements) =>
        string.Join(",", requirements.OrderBy(r => r.CompetenceId).Select(r => $"{r.CompetenceId:D}:{r.Level}"));

    public async Task<Outcome<JobRoleView>> CreateJobRoleAsync(JobRoleRequest request, CancellationToken ct = default)
    {
        var errors = await ValidateAsync(request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<JobRoleView>>(async (connection, tx) =>
        {
            var key = request.Key!.Trim();
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM cpt_job_roles WHERE key = @key", new { key }, tx, cancellationToken: ct)) > 0)
            {
                return text.Invalid(text.Errors().Add("key", "Validation.Duplicate"));
            }
            var id = Guid.CreateVersion7();
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO cpt_job_roles (id, key, name_en, name_zh, description, created_at, version) VALUES (@id, @key, @nameEn, @nameZh, @description, @now, 1)",
                new { id, key, nameEn = request.NameEn!.Trim(), nameZh = request.NameZh!.Trim(), description = CalendarDates.Blank(request.Description), now = clock.GetUtcNow() },
                tx, cancellationToken: ct));
            var requirements = (request.Requirements ?? []).Select(r => (r.CompetenceId!.Value, r.MinLevel!.Value)).ToList();
            await SetRequirementsAsync(connection, tx, id, requirements, ct);
            await audit.WriteAsync(connection, tx, new AuditEvent(JobRoleRecordType, id.ToString("D"), "created", null, AuditTrail.Created(
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["key"] = key, ["nameEn"] = request.NameEn.Trim(), ["nameZh"] = request.NameZh.Trim(), ["description"] = CalendarDates.Blank(request.Description),
                    ["requirements"] = RequirementsText(requirements),
                })), ct);
            return (await JobRoleAsync(connection, tx, id, ct))!;
        }, ct);
    }

    private static async Task SetRequirementsAsync(DbConnection connection, DbTransaction tx, Guid id, IReadOnlyList<(Guid CompetenceId, int Level)> requirements, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM cpt_role_requirements WHERE job_role_id = @id", new { id }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO cpt_role_requirements (job_role_id, competence_id, min_level) VALUES (@id, @competenceId, @level)",
            requirements.Select(r => new { id, competenceId = r.CompetenceId, level = r.Level }), tx, cancellationToken: ct));
    }

    /// <summary>Changes a job role's names and description and, when given, its required competences.</summary>
    public async Task<Outcome<JobRoleView>> UpdateJobRoleAsync(Guid id, int expectedVersion, JobRoleRequest request, CancellationToken ct = default)
    {
        var errors = await ValidateAsync(request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<JobRoleView>>(async (connection, tx) =>
        {
            if (await JobRoleAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            var key = request.Key!.Trim();
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM cpt_job_roles WHERE key = @key AND id <> @id", new { key, id }, tx, cancellationToken: ct)) > 0)
            {
                return text.Invalid(text.Errors().Add("key", "Validation.Duplicate"));
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cpt_job_roles SET key = @key, name_en = @nameEn, name_zh = @nameZh, description = @description, version = version + 1 WHERE id = @id AND version = @version",
                new { id, key, nameEn = request.NameEn!.Trim(), nameZh = request.NameZh!.Trim(), description = CalendarDates.Blank(request.Description), version = expectedVersion },
                tx, cancellationToken: ct));
            var before = RequirementsText(current.Requirements.Select(r => (r.CompetenceId, r.MinLevel)));
            var after = before;
            if (request.Requirements is { } wanted)
            {
                var requirements = wanted.Select(r => (r.CompetenceId!.Value, r.MinLevel!.Value)).ToList();
                await SetRequirementsAsync(connection, tx, id, requirements, ct);
                after = RequirementsText(requirements);
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(JobRoleRecordType, id.ToString("D"), "updated", null, AuditTrail.Diff(
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["key"] = current.Key, ["nameEn"] = current.NameEn, ["nameZh"] = current.NameZh, ["description"] = current.Description, ["requirements"] = before,
                },
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["key"] = key, ["nameEn"] = request.NameEn.Trim(), ["nameZh"] = request.NameZh.Trim(), ["description"] = CalendarDates.Blank(request.Description), ["requirements"] = after,
                })), ct);
            return (await JobRoleAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>Sets who holds a job role: active provider staff only; people keep their assignment date while they stay.</summary>
    public async Task<Outcome<JobRoleView>> SetPeopleAsync(Guid id, int expectedVersion, PeopleRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors();
        var wanted = (request.UserIds ?? []).Distinct().ToList();
        var current0 = await JobRoleAsync(id, ct);
        foreach (var user in wanted)
        {
            // People who already hold the role may stay after they leave (their record is history); new ones must be active staff.
            if (current0?.People.Any(p => p.UserId == user) != true && !await staff.IsStaffAsync(user, ct))
            {
                errors.Add("userIds", "Validation.Unknown", user);
            }
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<JobRoleView>>(async (connection, tx) =>
        {
            if (await JobRoleAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            var had = current.People.Select(p => p.UserId).ToHashSet();
            var removed = had.Where(u => !wanted.Contains(u)).ToArray();
            var added = wanted.Where(u => !had.Contains(u)).ToList();
            if (removed.Length > 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    $"DELETE FROM cpt_role_people WHERE job_role_id = @id AND {SqlDialect.For(connection).In("user_id", "removed")}", new { id, removed }, tx, cancellationToken: ct));
            }
            var today = CalendarDates.Day(clock.GetUtcNow());
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO cpt_role_people (job_role_id, user_id, assigned_on) VALUES (@id, @userId, @today)",
                added.Select(u => new { id, userId = u, today }), tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cpt_job_roles SET version = version + 1 WHERE id = @id AND version = @version", new { id, version = expectedVersion }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(JobRoleRecordType, id.ToString("D"), "people", null,
                [new AuditChange("people", string.Join(",", current.People.Select(p => p.UserId)), string.Join(",", wanted))],
                text["JobRole.PeopleChanged", added.Count, removed.Length]), ct);
            return (await JobRoleAsync(connection, tx, id, ct))!;
        }, ct);
    }

    /// <summary>The job roles each person holds: user id → role ids.</summary>
    internal static async Task<ILookup<Guid, Guid>> RolesByPersonAsync(DbConnection connection, CancellationToken ct) =>
        (await connection.QueryAsync<(Guid UserId, Guid JobRoleId)>(new CommandDefinition(
            "SELECT user_id, job_role_id FROM cpt_role_people", cancellationToken: ct))).ToLookup(r => r.UserId, r => r.JobRoleId);
}
