using System.Data.Common;
using Certus.Incidents.Domain;
using Dapper;

namespace Certus.Incidents.Data;

internal static class PriorityMatrixStore
{
    public static async Task<PriorityMatrix> LoadAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<(string Impact, string Urgency, long Priority)>(new CommandDefinition(
            "SELECT impact, urgency, priority FROM inc_priority_matrix", transaction: tx, cancellationToken: ct));
        var cells = rows.ToDictionary(
            r => (IncidentNames.ParseLevel(r.Impact)!.Value, IncidentNames.ParseLevel(r.Urgency)!.Value),
            r => (int)r.Priority);
        return cells.Count == 9 ? new PriorityMatrix(cells) : PriorityMatrix.Default;
    }
}
