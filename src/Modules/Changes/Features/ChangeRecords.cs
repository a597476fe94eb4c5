using System.Data.Common;
using Certus.Changes.Contracts;
using Certus.Changes.Domain;
using Certus.Data;
using Certus.Kernel.Errors;
using Certus.Kernel.Security;
using Dapper;

namespace Certus.Changes.Features;

/// <summary>Change management's contract for other modules: find, list authorised, raise, follow a release.</summary>
public sealed class ChangeRecords(Database database, ICurrentUser caller, RequestChange requests, MoveChange moves, Texts<Strings> text, TimeProvider clock) : IChangeRecords
{
    public async Task<IReadOnlyList<ChangeFacts>> FindAsync(IReadOnlyCollection<string> numbers, CancellationToken ct)
    {
        var values = numbers.Select(ChangeNumber.Parse).OfType<ChangeNumber>().Select(n => n.Value).Distinct().ToArray();
        if (values.Length == 0)
        {
            return [];
        }
        return await LoadAsync($"{database.Dialect.In("c.number", "values")}", new { values }, ct);
    }

    public Task<IReadOnlyList<ChangeFacts>> AuthorisedAsync(string? search, int limit, CancellationToken ct)
    {
        var args = new DynamicParameters(new { limit = Math.Clamp(limit, 1, 500) });
        var where = "c.state IN ('authorised', 'scheduled')";
        if (!string.IsNullOrWhiteSpace(search))
        {
            if (ChangeNumber.Parse(search) is { } n)
            {
                where += " AND c.number = @number";
                args.Add("number", n.Value);
            }
            else
            {
                where += $" AND c.title {database.Dialect.ILike} @q";
                args.Add("q", "%" + search.Trim().Replace("%", "", StringComparison.Ordinal) + "%");
            }
        }
        return LoadAsync(where + " ORDER BY c.number DESC LIMIT @limit", args, ct);
    }

    public async Task<Outcome<ChangeFacts>> RaiseAsync(RaiseChange request, CancellationToken ct)
    {
        var created = await requests.CreateAsync(RequestOf(request), ct: ct);
        return created.Succeeded ? Outcome.Ok(FactsOf(created.Value!)) : created.Failure!;
    }

    public async Task<Outcome<ChangeFacts>> RaiseAsync(RaiseChange request, DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        var created = await requests.CreateWithinAsync(RequestOf(request), connection, transaction, ct);
        return created.Succeeded ? Outcome.Ok(FactsOf(created.Value!)) : created.Failure!;
    }

    private static RequestChange.Request RequestOf(RaiseChange request) => new(
        Type: request.Type, Title: request.Title, Reason: request.Reason, Description: request.Description, Cis: request.CiReferences,
        SourceKind: request.SourceKind, SourceRef: request.SourceReference);

    public async Task<Outcome<IReadOnlyList<ChangeFacts>>> FollowReleaseAsync(ReleaseProgress progress, DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        var followed = new List<ChangeFacts>();
        foreach (var id in progress.ChangeIds.Distinct())
        {
            var change = await ChangeQueries.LoadAsync(connection, tx, id, ct);
            if (change is null)
            {
                return text.NotFound();
            }
            foreach (var trigger in ChangeLifecycle.FollowRelease(progress.Step, change.ParsedType, change.ParsedState))
            {
                var moved = await moves.MoveWithinAsync(connection, tx, change, trigger, RequestFor(trigger, progress, change), ct);
                if (!moved.Succeeded)
                {
                    return moved.Failure!;
                }
                change = moved.Value!;
            }
            followed.Add(FactsOf(change));
        }
        return followed;
    }

    private MoveChange.Request RequestFor(ChangeTrigger trigger, ReleaseProgress progress, ChangeView change)
    {
        if (trigger != ChangeTrigger.Schedule)
        {
            return new MoveChange.Request(Reason: progress.Reason);
        }
        // A change without a window of its own takes the release's; conflicts are kept on the change as overridden by it.
        var start = change.PlannedStart ?? progress.WindowStart ?? clock.GetUtcNow();
        var end = change.PlannedEnd is { } own && own > start ? own
            : progress.WindowEnd is { } window && window > start ? window : start.AddHours(1);
        return new MoveChange.Request(Reason: progress.Reason, PlannedStart: start, PlannedEnd: end, Override: true);
    }

    private static ChangeFacts FactsOf(ChangeView c) =>
        new(c.Id, c.Number, c.Title, c.Type, c.State, c.Authorised, c.OrganisationId, c.PlannedStart, c.PlannedEnd, c.Cis.Select(x => x.Id).ToList(), c.Services);

    private async Task<IReadOnlyList<ChangeFacts>> LoadAsync(string where, object args, CancellationToken ct)
    {
        var parameters = new DynamicParameters(args);
        var scope = "";
        if (caller.VisibleOrganisationId is { } own)
        {
            scope = "c.organisation_id = @own AND ";
            parameters.Add("own", own);
        }
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT c.id, c.number, c.title, c.type, c.state, c.authorised_at, c.organisation_id, c.planned_start, c.planned_end FROM chg_changes c WHERE {scope}{where}",
            parameters, cancellationToken: ct))).ToList();
        if (rows.Count == 0)
        {
            return [];
        }
        var ids = rows.Select(r => r.Id).ToArray();
        var cis = (await connection.QueryAsync<(Guid ChangeId, Guid CiId)>(new CommandDefinition(
            $"SELECT change_id, ci_id FROM chg_change_cis WHERE role = 'declared' AND {database.Dialect.In("change_id", "ids")}", new { ids }, cancellationToken: ct))).ToList();
        var services = (await connection.QueryAsync<(Guid ChangeId, string Code)>(new CommandDefinition(
            $"SELECT change_id, service_code FROM chg_change_services WHERE {database.Dialect.In("change_id", "ids")}", new { ids }, cancellationToken: ct))).ToList();
        return rows.Select(r => new ChangeFacts(r.Id, new ChangeNumber(r.Number).ToString(), r.Title, r.Type, r.State, r.AuthorisedAt is not null, r.OrganisationId,
            r.PlannedStart, r.PlannedEnd, cis.Where(c => c.ChangeId == r.Id).Select(c => c.CiId).ToList(),
            services.Where(s => s.ChangeId == r.Id).Select(s => s.Code).ToList())).ToList();
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public long Number { get; init; }
        public string Title { get; init; } = "";
        public string Type { get; init; } = "";
        public string State { get; init; } = "";
        public DateTimeOffset? AuthorisedAt { get; init; }
        public Guid OrganisationId { get; init; }
        public DateTimeOffset? PlannedStart { get; init; }
        public DateTimeOffset? PlannedEnd { get; init; }
    }
}
