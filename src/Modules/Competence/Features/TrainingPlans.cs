using System.Data.Common;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Security;
using Dapper;
using Certus.Kernel.Text;

namespace Certus.Competence.Features;

/// <summary>How a year's planned sessions stand: held, cancelled, still to come, overdue (past their day, not recorded).</summary>
public sealed record PlanFigures(int Planned, int Held, int Cancelled, int Upcoming, int Overdue)
{
    /// <summary>Held out of planned, in per cent (null with nothing planned).</summary>
    public decimal? Completion => Planned == 0 ? null : Math.Round(Held * 100m / Planned, 1);

    public static PlanFigures Of(IEnumerable<SessionView> sessions, string today)
    {
        var planned = sessions.Where(s => s.InPlan).ToList();
        return new PlanFigures(
            planned.Count,
            planned.Count(s => s.Status == "held"),
            planned.Count(s => s.Status == "cancelled"),
            planned.Count(s => s.Status == "planned" && string.CompareOrdinal(s.StartsOn, today) >= 0),
            planned.Count(s => s.Status == "planned" && string.CompareOrdinal(s.StartsOn, today) < 0));
    }
}

/// <summary>The training plan of a year (年度培训计划) with its sessions and how far it is done.</summary>
public sealed class PlanView : IVersioned
{
    public Guid Id { get; init; }
    public int Year { get; init; }
    public string Title { get; init; } = "";
    public string? Goals { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedByName { get; init; } = "";
    public int Version { get; init; }
    public PlanFigures Figures { get; set; } = new(0, 0, 0, 0, 0);
    public IReadOnlyList<SessionView> Sessions { get; set; } = [];

    internal const string Columns = "id, year, title, goals, created_at, created_by_name, version";
}

/// <summary>
/// Yearly training plans (manual §2.3.2, seed 001 §1.2.2.2: job training, special-role training with exams, procedure
/// training for managers, policy and objectives training for everyone). A plan's sessions are the year's sessions marked
/// as part of the plan.
/// </summary>
public sealed class TrainingPlans(Database database, AuditTrail audit, Sessions sessions, ICurrentUser caller, Texts<Strings> text, TimeProvider clock)
{
    public const string RecordType = "training-plan";

    public sealed record Request(int? Year, string? Title, string? Goals);

    public async Task<IReadOnlyList<PlanView>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var plans = (await connection.QueryAsync<PlanView>(new CommandDefinition(
            $"SELECT {PlanView.Columns} FROM cpt_plans ORDER BY year DESC", cancellationToken: ct))).ToList();
        foreach (var plan in plans)
        {
            await FillAsync(plan, ct);
        }
        return plans;
    }

    public async Task<PlanView?> GetAsync(int year, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var plan = await GetAsync(connection, null, year, ct);
        if (plan is not null)
        {
            await FillAsync(plan, ct);
        }
        return plan;
    }

    private static Task<PlanView?> GetAsync(DbConnection connection, DbTransaction? tx, int year, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<PlanView>(new CommandDefinition($"SELECT {PlanView.Columns} FROM cpt_plans WHERE year = @year", new { year }, tx, cancellationToken: ct));

    private async Task FillAsync(PlanView plan, CancellationToken ct)
    {
        plan.Sessions = [.. (await sessions.ListAsync(plan.Year, null, ct)).Where(s => s.InPlan)];
        plan.Figures = PlanFigures.Of(plan.Sessions, CalendarDates.Day(clock.GetUtcNow()));
    }

    private FieldErrors Validate(Request request)
    {
        var errors = text.Errors().Required("title", request.Title, 200).Optional("goals", request.Goals, 8000);
        errors.When(request.Year is not (>= 2000 and <= 2100), "year", "Validation.Invalid");
        return errors;
    }

    public async Task<Outcome<PlanView>> CreateAsync(Request request, CancellationToken ct = default)
    {
        var errors = Validate(request);
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var outcome = await database.WriteAsync<Outcome<PlanView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, request.Year!.Value, ct) is not null)
            {
                return text.Invalid(text.Errors().Add("year", "Validation.Duplicate"));
            }
            var id = Guid.CreateVersion7();
            var row = new { id, year = request.Year.Value, title = request.Title!.Trim(), goals = CalendarDates.Blank(request.Goals), now = clock.GetUtcNow(), byName = caller.ActorName };
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO cpt_plans (id, year, title, goals, created_at, created_by_name, version) VALUES (@id, @year, @title, @goals, @now, @byName, 1)",
                row, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "created", null, AuditTrail.Created(
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["year"] = row.year, ["title"] = row.title, ["goals"] = row.goals })), ct);
            return (await GetAsync(connection, tx, row.year, ct))!;
        }, ct);
        if (outcome.Succeeded)
        {
            await FillAsync(outcome.Value!, ct);
        }
        return outcome;
    }

    public async Task<Outcome<PlanView>> UpdateAsync(int year, int expectedVersion, Request request, CancellationToken ct = default)
    {
        var errors = Validate(request with { Year = year });
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        var outcome = await database.WriteAsync<Outcome<PlanView>>(async (connection, tx) =>
        {
            if (await GetAsync(connection, tx, year, ct) is not { } current)
            {
                return text.NotFound();
            }
            if (current.Version != expectedVersion)
            {
                return text.Stale();
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cpt_plans SET title = @title, goals = @goals, version = version + 1 WHERE id = @id AND version = @version",
                new { id = current.Id, title = request.Title!.Trim(), goals = CalendarDates.Blank(request.Goals), version = expectedVersion }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, current.Id.ToString("D"), "updated", null, AuditTrail.Diff(
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["title"] = current.Title, ["goals"] = current.Goals },
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["title"] = request.Title.Trim(), ["goals"] = CalendarDates.Blank(request.Goals) })), ct);
            return (await GetAsync(connection, tx, year, ct))!;
        }, ct);
        if (outcome.Succeeded)
        {
            await FillAsync(outcome.Value!, ct);
        }
        return outcome;
    }
}
