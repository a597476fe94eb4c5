using System.Data.Common;
using Certus.Incidents.Contracts;
using Certus.Kernel.Events;

namespace Certus.Incidents.Features;

/// <summary>Publishes <see cref="IncidentChanged"/> with the incident as the transaction now sees it.</summary>
public sealed class IncidentEvents(DomainEvents events)
{
    public async Task ChangedAsync(DbConnection connection, DbTransaction tx, Guid id, string? previousStatus, DateTimeOffset at, CancellationToken ct)
    {
        var incident = (await IncidentQueries.LoadAsync(connection, tx, id, ct))!;
        await events.PublishAsync(new IncidentChanged(Facts(incident), previousStatus, at), connection, tx, ct);
    }

    internal static IncidentFacts Facts(IncidentView i) => new(
        i.Id, i.NumberValue, i.OrganisationId, i.ServiceRef, i.AssignmentGroupId, i.AssigneeId, i.Priority, i.Status, i.PendingReason, i.Title,
        i.CreatedAt, i.FirstResponseAt, i.ResolvedAt);
}
