using System.Data.Common;
using System.Globalization;
using Certus.Compliance.Contracts;
using Certus.Compliance.Domain;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Certus.Kernel.Text;
using Dapper;

namespace Certus.Compliance.Features;

/// <summary>A reading of a manual measure: the value, the day it describes, and who entered it.</summary>
public sealed class ReadingView
{
    public Guid Id { get; init; }
    public decimal Value { get; init; }
    public string TakenOn { get; init; } = "";
    public string Note { get; init; } = "";
    public DateTimeOffset RecordedAt { get; init; }
    public string RecordedByName { get; init; } = "";

    // NUMERIC comes back from SQLite as INTEGER or REAL row by row; "* 1.0" makes it one type for Dapper on both databases.
    internal const string Columns = "id, value * 1.0 AS value, taken_on, note, recorded_at, recorded_by_name";
}

/// <summary>A service management objective with its measure, target, period, plan and (when loaded so) its current value and trend.</summary>
public sealed class ObjectiveView : IVersioned
{
    public Guid Id { get; init; }
    public int Number { get; init; }
    public string Reference => $"OBJ-{Number.ToString("D3", CultureInfo.InvariantCulture)}";
    public string TitleEn { get; init; } = "";
    public string TitleZh { get; init; } = "";
    public string Title { get; set; } = "";
    public string Description { get; init; } = "";
    public Guid? OwnerId { get; init; }
    public string? OwnerName { get; set; }
    public string Process { get; init; } = "";

    /// <summary>A live measure's key, or <c>manual</c>.</summary>
    public string? MeasureKey { get; init; }
    public string? ManualMeasure { get; init; }
    public string? ManualUnit { get; init; }

    /// <summary>What is measured, in the caller's language (the live measure's title or the manual measure's name).</summary>
    public string MeasureTitle { get; set; } = "";
    public string? Unit { get; set; }
    public decimal Target { get; init; }
    public string Direction { get; init; } = "";
    public string Period { get; init; } = "";
    public string PlanActions { get; init; } = "";
    public string PlanResources { get; init; } = "";
    public Guid? PlanResponsibleId { get; init; }
    public string? PlanResponsibleName { get; set; }
    public string? PlanDueOn { get; init; }
    public string PlanEvaluation { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset? RetiredAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }

    public bool IsManual => MeasureKey is null or ObjectiveRules.Manual;

    /// <summary>The value this period, when loaded with it.</summary>
    public ObjectiveResult? Current { get; set; }

    /// <summary>The last periods, oldest first, when loaded with them.</summary>
    public IReadOnlyList<ObjectiveResult>? Trend { get; set; }

    /// <summary>Readings of a manual measure, newest first, when loaded with them.</summary>
    public IReadOnlyList<ReadingView>? Readings { get; set; }

    /// <summary>What the plan to achieve it (6.2.2) still lacks: actions, responsible, due date, evaluation.</summary>
    public IReadOnlyList<string> PlanGaps =>
    [
        .. string.IsNullOrWhiteSpace(PlanActions) ? ["planActions"] : Array.Empty<string>(),
        .. PlanResponsibleId is null && OwnerId is null ? ["planResponsibleId"] : Array.Empty<string>(),
        .. PlanDueOn is null ? ["planDueOn"] : Array.Empty<string>(),
        .. string.IsNullOrWhiteSpace(PlanEvaluation) ? ["planEvaluation"] : Array.Empty<string>(),
    ];

    internal const string Columns =
        "id, number, title_en, title_zh, description, owner_id, process, measure_key, manual_measure, manual_unit, target * 1.0 AS target, direction, period, " +
        "plan_actions, plan_resources, plan_responsible_id, plan_due_on, plan_evaluation, status, retired_at, created_at, updated_at, version";
}

