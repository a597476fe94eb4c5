using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certus.Competence.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Competence.Features;

/// <summary>A competence a course develops, and to which level.</summary>
public sealed class CourseCompetenceView
{
    public Guid CompetenceId { get; init; }
    public string Key { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string NameZh { get; init; } = "";
    public int Level { get; init; }

    public string Name => Dates.Pick(NameEn, NameZh);
}

/// <summary>A course: internal or external, its hours, what it develops, the awareness topics it covers and its exam.</summary>
public sealed class CourseView : IVersioned
{
    public Guid Id { get; init; }
    public string Code { get; init; } = "";
    public string TitleEn { get; init; } = "";
    public string TitleZh { get; init; } = "";
    public string? Description { get; init; }
    public string Kind { get; init; } = "";
    public string? Provider { get; init; }
    public double Hours { get; init; }
    public IReadOnlyList<string> Awareness { get; private set; } = [];
    public bool HasExam { get; init; }
    public int? PassMark { get; init; }
    public string? CertificateName { get; init; }
    public int? CertificateMonths { get; init; }
    public int Version { get; init; }
    public IReadOnlyList<CourseCompetenceView> Competences { get; set; } = [];

    public string Title => Dates.Pick(TitleEn, TitleZh);

    internal string AwarenessJson { get => JsonSerializer.Serialize(Awareness); init => Awareness = JsonSerializer.Deserialize<string[]>(value) ?? []; }

    internal const string Columns =
        "id, code, title_en, title_zh, description, kind, provider, hours, awareness AS AwarenessJson, has_exam, pass_mark, certificate_name, certificate_months, version";
}

/// <summary>
/// The course catalogue (ISO/IEC 20000-1:2018 7.2 c: training to acquire competence; 7.3: awareness; manual §2.3.1; the
/// internal auditor course ends in an exam, seed 003).
/// </summary>
public sealed partial class Courses(Database database, AuditTrail audit, Catalogue catalogue, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "course";

    public sealed record CompetenceLevel(Guid? CompetenceId, int? Level);

    /// <param name="Code">Short unique code, such as <c>ISO20K-IA</c>.</param>
    /// <param name="TitleEn">Title in English.</param>
    /// <param name="TitleZh">Title in Chinese.</param>
    /// <param name="Description">Contents, audience.</param>
    /// <param name="Kind"><c>internal</c> or <c>external</c>.</param>
    /// <param name="Provider">Who runs it (a training company for external courses).</param>
    /// <param name="Hours">Length in hours.</param>
    /// <param name="Awareness">Awareness topics covered: <c>policy</c>, <c>objectives</c>, <c>contribution</c>, <c>consequences</c>.</param>
    /// <param name="HasExam">Whether it ends in an exam.</param>
    /// <param name="PassMark">Score (0-100) needed to pass the exam.</param>
    /// <param name="CertificateName">Certificate issued to those who pass, if any.</param>
    /// <param name="CertificateMonths">How long that certificate is valid; blank for no expiry.</param>
    /// <param name="Competences">Competences it develops and the level a pass brings.</param>
    public sealed record Request(
        string? Code, string? TitleEn, string? TitleZh, string? Description, string? Kind, string? Provider, double? Hours, IReadOnlyList<string>? Awareness,
        bool? HasExam, int? PassMark, string? CertificateName, int? CertificateMonths, IReadOnlyList<CompetenceLevel>? Competences);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex CodeFormat();

    public async Task<IReadOnlyList<CourseView>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var courses = (await connection.QueryAsync<CourseView>(new CommandDefinition(
            $"SELECT {CourseView.Columns} FROM cpt_courses ORDER BY code", cancellationToken: ct))).ToList();
        await FillAsync(connection, null, courses, ct);
        return courses;
    }

