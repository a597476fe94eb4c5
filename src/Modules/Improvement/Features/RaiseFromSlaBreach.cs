using System.Data.Common;
using System.Globalization;
using Certus.Kernel.Events;
using Certus.ServiceLevels.Contracts;
using Dapper;

namespace Certus.Improvement.Features;

/// <summary>
/// A missed SLA target is a nonconformity (ISO/IEC 20000-1:2018 10.1; manual §3.4.4 "monitor the nonconformities
/// arising in operation"): each breach enters the register once, in the transaction that recorded it, to be analysed
/// or rejected with a reason (a breach the customer caused, say).
/// </summary>
public sealed class RaiseFromSlaBreach(Nonconformities nonconformities) : IDomainEventHandler<SlaBreached>
{
    public async Task HandleAsync(SlaBreached e, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var sourceId = $"{e.IncidentId:D}/{e.AgreementId:D}/{e.Metric}";
        var known = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM imp_nonconformities WHERE source = 'sla-breach' AND source_id = @sourceId", new { sourceId }, transaction,
            cancellationToken: cancellationToken));
        if (known > 0)
        {
            return;
        }
        // The title is composed in the reader's language from the metric and priority kept in source_ref.
        await nonconformities.InsertAsync(connection, transaction, "nonconformity", "sla-breach",
            $"{e.Metric} P{e.Priority.ToString(CultureInfo.InvariantCulture)}", sourceId, "", null, e.Priority <= 2 ? "major" : "minor", "2018:8.3.3", null, null,
            cancellationToken);
    }
}
