using System.Data.Common;
using System.Text.Json;
using Certus.Changes.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Changes.Features;

/// <summary>An answer to a risk question and the score it adds.</summary>
public sealed record RiskAnswer(string Key, string En, string Zh, int Score)
{
    public string Label => Localised.Pick(En, Zh);
}

/// <summary>A question of the risk questionnaire.</summary>
public sealed class RiskQuestion : IVersionedRecord
{
    public Guid Id { get; init; }
    public string Key { get; init; } = "";
    public int Position { get; init; }
    public string TextEn { get; init; } = "";
    public string TextZh { get; init; } = "";
    public string Text => Localised.Pick(TextEn, TextZh);
    public IReadOnlyList<RiskAnswer> Answers { get; set; } = [];
    public bool Active { get; init; }
    public int Version { get; init; }
}

/// <summary>A change advisory board and how its votes decide.</summary>
public sealed class Board : IVersionedRecord
{
    public Guid Id { get; init; }
    public string Key { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string NameZh { get; init; } = "";
    public string Name => Localised.Pick(NameEn, NameZh);
    public string? MemberRole { get; init; }
    public string ApprovalMode { get; init; } = "";
    public int Quorum { get; init; }
    public IReadOnlyList<Guid> MemberIds { get; set; } = [];
    public int Version { get; init; }

    internal ApprovalRule Rule => new(Domain.ApprovalRule.Parse(ApprovalMode) ?? Domain.ApprovalMode.All, Quorum);
}

/// <summary>A pre-authorised template for standard changes.</summary>
public sealed class ChangeTemplate : IVersionedRecord
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public string RiskLevel { get; init; } = "";
    public string ImplementationPlan { get; init; } = "";
    public string BackoutPlan { get; init; } = "";
    public string TestPlan { get; init; } = "";
    public bool Active { get; init; }
    public int Version { get; init; }
}

/// <summary>A freeze or maintenance window on the change schedule.</summary>
public sealed class ScheduleWindow : IVersionedRecord
{
    public Guid Id { get; init; }
    public string Kind { get; init; } = "";
    public string Name { get; init; } = "";
    public DateTimeOffset StartsAt { get; init; }
    public DateTimeOffset EndsAt { get; init; }
    public string? ServiceCode { get; init; }
    public string Note { get; init; } = "";
    public int Version { get; init; }
}

/// <summary>Records that carry a version for If-Match.</summary>
public interface IVersionedRecord : Certus.Kernel.Http.IVersioned;

