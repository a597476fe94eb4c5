using System.Globalization;
using Certus.Data;
using Certus.Data.Audit;
using Certus.Identity.Contracts;
using Certus.Kernel.Errors;
using Certus.Kernel.Http;
using Certus.Kernel.Modules;
using Dapper;

namespace Certus.Compliance.Features;

/// <summary>One phase of the implementation roadmap with its owner, dates and status.</summary>
public sealed class RoadmapStep : IVersioned
{
    public Guid Id { get; init; }
    public string Phase { get; init; } = "";
    public int Sort { get; init; }
    public Guid? OwnerId { get; init; }
    public string? OwnerName { get; set; }
    public string? StartsOn { get; init; }
    public string? DueOn { get; init; }
    public string Status { get; init; } = "";
    public string Note { get; init; } = "";
    public DateTimeOffset UpdatedAt { get; init; }
    public int Version { get; init; }

    internal const string Columns = "id, phase, sort, owner_id, starts_on, due_on, status, note, updated_at, version";
}

/// <summary>
/// The implementation roadmap of the ISO 20000 implementation steps (004 §1.1-1.3): training, organisation (committee,
/// working group, management representative), diagnosis (GAP analysis), documents, trial run, internal audit,
/// management review, certification. Seeded once per phase; each phase gets an owner, dates and a status.
/// </summary>
public sealed class Roadmap(Database database, AuditTrail audit, IDirectory directory, Texts<Strings> text, TimeProvider clock) : IStartupSeed
{
    public const string RecordType = "roadmap-step";

    public static readonly IReadOnlyList<string> Phases =
        ["training", "organisation", "diagnosis", "documents", "trial-run", "internal-audit", "management-review", "certification"];

    public static readonly IReadOnlyList<string> Statuses = ["planned", "in-progress", "done"];

    public sealed record Request(Guid? OwnerId, string? StartsOn, string? DueOn, string? Status, string? Note);

    public async Task SeedAsync(CancellationToken ct)
    {
        await database.WriteAsync(async (connection, tx) =>
        {
            var now = clock.GetUtcNow();
            for (var i = 0; i < Phases.Count; i++)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO cmp_roadmap (id, phase, sort, status, note, updated_at, version) VALUES (@id, @phase, @sort, 'planned', '', @now, 1)
                    ON CONFLICT (phase) DO NOTHING
                    """, new { id = Guid.NewGuid(), phase = Phases[i], sort = i + 1, now }, tx, cancellationToken: ct));
            }
            return 0;
        }, ct);
    }

    public async Task<IReadOnlyList<RoadmapStep>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var steps = (await connection.QueryAsync<RoadmapStep>(new CommandDefinition(
            $"SELECT {RoadmapStep.Columns} FROM cmp_roadmap ORDER BY sort", cancellationToken: ct))).ToList();
        var owners = await directory.FindUsersAsync(steps.Where(s => s.OwnerId is not null).Select(s => s.OwnerId!.Value).Distinct(), ct);
        foreach (var s in steps)
        {
            s.OwnerName = s.OwnerId is { } o && owners.TryGetValue(o, out var u) ? u.DisplayName : null;
        }
        return steps;
    }

    public async Task<Outcome<RoadmapStep>> UpdateAsync(Guid id, int version, Request request, CancellationToken ct = default)
    {
        var errors = text.Errors().Optional("note", request.Note, 2000);
        if (request.Status is not null && !Statuses.Contains(request.Status, StringComparer.Ordinal))
        {
            errors.Add("status", "Validation.OneOf", string.Join(", ", Statuses));
        }
        var starts = Day(request.StartsOn, "startsOn", errors);
        var due = Day(request.DueOn, "dueOn", errors);
        if (starts is not null && due is not null && string.CompareOrdinal(due, starts) < 0)
        {
            errors.AddMessage("dueOn", text["Roadmap.DueBeforeStart"]);
        }
        if (!errors.IsEmpty)
        {
            return text.Invalid(errors);
        }
        return await database.WriteAsync<Outcome<RoadmapStep>>(async (connection, tx) =>
        {
            var s = await connection.QuerySingleOrDefaultAsync<RoadmapStep>(new CommandDefinition(
                $"SELECT {RoadmapStep.Columns} FROM cmp_roadmap WHERE id = @id", new { id }, tx, cancellationToken: ct));
            if (s is null)
            {
                return text.NotFound();
            }
            if (s.Version != version)
            {
                return text.Stale();
            }
            var status = request.Status ?? s.Status;
            var note = request.Note?.Trim() ?? s.Note;
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cmp_roadmap SET owner_id = @ownerId, starts_on = @starts, due_on = @due, status = @status, note = @note, updated_at = @now, version = version + 1
                WHERE id = @id AND version = @version
                """, new { id, version, ownerId = request.OwnerId, starts, due, status, note, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
            await audit.WriteAsync(connection, tx, new AuditEvent(RecordType, id.ToString("D"), "updated", null, AuditTrail.Diff(
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["ownerId"] = s.OwnerId, ["startsOn"] = s.StartsOn, ["dueOn"] = s.DueOn, ["status"] = s.Status, ["note"] = s.Note },
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["ownerId"] = request.OwnerId, ["startsOn"] = starts, ["dueOn"] = due, ["status"] = status, ["note"] = note })), ct);
            return await connection.QuerySingleAsync<RoadmapStep>(new CommandDefinition(
                $"SELECT {RoadmapStep.Columns} FROM cmp_roadmap WHERE id = @id", new { id }, tx, cancellationToken: ct));
        }, ct);
    }

    private string? Day(string? value, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (!DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.AddMessage(field, text["Validation.Date"]);
            return null;
        }
        return value.Trim();
    }
}
