using System.Data.Common;
using Certus.Competence.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Competence.Features;

/// <summary>A person's assessed level in one competence, with who assessed it, when and on what evidence.</summary>
public sealed class LevelView
{
    public Guid UserId { get; init; }
    public Guid CompetenceId { get; init; }
    public string Key { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string NameZh { get; init; } = "";
    public string Category { get; init; } = "";
    public int Level { get; init; }
    public string AssessedOn { get; init; } = "";
    public string AssessorName { get; init; } = "";
    public string? Evidence { get; init; }
    public string Source { get; init; } = "";

    public string Name => Dates.Pick(NameEn, NameZh);

    internal const string Select =
        """
        SELECT l.user_id, l.competence_id, c.key, c.name_en, c.name_zh, c.category, l.level, l.assessed_on, l.assessor_name, l.evidence, l.source
        FROM cpt_levels l JOIN cpt_competences c ON c.id = l.competence_id
        """;
}

/// <summary>One cell of the matrix: the person's level against what their job roles require (0 = not required).</summary>
public sealed record MatrixCell(Guid CompetenceId, int Level, int Required, bool Gap);

/// <summary>One person of the matrix with their job roles and a cell per competence column.</summary>
public sealed record MatrixRow(Guid UserId, string Name, bool IsActive, IReadOnlyList<string> JobRoles, IReadOnlyList<MatrixCell> Cells, int Gaps);

/// <summary>People × required competences, with the gaps (ISO/IEC 20000-1:2018 7.2 b, c).</summary>
public sealed record MatrixView(Guid? JobRoleId, IReadOnlyList<JobRoleView> JobRoles, IReadOnlyList<CompetenceView> Competences, IReadOnlyList<MatrixRow> People)
{
    public int Gaps => People.Sum(p => p.Gaps);
}

/// <summary>A competence a person lacks: what a job role requires and what they have.</summary>
public sealed record GapView(Guid UserId, string Person, Guid CompetenceId, string Competence, int Level, int Required, string JobRole);

/// <summary>
/// Assessing people's competence (ISO/IEC 20000-1:2018 7.2 b: ensure people are competent; c: act to acquire it), and the
/// competence matrix built from the assessments and the job roles' requirements.
/// </summary>
public sealed class Assessments(Database database, AuditTrail audit, Staff staff, Catalogue catalogue, ICurrentUser caller, Texts<Strings> text, TimeProvider clock)
{
    /// <summary>Audit entries about a person's training record (levels, external trainings) carry the person's id.</summary>
    public const string RecordType = "training-record";

    /// <param name="CompetenceId">The competence assessed.</param>
    /// <param name="Level">1 aware, 2 practitioner, 3 proficient, 4 expert.</param>
    /// <param name="AssessedOn">yyyy-MM-dd; today when blank.</param>
    /// <param name="Evidence">What the assessment rests on (observed work, a test, a certificate).</param>
    /// <param name="AssessorId">Who assessed (often the person's manager); the caller when blank.</param>
    public sealed record AssessRequest(Guid? CompetenceId, int? Level, string? AssessedOn, string? Evidence, Guid? AssessorId = null);

    public async Task<IReadOnlyList<LevelView>> LevelsAsync(Guid userId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<LevelView>(new CommandDefinition(
            LevelView.Select + " WHERE l.user_id = @userId ORDER BY c.category, c.key", new { userId }, cancellationToken: ct))).ToList();
    }