/// <summary>
/// Service management objectives (ISO/IEC 20000-1:2018 6.2; 2005 4.1; manual §2.1.6-2.1.7): each with an owner, the
/// process it belongs to, a measure (live from another module's data, or readings the owner enters), a target, a
/// direction and a calendar period, and the plan to achieve it (6.2.2: what, resources, who, by when, how judged).
/// Every change is audited; retiring one takes a reason.
/// </summary>
public sealed class Objectives(
    Database database, AuditTrail audit, ICurrentUser caller, IDirectory directory, ObjectiveValues values, Texts<PlanningStrings> text, TimeProvider clock)
{
    public const string RecordType = "objective";

    public sealed record Request(
        string? TitleEn, string? TitleZh, string? Description, Guid? OwnerId, string? Process, string? MeasureKey, string? ManualMeasure, string? ManualUnit,
        decimal? Target, string? Direction, string? Period, string? PlanActions, string? PlanResources, Guid? PlanResponsibleId, string? PlanDueOn,
        string? PlanEvaluation);

    public sealed record ReadingRequest(decimal? Value, string? TakenOn, string? Note);

    public sealed record MoveRequest(string? Move, string? Reason);

    public bool CanManage => caller.HasPermission(CompliancePermissions.Manage);

    /// <summary>Objectives by number (<c>active</c>, <c>retired</c> or all), each with its value this period.</summary>
    public async Task<IReadOnlyList<ObjectiveView>> ListAsync(string? status, bool withValues, CancellationToken ct = default)
    {
        List<ObjectiveView> list;
        await using (var connection = await database.OpenAsync(ct))
        {
            var where = status is "active" or "retired" ? "WHERE status = @status" : "";
            list = (await connection.QueryAsync<ObjectiveView>(new CommandDefinition(
                $"SELECT {ObjectiveView.Columns} FROM cmp_objectives {where} ORDER BY number", new { status }, cancellationToken: ct))).ToList();
        }
        await DescribeAsync(list, ct);
        if (withValues)
        {
            foreach (var o in list)
            {
                o.Current = await values.MeasureAsync(o, values.Current(o), ct);
                if (o.Status == "active")
                {
                    await values.KeepAsync(o, [o.Current], ct);
                }
            }
        }
        return list;
    }

    /// <summary>One objective with its current value, trend and readings; the trend's snapshots are kept as a side effect.</summary>
    public async Task<ObjectiveView?> GetAsync(Guid id, bool withValues = true, CancellationToken ct = default)
    {
        ObjectiveView? o;
        await using (var connection = await database.OpenAsync(ct))
        {
            o = await LoadAsync(connection, null, id, ct);
            if (o is null)
            {
                return null;
            }
            o.Readings = (await connection.QueryAsync<ReadingView>(new CommandDefinition(
                $"SELECT {ReadingView.Columns} FROM cmp_objective_readings WHERE objective_id = @id ORDER BY taken_on DESC, recorded_at DESC",
                new { id }, cancellationToken: ct))).ToList();
        }
        await DescribeAsync([o], ct);
        if (withValues)
        {
            o.Trend = await values.TrendAsync(o, ct);
            o.Current = o.Trend[^1];
        }
        return o;
    }

    public async Task<Outcome<ObjectiveView>> CreateAsync(Request request, CancellationToken ct = default)
    {
        if (!CanManage)
        {
            return new Failure(FailureKind.Forbidden, text["Objective.ManagerOnly"]);
        }
        var errors = await ValidateAsync(request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var row = Normalise(request);
        var created = await database.WriteAsync(async (connection, tx) =>
        {
            var number = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                "UPDATE cmp_counters SET value = value + 1 WHERE name = 'objective' RETURNING value", transaction: tx, cancellationToken: ct));
            var id = Guid.NewGuid();
            var now = clock.GetUtcNow();
            var parameters = Parameters(row);
            parameters.Add("id", id);
            parameters.Add("number", number);
            parameters.Add("now", now);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cmp_objectives (id, number, title_en, title_zh, description, owner_id, process, measure_key, manual_measure, manual_unit, target,
                    direction, period, plan_actions, plan_resources, plan_responsible_id, plan_due_on, plan_evaluation, status, created_at, updated_at, version)
                VALUES (@id, @number, @titleEn, @titleZh, @description, @ownerId, @process, @measureKey, @manualMeasure, @manualUnit, @target,
                    @direction, @period, @planActions, @planResources, @planResponsibleId, @planDueOn, @planEvaluation, 'active', @now, @now, 1)
                """, parameters, tx, cancellationToken: ct));
            var fields = Fields(row);
            fields["number"] = number;
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "created", null, AuditTrail.Created(fields)), ct);
            return id;
        }, ct);
        return (await GetAsync(created, withValues: false, ct))!;
    }

    /// <summary>Changes what the objective says; the target and period apply from now on (kept snapshots keep theirs).</summary>
    public async Task<Outcome<ObjectiveView>> UpdateAsync(Guid id, int version, Request request, CancellationToken ct = default)
    {
        if (!CanManage)
        {
            return new Failure(FailureKind.Forbidden, text["Objective.ManagerOnly"]);
        }
        var errors = await ValidateAsync(request, ct);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var row = Normalise(request);
        var outcome = await database.WriteAsync<Failure?>(async (connection, tx) =>
        {
            var current = await LoadAsync(connection, tx, id, ct);
            if (current is null)
            {
                return text.NotFound();
            }
            if (current.Version != version)
            {
                return text.Stale();
            }
            var parameters = Parameters(row);
            parameters.Add("id", id);
            parameters.Add("version", version);
            parameters.Add("now", clock.GetUtcNow());
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cmp_objectives SET title_en = @titleEn, title_zh = @titleZh, description = @description, owner_id = @ownerId, process = @process,
                    measure_key = @measureKey, manual_measure = @manualMeasure, manual_unit = @manualUnit, target = @target, direction = @direction,
                    period = @period, plan_actions = @planActions, plan_resources = @planResources, plan_responsible_id = @planResponsibleId,
                    plan_due_on = @planDueOn, plan_evaluation = @planEvaluation, updated_at = @now, version = version + 1
                WHERE id = @id AND version = @version
                """, parameters, tx, cancellationToken: ct));
            if (changed == 0)
            {
                return text.Stale();
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "updated", null, AuditTrail.Diff(Fields(current), Fields(row))), ct);
            return null;
        }, ct);
        return outcome ?? (Outcome<ObjectiveView>)(await GetAsync(id, withValues: false, ct))!;
    }

    /// <summary>Retires an active objective (with a reason) or brings a retired one back.</summary>
    public async Task<Outcome<ObjectiveView>> MoveAsync(Guid id, int version, MoveRequest request, CancellationToken ct = default)
    {
        if (!CanManage)
        {
            return new Failure(FailureKind.Forbidden, text["Objective.ManagerOnly"]);
        }
        var errors = text.Errors().Optional("reason", request.Reason, 2000);
        if (request.Move is not ("retire" or "reactivate"))
        {
            errors.Add("move", "Validation.OneOf", "retire, reactivate");
        }
        else if (request.Move == "retire" && string.IsNullOrWhiteSpace(request.Reason))
        {
            errors.Add("reason", "Validation.Required");
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var (from, to) = request.Move == "retire" ? ("active", "retired") : ("retired", "active");
        var outcome = await database.WriteAsync<Failure?>(async (connection, tx) =>
        {
            var current = await LoadAsync(connection, tx, id, ct);
            if (current is null)
            {
                return text.NotFound();
            }
            if (current.Status != from)
            {
                return new Failure(FailureKind.Conflict, text["Objective.NotAllowed", text[$"Objective.Status.{current.Status}"],
                    current.Status == "active" ? "retire" : "reactivate"]);
            }
            if (current.Version != version)
            {
                return text.Stale();
            }
            var now = clock.GetUtcNow();
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cmp_objectives SET status = @to, retired_at = CASE WHEN @to = 'retired' THEN @now ELSE NULL END, updated_at = @now, version = version + 1
                WHERE id = @id AND version = @version
                """, new { id, version, to, now }, tx, cancellationToken: ct));
            if (changed == 0)
            {
                return text.Stale();
            }
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), request.Move!, null, [new AuditChange("status", from, to)], request.Reason), ct);
            return null;
        }, ct);
        return outcome ?? (Outcome<ObjectiveView>)(await GetAsync(id, withValues: false, ct))!;
    }

    /// <summary>
    /// The owner (or a manager) records a reading of a manual measure. The snapshot of the period it falls in is dropped so
    /// that the trend takes it in, even for a period already kept.
    /// </summary>
    public async Task<Outcome<ObjectiveView>> RecordReadingAsync(Guid id, ReadingRequest request, CancellationToken ct = default)
    {
        var errors = text.Errors().Optional("note", request.Note, 1000);
        if (request.Value is null)
        {
            errors.Add("value", "Validation.Required");
        }
        else if (request.Value is < -1_000_000_000m or > 1_000_000_000m)
        {
            errors.Add("value", "Validation.Invalid");
        }
        if (!CalendarDates.TryParse(request.TakenOn, out var takenOn) || takenOn is null)
        {
            errors.AddMessage("takenOn", text["Validation.Date"]);
        }
        else if (DateOnly.ParseExact(takenOn, "yyyy-MM-dd", CultureInfo.InvariantCulture) > values.Today)
        {
            errors.AddMessage("takenOn", text["Objective.ReadingInFuture"]);
        }
        var outcome = await database.WriteAsync<Failure?>(async (connection, tx) =>
        {
            var o = await LoadAsync(connection, tx, id, ct);
            if (o is null)
            {
                return text.NotFound();
            }
            if (!CanManage && o.OwnerId != caller.ActorId)
            {
                return new Failure(FailureKind.Forbidden, text["Objective.OwnerOnly"]);
            }
            if (!o.IsManual)
            {
                return new Failure(FailureKind.Conflict, text["Objective.LiveMeasure"]);
            }
            if (o.Status != "active")
            {
                return new Failure(FailureKind.Conflict, text["Objective.Retired"]);
            }
            if (!errors.IsEmpty)
            {
                return text.Invalid(errors);
            }
            var note = request.Note?.Trim() ?? "";
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cmp_objective_readings (id, objective_id, value, taken_on, note, recorded_at, recorded_by, recorded_by_name)
                VALUES (@readingId, @id, @value, @takenOn, @note, @now, @actor, @actorName)
                """,
                new { readingId = Guid.NewGuid(), id, value = request.Value!.Value, takenOn, note, now = clock.GetUtcNow(), actor = caller.ActorId, actorName = caller.ActorName },
                tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM cmp_objective_snapshots WHERE objective_id = @id AND period_start <= @takenOn AND period_end > @takenOn",
                new { id, takenOn }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "reading-recorded", null,
                [new AuditChange("reading", null, $"{takenOn}: {request.Value.Value.ToString(CultureInfo.InvariantCulture)}{o.ManualUnit}")], note), ct);
            return null;
        }, ct);
        return outcome ?? (Outcome<ObjectiveView>)(await GetAsync(id, withValues: false, ct))!;
    }

    private async Task<FieldErrors> ValidateAsync(Request r, CancellationToken ct)
    {
        var errors = text.Errors().Optional("titleEn", r.TitleEn, 200).Optional("titleZh", r.TitleZh, 200).Optional("description", r.Description, 4000)
            .Optional("manualUnit", r.ManualUnit, 20).Optional("planActions", r.PlanActions, 4000).Optional("planResources", r.PlanResources, 2000)
            .Optional("planEvaluation", r.PlanEvaluation, 2000);
        if (string.IsNullOrWhiteSpace(r.TitleEn) && string.IsNullOrWhiteSpace(r.TitleZh))
        {
            errors.AddMessage("titleZh", text["Objective.TitleRequired"]);
            errors.AddMessage("titleEn", text["Objective.TitleRequired"]);
        }
        var staff = await directory.StaffAsync(Roles.Staff, ct);
        if (r.OwnerId is not { } owner)
        {
            errors.Add("ownerId", "Validation.Required");
        }
        else if (staff.All(u => u.Id != owner))
        {
            errors.AddMessage("ownerId", text["Objective.NotStaff"]);
        }
        if (r.PlanResponsibleId is { } responsible && staff.All(u => u.Id != responsible))
        {
            errors.AddMessage("planResponsibleId", text["Objective.NotStaff"]);
        }
        if (!ObjectiveRules.Processes.Contains(r.Process ?? "", StringComparer.Ordinal))
        {
            errors.Add("process", "Validation.OneOf", string.Join(", ", ObjectiveRules.Processes));
        }
        if (string.IsNullOrWhiteSpace(r.MeasureKey))
        {
            errors.Add("measureKey", "Validation.Required");
        }
        else if (r.MeasureKey == ObjectiveRules.Manual)
        {
            errors.Required("manualMeasure", r.ManualMeasure, 200);
        }
        else if (values.Find(r.MeasureKey) is null)
        {
            errors.AddMessage("measureKey", text["Objective.UnknownMeasure", r.MeasureKey]);
        }
        if (r.Target is null)
        {
            errors.Add("target", "Validation.Required");
        }
        else if (r.Target is < -1_000_000_000m or > 1_000_000_000m)
        {
            errors.Add("target", "Validation.Invalid");
        }
        if (r.Direction is not null && ObjectiveRules.ParseDirection(r.Direction) is null)
        {
            errors.Add("direction", "Validation.OneOf", string.Join(", ", ObjectiveRules.DirectionKeys));
        }
        if (r.Period is not null && ObjectiveRules.ParsePeriod(r.Period) is null)
        {
            errors.Add("period", "Validation.OneOf", string.Join(", ", ObjectiveRules.PeriodKeys));
        }
        if (!CalendarDates.TryParse(r.PlanDueOn, out _))
        {
            errors.AddMessage("planDueOn", text["Validation.Date"]);
        }
        return errors;
    }

    /// <summary>The request as stored: trimmed, the direction defaulting to the live measure's own, the period to a quarter.</summary>
    private Row Normalise(Request r)
    {
        var manual = r.MeasureKey == ObjectiveRules.Manual;
        var direction = r.Direction ?? (manual ? null : values.Find(r.MeasureKey)?.Direction.Key()) ?? "at-least";
        _ = CalendarDates.TryParse(r.PlanDueOn, out var due);
        return new Row(
            (r.TitleEn ?? "").Trim(), (r.TitleZh ?? "").Trim(), (r.Description ?? "").Trim(), r.OwnerId, r.Process!, r.MeasureKey!,
            manual ? r.ManualMeasure!.Trim() : null, manual && !string.IsNullOrWhiteSpace(r.ManualUnit) ? r.ManualUnit.Trim() : null, Plain(r.Target!.Value),
            direction, r.Period ?? "quarter", (r.PlanActions ?? "").Trim(), (r.PlanResources ?? "").Trim(), r.PlanResponsibleId, due, (r.PlanEvaluation ?? "").Trim());
    }

    private static Dictionary<string, object?> Fields(Row r) => new(StringComparer.Ordinal)
    {
        ["titleEn"] = r.TitleEn, ["titleZh"] = r.TitleZh, ["description"] = r.Description, ["ownerId"] = r.OwnerId, ["process"] = r.Process,
        ["measureKey"] = r.MeasureKey, ["manualMeasure"] = r.ManualMeasure, ["manualUnit"] = r.ManualUnit, ["target"] = r.Target, ["direction"] = r.Direction,
        ["period"] = r.Period, ["planActions"] = r.PlanActions, ["planResources"] = r.PlanResources, ["planResponsibleId"] = r.PlanResponsibleId,
        ["planDueOn"] = r.PlanDueOn, ["planEvaluation"] = r.PlanEvaluation,
    };

    private static Dictionary<string, object?> Fields(ObjectiveView o) => Fields(new Row(o.TitleEn, o.TitleZh, o.Description, o.OwnerId, o.Process,
        o.MeasureKey ?? ObjectiveRules.Manual, o.ManualMeasure, o.ManualUnit, Plain(o.Target), o.Direction, o.Period, o.PlanActions, o.PlanResources,
        o.PlanResponsibleId, o.PlanDueOn, o.PlanEvaluation));

    /// <summary>The row's columns as SQL parameters, named as the SQL spells them.</summary>
    private static DynamicParameters Parameters(Row r)
    {
        var parameters = new DynamicParameters();
        foreach (var (name, value) in Fields(r))
        {
            parameters.Add(name, value);
        }
        return parameters;
    }

    /// <summary>Titles, names and the measure in the caller's language.</summary>
    private async Task DescribeAsync(IReadOnlyList<ObjectiveView> list, CancellationToken ct)
    {
        var culture = CultureInfo.CurrentUICulture;
        var users = await directory.FindUsersAsync(list.SelectMany(o => new[] { o.OwnerId, o.PlanResponsibleId }).OfType<Guid>().Distinct(), ct);
        foreach (var o in list)
        {
            o.Title = PolicyVersionView.In(culture, o.TitleEn, o.TitleZh);
            o.OwnerName = o.OwnerId is { } owner && users.TryGetValue(owner, out var u) ? u.DisplayName : null;
            o.PlanResponsibleName = o.PlanResponsibleId is { } r && users.TryGetValue(r, out var ru) ? ru.DisplayName : o.OwnerName;
            if (o.IsManual)
            {
                o.MeasureTitle = o.ManualMeasure ?? "";
                o.Unit = o.ManualUnit;
            }
            else if (values.Find(o.MeasureKey) is { } m)
            {
                o.MeasureTitle = m.Title;
                o.Unit = m.Unit;
            }
            else
            {
                o.MeasureTitle = o.MeasureKey!;
            }
        }
    }

    internal static async Task<ObjectiveView?> LoadAsync(DbConnection connection, DbTransaction? tx, Guid id, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<ObjectiveView>(new CommandDefinition(
            $"SELECT {ObjectiveView.Columns} FROM cmp_objectives WHERE id = @id", new { id }, tx, cancellationToken: ct));

    /// <summary>99.0 and 99 are the same target: without trailing zeros, so the audit trail shows no change where there is none.</summary>
    internal static decimal Plain(decimal value) => value / 1.000000000000000000000000000000000m;

    private sealed record Row(
        string TitleEn, string TitleZh, string Description, Guid? OwnerId, string Process, string MeasureKey, string? ManualMeasure, string? ManualUnit,
        decimal Target, string Direction, string Period, string PlanActions, string PlanResources, Guid? PlanResponsibleId, string? PlanDueOn,
        string PlanEvaluation);
}
