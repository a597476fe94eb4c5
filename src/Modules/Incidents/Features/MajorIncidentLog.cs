using Certus.Data;
using Certus.Incidents.Contracts;
using Dapper;

namespace Certus.Incidents.Features;

/// <summary>Major incidents of a period for other modules (the management review), provider-wide.</summary>
public sealed class MajorIncidentLog(Database database) : IMajorIncidentLog
{
    public async Task<IReadOnlyList<MajorIncidentFact>> LoggedAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT id, number, title, status, created_at, resolved_at FROM inc_incidents WHERE is_major = @major AND created_at >= @from AND created_at < @to ORDER BY created_at",
            new { major = true, from, to }, cancellationToken: ct));
        return [.. rows.Select(r => new MajorIncidentFact(r.Id, new IncidentNumber(r.Number).ToString(), r.Title, r.Status, r.CreatedAt, r.ResolvedAt, new IncidentNumber(r.Number).Path))];
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public long Number { get; init; }
        public string Title { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? ResolvedAt { get; init; }
    }
}