    /// <summary>Records an assessment by hand: the level may go up or down, and the audit trail keeps the earlier one.</summary>
    public async Task<Outcome<LevelView>> AssessAsync(Guid userId, AssessRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("evidence", request.Evidence, 4000);
        errors.When(!CompetenceNames.IsLevel(request.Level), "level", "Validation.OneOf", "1, 2, 3, 4");
        if (!Dates.TryParse(request.AssessedOn, out var on))
        {
            errors.AddMessage("assessedOn", text["Validation.Date"]);
        }
        var today = CalendarDates.Day(clock.GetUtcNow());
        if (on is not null && string.CompareOrdinal(on, today) > 0)
        {
            errors.AddMessage("assessedOn", text["Validation.NotInFuture"]);
        }
        if (request.CompetenceId is not { } competenceId || await catalogue.CompetenceAsync(competenceId, ct) is null)
        {
            errors.Add("competenceId", request.CompetenceId is null ? "Validation.Required" : "Validation.Unknown", request.CompetenceId?.ToString("D") ?? "");
        }
        if (await staff.FindAsync(userId, ct) is null)
        {
            return text.NotFound();
        }
        var assessor = (caller.ActorId, caller.ActorName);
        if (request.AssessorId is { } assessorId)
        {
            if (!await staff.IsStaffAsync(assessorId, ct))
            {
                errors.Add("assessorId", "Validation.Unknown", assessorId);
            }
            else if (assessorId == userId)
            {
                errors.AddMessage("assessorId", text["Assess.NotSelf"]);
            }
            else
            {
                assessor = (assessorId, (await staff.FindAsync(assessorId, ct))!.DisplayName);
            }
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<LevelView>>(async (connection, tx) =>
        {
            await SetLevelAsync(connection, tx, userId, request.CompetenceId!.Value, request.Level!.Value, on ?? today, request.Evidence!.Trim(), "assessment",
                assessor.ActorId, assessor.ActorName, null, ct);
            return await connection.QuerySingleAsync<LevelView>(new CommandDefinition(
                LevelView.Select + " WHERE l.user_id = @userId AND l.competence_id = @competenceId", new { userId, competenceId = request.CompetenceId }, tx, cancellationToken: ct));
        }, ct);
    }

    /// <summary>
    /// Raises the person's level in a competence to <paramref name="level"/> where it is lower (a passed exam); never
    /// lowers it. Returns true when it changed. Audited with <paramref name="reason"/>.
    /// </summary>
    internal async Task<bool> RaiseAsync(DbConnection connection, DbTransaction tx, Guid userId, Guid competenceId, int level, string on, string evidence, string reason, CancellationToken ct)
    {
        var current = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            "SELECT level FROM cpt_levels WHERE user_id = @userId AND competence_id = @competenceId", new { userId, competenceId }, tx, cancellationToken: ct));
        if (current >= level)
        {
            return false;
        }
        await SetLevelAsync(connection, tx, userId, competenceId, level, on, evidence, "exam", caller.ActorId, caller.ActorName, reason, ct);
        return true;
    }

    private async Task SetLevelAsync(
        DbConnection connection, DbTransaction tx, Guid userId, Guid competenceId, int level, string on, string evidence, string source, Guid? assessorId, string assessorName,
        string? reason, CancellationToken ct)
    {
        var before = await connection.QuerySingleOrDefaultAsync<LevelRow>(new CommandDefinition(
            "SELECT level, assessed_on, evidence FROM cpt_levels WHERE user_id = @userId AND competence_id = @competenceId", new { userId, competenceId }, tx, cancellationToken: ct));
        var key = await connection.QuerySingleAsync<string>(new CommandDefinition(
            "SELECT key FROM cpt_competences WHERE id = @competenceId", new { competenceId }, tx, cancellationToken: ct));
        var now = clock.GetUtcNow();
        var row = new { userId, competenceId, level, on, assessorId, assessorName, evidence, source, now };
        if (before is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cpt_levels (user_id, competence_id, level, assessed_on, assessor_id, assessor_name, evidence, source, updated_at, version)
                VALUES (@userId, @competenceId, @level, @on, @assessorId, @assessorName, @evidence, @source, @now, 1)
                """, row, tx, cancellationToken: ct));
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cpt_levels SET level = @level, assessed_on = @on, assessor_id = @assessorId, assessor_name = @assessorName, evidence = @evidence, source = @source,
                    updated_at = @now, version = version + 1
                WHERE user_id = @userId AND competence_id = @competenceId
                """, row, tx, cancellationToken: ct));
        }
        await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, userId.ToString("D"), "assessed", null,
            [
                new AuditChange($"level:{key}", before?.Level.ToString(System.Globalization.CultureInfo.InvariantCulture), level.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new AuditChange("assessedOn", before?.AssessedOn, on),
                new AuditChange("evidence", before?.Evidence, evidence),
                new AuditChange("assessor", null, assessorName),
            ], reason ?? evidence), ct);
    }

    private sealed class LevelRow
    {
        public int Level { get; init; }
        public string AssessedOn { get; init; } = "";
        public string? Evidence { get; init; }
    }

    /// <summary>
    /// The matrix of the people holding job roles (of one role, when <paramref name="jobRoleId"/> is given) against the
    /// competences those roles require; a cell is a gap when the level is below the highest requirement of the person's roles.
    /// </summary>
    public async Task<MatrixView> MatrixAsync(Guid? jobRoleId, CancellationToken ct = default)
    {
        var roles = await catalogue.JobRolesAsync(ct);
        var competences = await catalogue.CompetencesAsync(ct);
        var inScope = jobRoleId is { } only ? roles.Where(r => r.Id == only).ToList() : roles;
        var people = inScope.SelectMany(r => r.People).DistinctBy(p => p.UserId).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var columns = inScope.SelectMany(r => r.Requirements).Select(r => r.CompetenceId).ToHashSet();
        var shown = competences.Where(c => columns.Contains(c.Id)).ToList();
        var levels = await AllLevelsAsync(ct);
        var rows = new List<MatrixRow>();
        foreach (var person in people)
        {
            // A person's requirement is the highest over all of their roles, whichever role the matrix is filtered by.
            var theirRoles = roles.Where(r => r.People.Any(p => p.UserId == person.UserId)).ToList();
            var required = theirRoles.SelectMany(r => r.Requirements).GroupBy(r => r.CompetenceId).ToDictionary(g => g.Key, g => g.Max(r => r.MinLevel));
            var cells = shown.Select(c =>
            {
                var level = levels.GetValueOrDefault((person.UserId, c.Id));
                var need = required.GetValueOrDefault(c.Id);
                return new MatrixCell(c.Id, level, need, need > 0 && level < need);
            }).ToList();
            rows.Add(new MatrixRow(person.UserId, person.Name, person.IsActive, [.. theirRoles.Select(r => r.Name)], cells, cells.Count(c => c.Gap)));
        }
        return new MatrixView(jobRoleId, roles, shown, rows);
    }

    private async Task<Dictionary<(Guid UserId, Guid CompetenceId), int>> AllLevelsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<(Guid UserId, Guid CompetenceId, int Level)>(new CommandDefinition(
            "SELECT user_id, competence_id, level FROM cpt_levels", cancellationToken: ct))).ToDictionary(l => (l.UserId, l.CompetenceId), l => l.Level);
    }

    /// <summary>Every gap of the active people holding job roles, each against the role that requires the most.</summary>
    public async Task<(int People, int Requirements, IReadOnlyList<GapView> Gaps)> GapsAsync(CancellationToken ct = default)
    {
        var roles = await catalogue.JobRolesAsync(ct);
        var levels = await AllLevelsAsync(ct);
        var competences = (await catalogue.CompetencesAsync(ct)).ToDictionary(c => c.Id);
        var people = roles.SelectMany(r => r.People).Where(p => p.IsActive).DistinctBy(p => p.UserId).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var gaps = new List<GapView>();
        var checkedCount = 0;
        foreach (var person in people)
        {
            var required = roles.Where(r => r.People.Any(p => p.UserId == person.UserId))
                .SelectMany(r => r.Requirements.Select(q => (Role: r, q.CompetenceId, q.MinLevel)))
                .GroupBy(q => q.CompetenceId)
                .Select(g => g.OrderByDescending(q => q.MinLevel).First());
            foreach (var (role, competenceId, minLevel) in required)
            {
                checkedCount++;
                var level = levels.GetValueOrDefault((person.UserId, competenceId));
                if (level < minLevel)
                {
                    gaps.Add(new GapView(person.UserId, person.Name, competenceId, competences[competenceId].Name, level, minLevel, role.Name));
                }
            }
        }
        return (people.Count, checkedCount, gaps);
    }
}