    public async Task<CourseView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await GetAsync(connection, null, id, ct);
    }

    internal static async Task<CourseView?> GetAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct)
    {
        var course = await connection.QuerySingleOrDefaultAsync<CourseView>(new CommandDefinition(
            $"SELECT {CourseView.Columns} FROM cpt_courses WHERE id = @id", new { id }, tx, cancellationToken: ct));
        if (course is not null)
        {
            await FillAsync(connection, tx, [course], ct);
        }
        return course;
    }

    private static async Task FillAsync(DbConnection connection, DbTransaction? tx, IReadOnlyList<CourseView> courses, CancellationToken ct)
    {
        var rows = (await connection.QueryAsync<CourseCompetenceRow>(new CommandDefinition(
            """
            SELECT cc.course_id, cc.competence_id, c.key, c.name_en, c.name_zh, cc.level
            FROM cpt_course_competences cc JOIN cpt_competences c ON c.id = cc.competence_id ORDER BY c.category, c.key
            """, transaction: tx, cancellationToken: ct))).ToLookup(r => r.CourseId);
        foreach (var course in courses)
        {
            course.Competences = [.. rows[course.Id].Select(r => new CourseCompetenceView
            {
                CompetenceId = r.CompetenceId, Key = r.Key, NameEn = r.NameEn, NameZh = r.NameZh, Level = r.Level,
            })];
        }
    }

    private sealed class CourseCompetenceRow
    {
        public Guid CourseId { get; init; }
        public Guid CompetenceId { get; init; }
        public string Key { get; init; } = "";
        public string NameEn { get; init; } = "";
        public string NameZh { get; init; } = "";
        public int Level { get; init; }
    }

    private async Task<FieldErrors> ValidateAsync(Request request, CancellationToken ct)
    {
        var errors = text.Errors().Required("code", request.Code, 40).Required("titleEn", request.TitleEn, 200).Required("titleZh", request.TitleZh, 200)
            .Optional("description", request.Description, 8000).Optional("provider", request.Provider, 200).Optional("certificateName", request.CertificateName, 200);
        if (!string.IsNullOrWhiteSpace(request.Code) && !CodeFormat().IsMatch(request.Code.Trim()))
        {
            errors.AddMessage("code", text["Validation.Code"]);
        }
        errors.When(!CompetenceNames.CourseKinds.Contains(request.Kind ?? "", StringComparer.Ordinal), "kind", "Validation.OneOf", string.Join(", ", CompetenceNames.CourseKinds));
        if (request.Hours is not (> 0 and <= 1000))
        {
            errors.AddMessage("hours", text["Validation.Hours"]);
        }
        foreach (var topic in request.Awareness ?? [])
        {
            errors.When(!CompetenceNames.AwarenessTopics.Contains(topic, StringComparer.Ordinal), "awareness", "Validation.OneOf", string.Join(", ", CompetenceNames.AwarenessTopics));
        }
        if (request.HasExam == true && request.PassMark is not (>= 1 and <= 100))
        {
            errors.AddMessage("passMark", text["Validation.PassMark"]);
        }
        if (request.HasExam != true && request.PassMark is not null)
        {
            errors.AddMessage("passMark", text["Validation.PassMarkWithoutExam"]);
        }
        if (!string.IsNullOrWhiteSpace(request.CertificateName) && request.HasExam != true)
        {
            errors.AddMessage("certificateName", text["Validation.CertificateNeedsExam"]);
        }
        if (request.CertificateMonths is { } months && (months is < 1 or > 240 || string.IsNullOrWhiteSpace(request.CertificateName)))
        {
            errors.AddMessage("certificateMonths", text["Validation.CertificateMonths"]);
        }
        var known = (await catalogue.CompetencesAsync(ct)).Select(c => c.Id).ToHashSet();
        foreach (var c in request.Competences ?? [])
        {
            if (c.CompetenceId is not { } id || !known.Contains(id))
            {
                errors.Add("competences", "Validation.Unknown", c.CompetenceId?.ToString("D") ?? "");
            }
            else if (!CompetenceNames.IsLevel(c.Level))
            {
                errors.AddMessage("competences", text["Validation.Level"]);
            }
        }
        if ((request.Competences ?? []).GroupBy(c => c.CompetenceId).Any(g => g.Count() > 1))
        {
            errors.AddMessage("competences", text["Validation.RequirementTwice"]);
        }
        return errors;
    }

    private static object Row(Guid id, Request r, DateTimeOffset now, int version = 0) => new
    {
        id, code = r.Code!.Trim(), titleEn = r.TitleEn!.Trim(), titleZh = r.TitleZh!.Trim(), description = CalendarDates.Blank(r.Description), kind = r.Kind,
        provider = CalendarDates.Blank(r.Provider), hours = r.Hours!.Value, awareness = JsonSerializer.Serialize((r.Awareness ?? []).Distinct(StringComparer.Ordinal).ToArray()),
        hasExam = r.HasExam == true, passMark = r.HasExam == true ? r.PassMark : null, certificateName = CalendarDates.Blank(r.CertificateName),
        certificateMonths = CalendarDates.Blank(r.CertificateName) is null ? null : r.CertificateMonths, now, version,
    };

    private static Dictionary<string, object?> Fields(Request r) => new(StringComparer.Ordinal)
    {
        ["code"] = r.Code?.Trim(), ["titleEn"] = r.TitleEn?.Trim(), ["titleZh"] = r.TitleZh?.Trim(), ["description"] = CalendarDates.Blank(r.Description), ["kind"] = r.Kind,
        ["provider"] = CalendarDates.Blank(r.Provider), ["hours"] = r.Hours, ["awareness"] = string.Join(",", r.Awareness ?? []), ["hasExam"] = r.HasExam == true,
        ["passMark"] = r.PassMark, ["certificateName"] = CalendarDates.Blank(r.CertificateName), ["certificateMonths"] = r.CertificateMonths,
        ["competences"] = string.Join(",", (r.Competences ?? []).OrderBy(c => c.CompetenceId).Select(c => $"{c.CompetenceId:D}:{c.Level}")),
    };

    public async Task<Outcome<CourseView>> CreateAsync(Request request, CancellationToken ct = default)
    {
        var errors = await ValidateAsync(request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<CourseView>>(async (connection, tx) =>
        {
            var code = request.Code!.Trim();
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM cpt_courses WHERE code = @code", new { code }, tx, cancellationToken: ct)) > 0)
            {
                return text.Invalid(text.Errors().Add("code", "Validation.Duplicate"));
            }
            var id = Guid.CreateVersion7();
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cpt_courses (id, code, title_en, title_zh, description, kind, provider, hours, awareness, has_exam, pass_mark, certificate_name, certificate_months, created_at, version)
                VALUES (@id, @code, @titleEn, @titleZh, @description, @kind, @provider, @hours, @awareness, @hasExam, @passMark, @certificateName, @certificateMonths, @now, 1)
                """, Row(id, request, clock.GetUtcNow()), tx, cancellationToken: ct));
            await SetCompetencesAsync(connection, tx, id, request.Competences, ct);
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "created", null, AuditTrail.Created(Fields(request))), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }

    private static async Task SetCompetencesAsync(DbConnection connection, DbTransaction tx, Guid id, IReadOnlyList<CompetenceLevel>? competences, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM cpt_course_competences WHERE course_id = @id", new { id }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO cpt_course_competences (course_id, competence_id, level) VALUES (@id, @competenceId, @level)",
            (competences ?? []).Select(c => new { id, competenceId = c.CompetenceId!.Value, level = c.Level!.Value }), tx, cancellationToken: ct));
    }

    public async Task<Outcome<CourseView>> UpdateAsync(Guid id, int expectedVersion, Request request, CancellationToken ct = default)
    {
        var errors = await ValidateAsync(request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<CourseView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, id, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            var code = request.Code!.Trim();
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM cpt_courses WHERE code = @code AND id <> @id", new { code, id }, tx, cancellationToken: ct)) > 0)
            {
                return text.Invalid(text.Errors().Add("code", "Validation.Duplicate"));
            }
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cpt_courses SET code = @code, title_en = @titleEn, title_zh = @titleZh, description = @description, kind = @kind, provider = @provider, hours = @hours,
                    awareness = @awareness, has_exam = @hasExam, pass_mark = @passMark, certificate_name = @certificateName, certificate_months = @certificateMonths,
                    version = version + 1
                WHERE id = @id AND version = @version
                """, Row(id, request, clock.GetUtcNow(), expectedVersion), tx, cancellationToken: ct));
            await SetCompetencesAsync(connection, tx, id, request.Competences, ct);
            var before = new Request(current.Code, current.TitleEn, current.TitleZh, current.Description, current.Kind, current.Provider, current.Hours, current.Awareness,
                current.HasExam, current.PassMark, current.CertificateName, current.CertificateMonths,
                [.. current.Competences.Select(c => new CompetenceLevel(c.CompetenceId, c.Level))]);
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "updated", null, AuditTrail.Diff(Fields(before), Fields(request))), ct);
            return (await GetAsync(connection, tx, id, ct))!;
        }, ct);
    }
}