/// <summary>
/// Change management's configuration: the boards (CAB and emergency CAB) with their members and approval rule, the
/// risk questionnaire and its scale, templates for standard changes, and freeze and maintenance windows.
/// </summary>
public sealed class ChangeSettings(Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "change-settings";
    public const string CabKey = "cab";
    public const string EmergencyCabKey = "ecab";

    public sealed record BoardRequest(string? ApprovalMode, int? Quorum, string? MemberRole, IReadOnlyList<Guid>? MemberIds);

    public sealed record QuestionRequest(string? Key, int? Position, string? TextEn, string? TextZh, IReadOnlyList<RiskAnswer>? Answers, bool? Active);

    public sealed record TemplateRequest(
        string? Name, string? Description, string? RiskLevel, string? ImplementationPlan, string? BackoutPlan, string? TestPlan, bool? Active);

    public sealed record WindowRequest(string? Kind, string? Name, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? ServiceCode, string? Note);

    // ---- reads ----

    public async Task<IReadOnlyList<Board>> BoardsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await BoardsAsync(connection, null, ct);
    }

    internal static async Task<IReadOnlyList<Board>> BoardsAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        var boards = (await connection.QueryAsync<Board>(new CommandDefinition(
            "SELECT id, key, name_en, name_zh, member_role, approval_mode, quorum, version FROM chg_boards ORDER BY key", transaction: tx, cancellationToken: ct))).ToList();
        var members = (await connection.QueryAsync<(Guid BoardId, Guid UserId)>(new CommandDefinition(
            "SELECT board_id, user_id FROM chg_board_members", transaction: tx, cancellationToken: ct))).ToList();
        foreach (var board in boards)
        {
            board.MemberIds = members.Where(m => m.BoardId == board.Id).Select(m => m.UserId).ToList();
        }
        return boards;
    }

    public async Task<IReadOnlyList<RiskQuestion>> QuestionsAsync(bool activeOnly = false, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await QuestionsAsync(connection, null, activeOnly, ct);
    }

    internal static async Task<IReadOnlyList<RiskQuestion>> QuestionsAsync(DbConnection connection, DbTransaction? tx, bool activeOnly, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<QuestionRow>(new CommandDefinition(
            $"SELECT id, key, position, text_en, text_zh, answers, active, version FROM chg_risk_questions {(activeOnly ? "WHERE active = @yes" : "")} ORDER BY position, key",
            new { yes = true }, tx, cancellationToken: ct));
        return rows.Select(r => new RiskQuestion
        {
            Id = r.Id, Key = r.Key, Position = r.Position, TextEn = r.TextEn, TextZh = r.TextZh, Active = r.Active, Version = r.Version,
            Answers = JsonSerializer.Deserialize<List<RiskAnswer>>(r.Answers, ChangeView.Json) ?? [],
        }).ToList();
    }

    public async Task<RiskScale> ScaleAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ScaleAsync(connection, null, ct);
    }

    internal static async Task<RiskScale> ScaleAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT value FROM chg_settings WHERE key = 'risk-scale'", transaction: tx, cancellationToken: ct));
        return json is null ? RiskScale.Default : JsonSerializer.Deserialize<RiskScale>(json, ChangeView.Json) ?? RiskScale.Default;
    }

    public async Task<IReadOnlyList<ChangeTemplate>> TemplatesAsync(bool activeOnly = false, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<ChangeTemplate>(new CommandDefinition(
            $"SELECT id, name, description, risk_level, implementation_plan, backout_plan, test_plan, active, version FROM chg_templates {(activeOnly ? "WHERE active = @yes" : "")} ORDER BY name",
            new { yes = true }, cancellationToken: ct))).ToList();
    }

    internal static Task<ChangeTemplate?> TemplateAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ChangeTemplate>(new CommandDefinition(
            "SELECT id, name, description, risk_level, implementation_plan, backout_plan, test_plan, active, version FROM chg_templates WHERE id = @id",
            new { id }, tx, cancellationToken: ct));

    public async Task<IReadOnlyList<ScheduleWindow>> WindowsAsync(DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await WindowsAsync(connection, null, from ?? DateTimeOffset.MinValue, to ?? DateTimeOffset.MaxValue, ct);
    }

    internal static async Task<IReadOnlyList<ScheduleWindow>> WindowsAsync(DbConnection connection, DbTransaction? tx, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        (await connection.QueryAsync<ScheduleWindow>(new CommandDefinition(
            """
            SELECT id, kind, name, starts_at, ends_at, service_code, note, version FROM chg_windows
            WHERE starts_at < @to AND ends_at > @from ORDER BY starts_at
            """, new { from = Clamp(from), to = Clamp(to) }, tx, cancellationToken: ct))).ToList();

    private static DateTimeOffset Clamp(DateTimeOffset value) => ClampLocal(value).ToUniversalTime();

    private static DateTimeOffset ClampLocal(DateTimeOffset value) =>
        value < new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero) ? new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero)
        : value > new DateTimeOffset(9000, 1, 1, 0, 0, 0, TimeSpan.Zero) ? new DateTimeOffset(9000, 1, 1, 0, 0, 0, TimeSpan.Zero) : value;

    /// <summary>The users who vote on a board now: its named members and the active staff holding its role.</summary>
    internal async Task<IReadOnlyList<UserSummary>> MembersAsync(Board board, CancellationToken ct)
    {
        var named = await directory.FindUsersAsync(board.MemberIds, ct);
        var byRole = board.MemberRole is { } role ? await directory.StaffAsync([role], ct) : [];
        return named.Values.Concat(byRole).Where(u => u.IsActive).DistinctBy(u => u.Id).OrderBy(u => u.DisplayName, StringComparer.Ordinal).ToList();
    }

    // ---- writes ----

    public async Task<Outcome<Board>> UpdateBoardAsync(Guid id, int? expectedVersion, BoardRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors();
        var mode = Domain.ApprovalRule.Parse(request.ApprovalMode);
        if (mode is null)
        {
            errors.Add("approvalMode", "Validation.OneOf", "all, any, quorum");
        }
        if (mode == ApprovalMode.Quorum && request.Quorum is not (>= 1 and <= 50))
        {
            errors.AddMessage("quorum", text["Board.QuorumRange"]);
        }
        if (request.MemberRole is { Length: > 0 } role && !Roles.IsKnown(role))
        {
            errors.Add("memberRole", "Validation.OneOf", string.Join(", ", Roles.Staff));
        }
        var members = (request.MemberIds ?? []).Distinct().ToList();
        var users = await directory.FindUsersAsync(members, ct);
        // Only the provider's active staff sit on a board: anyone else could never cast the vote an "all" rule waits for.
        foreach (var missing in members.Where(m => !users.TryGetValue(m, out var u) || !u.IsActive || u.OrganisationId != caller.OrganisationId))
        {
            errors.Add("memberIds", "Validation.Unknown", missing);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<Board>>(async (connection, tx) =>
        {
            var boards = await BoardsAsync(connection, tx, ct);
            if (boards.FirstOrDefault(b => b.Id == id) is not { } current)
            {
                return text.NotFound();
            }
            if (expectedVersion is { } v && v != current.Version)
            {
                return text.Stale();
            }
            var after = new Board
            {
                Id = id, Key = current.Key, NameEn = current.NameEn, NameZh = current.NameZh, MemberRole = string.IsNullOrWhiteSpace(request.MemberRole) ? null : request.MemberRole.Trim(),
                ApprovalMode = Domain.ApprovalRule.Key(mode!.Value), Quorum = mode == ApprovalMode.Quorum ? request.Quorum!.Value : 0, MemberIds = members, Version = current.Version + 1,
            };
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE chg_boards SET member_role = @MemberRole, approval_mode = @ApprovalMode, quorum = @Quorum, updated_at = @now, version = version + 1 WHERE id = @Id",
                new { after.MemberRole, after.ApprovalMode, after.Quorum, now = clock.GetUtcNow(), after.Id }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM chg_board_members WHERE board_id = @id", new { id }, tx, cancellationToken: ct));
            foreach (var member in members)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO chg_board_members (board_id, user_id) VALUES (@id, @member)", new { id, member }, tx, cancellationToken: ct));
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, "board:" + current.Key, "board-updated", null,
                AuditTrail.Diff(BoardFields(current), BoardFields(after)), null), ct);
            return after;
        }, ct);
    }

    private static Dictionary<string, object?> BoardFields(Board b) => new(StringComparer.Ordinal)
    {
        ["approvalMode"] = b.ApprovalMode,
        ["quorum"] = b.Quorum,
        ["memberRole"] = b.MemberRole,
        ["members"] = string.Join(",", b.MemberIds.Order()),
    };

    public async Task<Outcome<RiskQuestion>> SaveQuestionAsync(Guid? id, int? expectedVersion, QuestionRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors()
            .Required("key", request.Key, 60).Required("textEn", request.TextEn, 500).Required("textZh", request.TextZh, 500);
        var answers = request.Answers ?? [];
        if (answers.Count < 2)
        {
            errors.AddMessage("answers", text["Risk.TwoAnswers"]);
        }
        if (answers.Any(a => string.IsNullOrWhiteSpace(a.Key) || string.IsNullOrWhiteSpace(a.En) || string.IsNullOrWhiteSpace(a.Zh) || a.Score is < 0 or > 100))
        {
            errors.AddMessage("answers", text["Risk.AnswerShape"]);
        }
        if (answers.Select(a => a.Key).Distinct(StringComparer.Ordinal).Count() != answers.Count)
        {
            errors.AddMessage("answers", text["Risk.AnswerKeysUnique"]);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var now = clock.GetUtcNow();
        return await database.WriteAsync<Outcome<RiskQuestion>>(async (connection, tx) =>
        {
            var all = await QuestionsAsync(connection, tx, false, ct);
            var current = id is { } qid ? all.FirstOrDefault(q => q.Id == qid) : null;
            if (id is not null && current is null)
            {
                return text.NotFound();
            }
            if (current is not null && expectedVersion is { } v && v != current.Version)
            {
                return text.Stale();
            }
            var key = request.Key!.Trim();
            if (all.Any(q => q.Key == key && q.Id != current?.Id))
            {
                return text.Invalid(text.Errors().Add("key", "Validation.Duplicate", key));
            }
            var saved = new RiskQuestion
            {
                Id = current?.Id ?? Guid.CreateVersion7(), Key = key, Position = request.Position ?? current?.Position ?? (all.Count + 1) * 10,
                TextEn = request.TextEn!.Trim(), TextZh = request.TextZh!.Trim(), Answers = answers.Select(a => a with { Key = a.Key.Trim(), En = a.En.Trim(), Zh = a.Zh.Trim() }).ToList(),
                Active = request.Active ?? current?.Active ?? true, Version = (current?.Version ?? 0) + 1,
            };
            var args = new
            {
                saved.Id, saved.Key, saved.Position, saved.TextEn, saved.TextZh, answers = JsonSerializer.Serialize(saved.Answers, ChangeView.Json), saved.Active, now,
            };
            await connection.ExecuteAsync(new CommandDefinition(current is null
                ? "INSERT INTO chg_risk_questions (id, key, position, text_en, text_zh, answers, active, updated_at, version) VALUES (@Id, @Key, @Position, @TextEn, @TextZh, @answers, @Active, @now, 1)"
                : "UPDATE chg_risk_questions SET key = @Key, position = @Position, text_en = @TextEn, text_zh = @TextZh, answers = @answers, active = @Active, updated_at = @now, version = version + 1 WHERE id = @Id",
                args, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, "risk-question:" + saved.Key, current is null ? "risk-question-created" : "risk-question-updated", null,
                AuditTrail.Diff(current is null ? new Dictionary<string, object?>(StringComparer.Ordinal) : QuestionFields(current), QuestionFields(saved)), null), ct);
            return saved;
        }, ct);
    }

    private static Dictionary<string, object?> QuestionFields(RiskQuestion q) => new(StringComparer.Ordinal)
    {
        ["key"] = q.Key,
        ["position"] = q.Position,
        ["textEn"] = q.TextEn,
        ["textZh"] = q.TextZh,
        ["answers"] = string.Join("; ", q.Answers.Select(a => $"{a.Key}={a.Score}")),
        ["active"] = q.Active,
    };

    public async Task<Outcome<RiskScale>> SaveScaleAsync(RiskScale scale, CancellationToken ct = default)
    {
        if (!scale.IsValid)
        {
            return text.Invalid(text.Errors().AddMessage("mediumFrom", text["Risk.ScaleOrder"]));
        }
        return await database.WriteAsync<Outcome<RiskScale>>(async (connection, tx) =>
        {
            var before = await ScaleAsync(connection, tx, ct);
            var json = JsonSerializer.Serialize(scale, ChangeView.Json);
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE chg_settings SET value = @json, updated_at = @now WHERE key = 'risk-scale'", new { json, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            if (updated == 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO chg_settings (key, value, updated_at) VALUES ('risk-scale', @json, @now)", new { json, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, "risk-scale", "risk-scale-updated", null,
                AuditTrail.Diff(ScaleFields(before), ScaleFields(scale)), null), ct);
            return scale;
        }, ct);
    }

    private static Dictionary<string, object?> ScaleFields(RiskScale s) => new(StringComparer.Ordinal)
    {
        ["mediumFrom"] = s.MediumFrom,
        ["highFrom"] = s.HighFrom,
        ["veryHighFrom"] = s.VeryHighFrom,
    };

    public async Task<Outcome<ChangeTemplate>> SaveTemplateAsync(Guid? id, int? expectedVersion, TemplateRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors()
            .Required("name", request.Name, 200).Optional("description", request.Description, 4000)
            .Required("implementationPlan", request.ImplementationPlan, 20_000).Required("backoutPlan", request.BackoutPlan, 20_000)
            .Optional("testPlan", request.TestPlan, 20_000);
        var risk = RiskScale.Parse(request.RiskLevel);
        // A standard change is low risk by definition (ISO/IEC 20000-1:2018 8.5.1.2): a template may not carry more.
        if (risk is not (RiskLevel.Low or RiskLevel.Medium))
        {
            errors.AddMessage("riskLevel", text["Template.RiskTooHigh"]);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var now = clock.GetUtcNow();
        return await database.WriteAsync<Outcome<ChangeTemplate>>(async (connection, tx) =>
        {
            var current = id is { } tid ? await TemplateAsync(connection, tx, tid, ct) : null;
            if (id is not null && current is null)
            {
                return text.NotFound();
            }
            if (current is not null && expectedVersion is { } v && v != current.Version)
            {
                return text.Stale();
            }
            var name = request.Name!.Trim();
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM chg_templates WHERE name = @name AND id <> @id", new { name, id = current?.Id ?? Guid.Empty }, tx, cancellationToken: ct)) > 0)
            {
                return text.Invalid(text.Errors().Add("name", "Validation.Duplicate", name));
            }
            var saved = new ChangeTemplate
            {
                Id = current?.Id ?? Guid.CreateVersion7(), Name = name, Description = request.Description?.Trim() ?? "", RiskLevel = RiskScale.Key(risk!.Value),
                ImplementationPlan = request.ImplementationPlan!.Trim(), BackoutPlan = request.BackoutPlan!.Trim(), TestPlan = request.TestPlan?.Trim() ?? "",
                Active = request.Active ?? current?.Active ?? true, Version = (current?.Version ?? 0) + 1,
            };
            await connection.ExecuteAsync(new CommandDefinition(current is null
                ? """
                  INSERT INTO chg_templates (id, name, description, risk_level, implementation_plan, backout_plan, test_plan, active, created_at, updated_at, version)
                  VALUES (@Id, @Name, @Description, @RiskLevel, @ImplementationPlan, @BackoutPlan, @TestPlan, @Active, @now, @now, 1)
                  """
                : """
                  UPDATE chg_templates SET name = @Name, description = @Description, risk_level = @RiskLevel, implementation_plan = @ImplementationPlan,
                      backout_plan = @BackoutPlan, test_plan = @TestPlan, active = @Active, updated_at = @now, version = version + 1 WHERE id = @Id
                  """,
                new { saved.Id, saved.Name, saved.Description, saved.RiskLevel, saved.ImplementationPlan, saved.BackoutPlan, saved.TestPlan, saved.Active, now }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, "template:" + saved.Id.ToString("D"), current is null ? "template-created" : "template-updated", null,
                AuditTrail.Diff(current is null ? new Dictionary<string, object?>(StringComparer.Ordinal) : TemplateFields(current), TemplateFields(saved)), null), ct);
            return saved;
        }, ct);
    }

    private static Dictionary<string, object?> TemplateFields(ChangeTemplate t) => new(StringComparer.Ordinal)
    {
        ["name"] = t.Name,
        ["description"] = t.Description,
        ["riskLevel"] = t.RiskLevel,
        ["implementationPlan"] = t.ImplementationPlan,
        ["backoutPlan"] = t.BackoutPlan,
        ["testPlan"] = t.TestPlan,
        ["active"] = t.Active,
    };

    public async Task<Outcome<ScheduleWindow>> SaveWindowAsync(Guid? id, int? expectedVersion, WindowRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("name", request.Name, 200).Optional("note", request.Note, 2000).Optional("serviceCode", request.ServiceCode, 60);
        if (request.Kind is not (ScheduleConflicts.FreezeKind or ScheduleConflicts.MaintenanceKind))
        {
            errors.Add("kind", "Validation.OneOf", "freeze, maintenance");
        }
        if (request.StartsAt is null)
        {
            errors.Add("startsAt", "Validation.Required");
        }
        if (request.EndsAt is null)
        {
            errors.Add("endsAt", "Validation.Required");
        }
        else if (request.StartsAt is { } s && request.EndsAt <= s)
        {
            errors.AddMessage("endsAt", text["Schedule.EndAfterStart"]);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var now = clock.GetUtcNow();
        return await database.WriteAsync<Outcome<ScheduleWindow>>(async (connection, tx) =>
        {
            var current = id is { } wid ? await connection.QuerySingleOrDefaultAsync<ScheduleWindow>(new CommandDefinition(
                "SELECT id, kind, name, starts_at, ends_at, service_code, note, version FROM chg_windows WHERE id = @wid", new { wid }, tx, cancellationToken: ct)) : null;
            if (id is not null && current is null)
            {
                return text.NotFound();
            }
            if (current is not null && expectedVersion is { } v && v != current.Version)
            {
                return text.Stale();
            }
            var saved = new ScheduleWindow
            {
                Id = current?.Id ?? Guid.CreateVersion7(), Kind = request.Kind!, Name = request.Name!.Trim(), StartsAt = request.StartsAt!.Value.ToUniversalTime(), EndsAt = request.EndsAt!.Value.ToUniversalTime(),
                ServiceCode = string.IsNullOrWhiteSpace(request.ServiceCode) ? null : request.ServiceCode.Trim(), Note = request.Note?.Trim() ?? "", Version = (current?.Version ?? 0) + 1,
            };
            await connection.ExecuteAsync(new CommandDefinition(current is null
                ? "INSERT INTO chg_windows (id, kind, name, starts_at, ends_at, service_code, note, created_at, updated_at, version) VALUES (@Id, @Kind, @Name, @StartsAt, @EndsAt, @ServiceCode, @Note, @now, @now, 1)"
                : "UPDATE chg_windows SET kind = @Kind, name = @Name, starts_at = @StartsAt, ends_at = @EndsAt, service_code = @ServiceCode, note = @Note, updated_at = @now, version = version + 1 WHERE id = @Id",
                new { saved.Id, saved.Kind, saved.Name, saved.StartsAt, saved.EndsAt, saved.ServiceCode, saved.Note, now }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, "window:" + saved.Id.ToString("D"), current is null ? "window-created" : "window-updated", null,
                AuditTrail.Diff(current is null ? new Dictionary<string, object?>(StringComparer.Ordinal) : WindowFields(current), WindowFields(saved)), null), ct);
            return saved;
        }, ct);
    }

    public async Task<Outcome<bool>> DeleteWindowAsync(Guid id, string? reason, CancellationToken ct = default)
    {
        var errors = text.Errors().Required("reason", reason, 2000);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<bool>>(async (connection, tx) =>
        {
            var current = await connection.QuerySingleOrDefaultAsync<ScheduleWindow>(new CommandDefinition(
                "SELECT id, kind, name, starts_at, ends_at, service_code, note, version FROM chg_windows WHERE id = @id", new { id }, tx, cancellationToken: ct));
            if (current is null)
            {
                return text.NotFound();
            }
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM chg_windows WHERE id = @id", new { id }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, "window:" + id.ToString("D"), "window-deleted", null,
                AuditTrail.Diff(WindowFields(current), new Dictionary<string, object?>(StringComparer.Ordinal)), reason!.Trim()), ct);
            return true;
        }, ct);
    }

    private static Dictionary<string, object?> WindowFields(ScheduleWindow w) => new(StringComparer.Ordinal)
    {
        ["kind"] = w.Kind,
        ["name"] = w.Name,
        ["startsAt"] = w.StartsAt,
        ["endsAt"] = w.EndsAt,
        ["serviceCode"] = w.ServiceCode,
        ["note"] = w.Note,
    };

    internal bool CanConfigure => caller.HasPermission(Contracts.ChangePermissions.Configure);

    private sealed class QuestionRow
    {
        public Guid Id { get; init; }
        public string Key { get; init; } = "";
        public int Position { get; init; }
        public string TextEn { get; init; } = "";
        public string TextZh { get; init; } = "";
        public string Answers { get; init; } = "[]";
        public bool Active { get; init; }
        public int Version { get; init; }
    }
}
